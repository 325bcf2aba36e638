"""The transfer state machine's writes: request, route, accept, decline, cancel, expire.

requested → accepted / rejected (reason) → transport arranged → departed → arrived, or cancelled / expired. Every
step locks the transfer row, is recorded with its time and who took it, and is idempotent: asking for the state
the transfer is already in (by the same facility) returns it unchanged. A stale `version` is refused with 409.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.capacity.models import BedType
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, ValidationFailed
from jedel.facilities.models import Capability, Facility
from jedel.transfers.errors import TransferError
from jedel.transfers.models import Decline, Need, Transfer, TransferEvent, Urgency
from jedel.transfers.permissions import (
    DISPATCH_TRANSFER,
    RECEIVE_TRANSFER,
    REQUEST_TRANSFER,
    destination_target,
    origin_target,
)
from jedel.transfers.services.common import check_transition, check_version, locked, step_record, transfer_of
from jedel.transfers.services.notices import nccem_notify, receiving_notify

# A request nobody acted on lapses, so the board never shows stale ones as waiting (assumption, per urgency).
EXPIRY_HOURS = {"emergency": 6, "urgent": 24, "planned": 72}
# Required capabilities a receiving hospital can declare (ICU, neonatal ICU are bed types, not capabilities).
TRANSFER_CAPABILITIES = ("neurosurgery", "burns", "cath_lab", "obstetric", "paediatric_surgery", "dialysis", "ct",
                         "mri")


@dataclass
class TransferInput:
    reference: str
    origin: str  # facility code
    urgency: str
    diagnosis: str
    bed_type: str
    destination: str | None = None  # facility code; None = NCCEM decides
    capabilities: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    triage_category: str = ""
    rpm: int | None = None
    ventilated: bool = False
    oxygen: bool = False
    infusion_pumps: int = 0
    casualty_id: int | None = None


def _facility(code: str, field_name: str) -> Facility:
    facility = Facility.objects.select_related("region").filter(code=code, active=True).first()
    if facility is None:
        raise DomainError(TransferError.UNKNOWN_FACILITY, field=field_name)
    return facility


def _receiving(code: str, origin: Facility) -> Facility:
    dest = _facility(code, "destination")
    if dest.pk == origin.pk:
        raise DomainError(TransferError.SAME_FACILITY, field="destination")
    if not dest.is_inpatient:
        raise DomainError(TransferError.NOT_INPATIENT, field="destination")
    return dest


def _validate(data: TransferInput) -> list[dict[str, object]]:
    errors: list[dict[str, object]] = []
    checks = [("urgency", [data.urgency], Urgency.values), ("bed_type", [data.bed_type], BedType.values),
              ("capabilities", data.capabilities, Capability.values), ("needs", data.needs, Need.values)]
    for name, values, allowed in checks:
        bad = [v for v in values if v not in allowed]
        if bad:
            errors.append({"loc": [name], "msg": f"{', '.join(bad)}: not one of {', '.join(allowed)}"})
    for name in ("reference", "diagnosis"):
        if not getattr(data, name).strip():
            errors.append({"loc": [name], "msg": str(TransferError.REASON_REQUIRED.message)})
    if data.rpm is not None and not 0 <= data.rpm <= 12:
        errors.append({"loc": ["rpm"], "msg": "0-12"})
    return errors


def transfer_create(*, actor: Principal | None, data: TransferInput, now: datetime | None = None) -> Transfer:
    """A new request from `data.origin`; the receiving facility (or NCCEM when none is named) is notified."""
    origin = _facility(data.origin, "origin")
    require(actor, REQUEST_TRANSFER, origin, object_type="facility", object_id=origin.pk)
    assert actor is not None
    errors = _validate(data)
    if errors:
        raise ValidationFailed(TransferError.REASON_REQUIRED, errors)
    dest = _receiving(data.destination, origin) if data.destination else None
    casualty = None
    if data.casualty_id is not None:
        from jedel.incidents.models import Casualty

        casualty = Casualty.objects.select_related("incident").filter(pk=data.casualty_id).first()
        if casualty is None or casualty.destination_id != origin.pk:
            raise DomainError(TransferError.CASUALTY_ELSEWHERE, field="casualty")
    needs = sorted(set(data.needs) | ({"ventilator"} if data.ventilated else set()))
    now = now or utcnow()
    with transaction.atomic():
        transfer = Transfer.objects.create(
            reference=data.reference.strip()[:40], origin=origin, destination=dest, casualty=casualty,
            urgency=data.urgency, diagnosis=data.diagnosis.strip()[:500], triage_category=data.triage_category[:12],
            rpm=data.rpm, ventilated=data.ventilated, oxygen=data.oxygen, infusion_pumps=data.infusion_pumps,
            capabilities=sorted(set(data.capabilities)), bed_type=data.bed_type, needs=needs, requested_at=now,
            requested_by_label=actor.label[:200], expires_at=now + timedelta(hours=EXPIRY_HOURS[data.urgency]),
            exercise=bool(casualty and casualty.incident.is_exercise))
        transfer = transfer_of(transfer.pk)
        transfer.version -= 1  # step_record counts the creation as version 1
        step_record(actor=actor, transfer=transfer, before="", kind="transfer.requested",
                    action=REQUEST_TRANSFER.name, now=now, facility_id=origin.pk)
        if dest is not None:
            receiving_notify(actor=actor, transfer=transfer, now=now)
        nccem_notify(actor=actor, transfer=transfer, now=now, what="requested")
    return transfer


def _reason_given(reason: str) -> str:
    """A decline or a cancellation says why (422 otherwise)."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(TransferError.REASON_REQUIRED, [
            {"loc": ["reason"], "msg": str(TransferError.REASON_REQUIRED.message)}])
    return reason


def _with_destination(transfer: Transfer) -> Transfer:
    """Only a named receiving facility can accept or decline (409 while NCCEM has not routed the request)."""
    if transfer.destination is None:
        raise Conflict(TransferError.NO_DESTINATION, field="destination")
    return transfer


def transfer_route(*, actor: Principal | None, transfer_id: int, destination: str, version: int | None = None,
                   now: datetime | None = None) -> Transfer:
    """A coordinator names (or changes) the receiving facility of a request, or of a declined one."""
    transfer = transfer_of(transfer_id)
    require(actor, DISPATCH_TRANSFER, origin_target(transfer), object_type="transfer", object_id=transfer.pk)
    assert actor is not None
    dest = _receiving(destination, transfer.origin)
    now = now or utcnow()
    with transaction.atomic():
        transfer = locked(transfer_id)
        if transfer.state == "requested" and transfer.destination_id == dest.pk:
            return transfer  # idempotent
        check_version(transfer, version)
        check_transition(transfer, "requested")
        before, left, transfer.state, transfer.destination = transfer.state, transfer.destination, "requested", dest
        step_record(actor=actor, transfer=transfer, before=before, kind="transfer.routed",
                    action=DISPATCH_TRANSFER.name, now=now, facility_id=dest.pk, fields=["destination"], left=left)
        receiving_notify(actor=actor, transfer=transfer, now=now)
    return transfer


def transfer_accept(*, actor: Principal | None, transfer_id: int, version: int | None = None,
                    now: datetime | None = None) -> Transfer:
    """The receiving facility accepts the patient."""
    transfer = _with_destination(transfer_of(transfer_id))
    require(actor, RECEIVE_TRANSFER, destination_target(transfer), object_type="transfer", object_id=transfer.pk)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        transfer = locked(transfer_id)
        if transfer.state == "accepted":
            return transfer  # idempotent
        check_version(transfer, version)
        check_transition(transfer, "accepted")
        before, transfer.state, transfer.accepted_at = transfer.state, "accepted", now
        step_record(actor=actor, transfer=transfer, before=before, kind="transfer.accepted",
                    action=RECEIVE_TRANSFER.name, now=now, facility_id=transfer.destination_id,
                    fields=["accepted_at"])
        nccem_notify(actor=actor, transfer=transfer, now=now, what="accepted")
    return transfer


def transfer_decline(*, actor: Principal | None, transfer_id: int, reason: str, version: int | None = None,
                     now: datetime | None = None) -> Transfer:
    """The receiving facility declines (with a reason, counted against it); NCCEM routes the request again."""
    transfer = _with_destination(transfer_of(transfer_id))
    require(actor, RECEIVE_TRANSFER, destination_target(transfer), object_type="transfer", object_id=transfer.pk)
    assert actor is not None
    reason = _reason_given(reason)
    now = now or utcnow()
    with transaction.atomic():
        transfer = locked(transfer_id)
        if transfer.state == "rejected" and Decline.objects.filter(transfer=transfer,
                                                                   facility_id=transfer.destination_id).exists():
            return transfer  # idempotent: this facility's decline is recorded
        check_version(transfer, version)
        check_transition(transfer, "rejected")
        before, transfer.state = transfer.state, "rejected"
        Decline.objects.create(transfer=transfer, facility_id=transfer.destination_id, at=now, reason=reason[:500],
                               by_label=actor.label[:200])
        step_record(actor=actor, transfer=transfer, before=before, kind="transfer.rejected",
                    action=RECEIVE_TRANSFER.name, now=now, facility_id=transfer.destination_id, reason=reason)
        nccem_notify(actor=actor, transfer=transfer, now=now, what="rejected")
    return transfer


def transfer_cancel(*, actor: Principal | None, transfer_id: int, reason: str, version: int | None = None,
                    now: datetime | None = None) -> Transfer:
    """The sending side (or a coordinator over it) cancels; an open mission ends and its asset is free again."""
    from jedel.transfers.services.dispatch import mission_close_for_cancel

    transfer = transfer_of(transfer_id)
    require(actor, REQUEST_TRANSFER, origin_target(transfer), object_type="transfer", object_id=transfer.pk)
    assert actor is not None
    reason = _reason_given(reason)
    now = now or utcnow()
    with transaction.atomic():
        transfer = locked(transfer_id)
        if transfer.state == "cancelled":
            return transfer
        check_version(transfer, version)
        check_transition(transfer, "cancelled")
        before, transfer.state, transfer.closed_at, transfer.close_reason = transfer.state, "cancelled", now, reason
        mission_close_for_cancel(transfer, now)
        step_record(actor=actor, transfer=transfer, before=before, kind="transfer.cancelled",
                    action=REQUEST_TRANSFER.name, now=now, reason=reason, fields=["closed_at", "close_reason"])
    return transfer


def transfers_expire(*, actor: Principal, now: datetime | None = None) -> list[int]:
    """Expire requests past their `expires_at` that have no transport yet; returns their ids (system sweep)."""
    now = now or utcnow()
    done = []
    due = Transfer.objects.filter(state__in=["requested", "rejected", "accepted"], expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            transfer = locked(pk)
            if transfer.state not in ("requested", "rejected", "accepted") or transfer.expires_at > now:
                continue
            before, transfer.state, transfer.closed_at = transfer.state, "expired", now
            step_record(actor=actor, transfer=transfer, before=before, kind="transfer.expired",
                        action="expire_transfer", now=now, fields=["closed_at"])
            done.append(pk)
    return done


def timeline(transfer: Transfer) -> list[TransferEvent]:
    return list(transfer.events.order_by("at", "pk"))

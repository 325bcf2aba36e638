"""Capacity reporting: validate, store the report with its beds, move the facility's current-status pointer.

One entry point for every path (web form, API, EDXL-HAVE import, demo), so the rules cannot drift apart.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from django.db import IntegrityError, transaction

from jedel.accounts.models import AuditEvent
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, ErrorCode, PermissionDenied, ValidationFailed
from jedel.capacity.errors import CapacityError
from jedel.facilities.errors import FacilityError
from jedel.capacity.models import BedCapacity, CapacityReport, EdStatus, FacilityStatus
from jedel.facilities.models import Facility
from jedel.capacity.report_input import ReportInput
from jedel.capacity.services.carry_forward import Mentioned, report_base, report_carry_forward
from jedel.capacity.services.report_rules import report_errors, with_derived_available
from jedel.capacity.permissions import REPORT_CAPACITY
from jedel.capacity.realtime import status_changed_publish
from jedel.capacity.selectors.status import facility_status

AUDIT_ACTION = "report_capacity"
# A "nothing changed" confirmation: a report of its own, audited apart so the trail tells it from new figures.
CONFIRM_ACTION = "confirm_capacity"


def report_submit(*, actor: Principal, facility: Facility, data: ReportInput, source: str,
                  now: datetime | None = None, idempotency_key: str = "") -> CapacityReport:
    """Validate and store one capacity report; it becomes the facility's status only if it is the newest.

    The returned report carries `became_current` (bool) so callers can tell a backfill from a live update,
    and `duplicate` (bool): with an `idempotency_key` this facility has stored before, nothing new is written
    and the stored report is returned (a retried sender, a re-imported message).
    """
    return _submit(actor, facility, data, source, now or utcnow(), idempotency_key, confirmation=False)


def report_confirm(*, actor: Principal, facility: Facility, source: str, now: datetime | None = None,
                   reported_at: datetime | None = None, idempotency_key: str = "") -> CapacityReport:
    """"Nothing changed": a new report at `reported_at` (default now) carrying every figure of the facility's
    previous report forward, stored and audited as a confirmation. It resets the reporting clock like any report.

    ValidationFailed (NOTHING_TO_CONFIRM) when the facility has no report at or before that time.
    """
    now = now or utcnow()
    return _submit(actor, facility, ReportInput(reported_at=reported_at or now), source, now, idempotency_key,
                   confirmation=True)


def _submit(actor: Principal, facility: Facility, data: ReportInput, source: str, now: datetime,
            idempotency_key: str, *, confirmation: bool) -> CapacityReport:
    _authorise(actor, facility, now, confirmation)
    if not facility.active:
        raise Conflict(FacilityError.INACTIVE_FACILITY, field="facility")
    stored = _stored(facility, idempotency_key)
    if stored is not None:
        return stored
    with transaction.atomic():
        if confirmation:
            # The figures to re-state are read under the status row's lock, which every report holds until it
            # commits: a report arriving meanwhile is either carried forward or waits for this confirmation,
            # never silently replaced by the older figures it superseded.
            FacilityStatus.objects.select_for_update().filter(facility=facility).first()
            data = _confirmed(facility, data, now)
        errors = report_errors(facility=facility, data=data, now=now)
        if errors:
            raise ValidationFailed(_error_code(errors[0]["code"]), errors)
        data = with_derived_available(data)
        # A department that is open turns nobody away: a reason left over from a diversion (the form prefills
        # it) would keep telling dispatchers why it was closed.
        reason = "" if data.ed_status == EdStatus.OPEN else data.ed_status_reason.strip()
        try:
            report = _store(actor, facility, data, source, now, reason, idempotency_key[:200], confirmation)
        except IntegrityError:
            stored = _stored(facility, idempotency_key)  # the same key stored concurrently: that one counts
            if stored is None:
                raise
            return stored
    report.duplicate = False  # type: ignore[attr-defined]
    return report


def _confirmed(facility: Facility, data: ReportInput, now: datetime) -> ReportInput:
    """The confirmation's figures: the previous report's, carried forward whole (it states no figure itself)."""
    # Only its time can be wrong; said alone, not drowned in the rules' "no figures" error.
    time_errors = [e for e in report_errors(facility=facility, data=data, now=now) if e["loc"] == ["reported_at"]]
    if time_errors:
        raise ValidationFailed(_error_code(time_errors[0]["code"]), time_errors)
    if report_base(facility, data) is None:
        code = CapacityError.NOTHING_TO_CONFIRM
        raise ValidationFailed(code, [{"code": code.value, "loc": [], "msg": code.message}])
    return report_carry_forward(facility=facility, data=data, mentioned=Mentioned())


def _stored(facility: Facility, idempotency_key: str) -> CapacityReport | None:
    """The report this facility stored under `idempotency_key` (marked as a duplicate), or None."""
    if not idempotency_key:
        return None
    report = CapacityReport.objects.filter(facility=facility, idempotency_key=idempotency_key[:200]).first()
    if report is not None:
        report.became_current = False  # type: ignore[attr-defined]
        report.duplicate = True  # type: ignore[attr-defined]
    return report


def _store(actor: Principal, facility: Facility, data: ReportInput, source: str, now: datetime, reason: str,
           idempotency_key: str, confirmation: bool) -> CapacityReport:
    with transaction.atomic():
        # Every reported figure is a column of the same name: a new figure needs no change here.
        figures = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "beds"}
        report = CapacityReport.objects.create(
            facility=facility, received_at=now, source=source, reporter=actor.label[:200],
            idempotency_key=idempotency_key, confirmed_unchanged=confirmation,
            **{**figures, "ed_status_reason": reason})
        BedCapacity.objects.bulk_create([
            BedCapacity(report=report, bed_type=b.bed_type, staffed=b.staffed, occupied=b.occupied,
                        available=b.available or 0, surge_24h=b.surge_24h) for b in data.beds])
        current = _status_advance(facility, report)
        audit_record(actor=actor, action=CONFIRM_ACTION if confirmation else AUDIT_ACTION,
                     object_type="capacity_report", object_id=report.pk,
                     region_id=facility.region_id, now=now,
                     changes={"facility": facility.code, "reported_at": data.reported_at.isoformat(),
                              "source": source, "beds": len(data.beds), "current": current})
        if current:
            # Read inside the transaction: the event carries exactly the status this report made current.
            status_changed_publish(facility_status(facility, now=now))
    report.became_current = current  # type: ignore[attr-defined]
    return report


def _error_code(value: str) -> ErrorCode:
    """The enum member for a rule's code: capacity rules also use the registry's generic codes."""
    return CapacityError(value) if value in CapacityError._value2member_map_ else FacilityError(value)


def _authorise(actor: Principal, facility: Facility, now: datetime, confirmation: bool = False) -> None:
    """Policy check; a token pushing another hospital's figures gets its own code (a misconfigured HIS)."""
    if actor.is_token and actor.facility_id != facility.pk:
        audit_record(actor=actor, action=CONFIRM_ACTION if confirmation else AUDIT_ACTION, object_type="facility", object_id=facility.code,
                     region_id=facility.region_id, outcome=AuditEvent.Outcome.DENIED, now=now,
                     changes={"reason": CapacityError.TOKEN_WRONG_FACILITY.value})
        raise PermissionDenied(CapacityError.TOKEN_WRONG_FACILITY)
    require(actor, REPORT_CAPACITY, Target(region_id=facility.region_id, facility_id=facility.pk),
            object_type="facility", object_id=facility.code)


def _status_advance(facility: Facility, report: CapacityReport) -> bool:
    """Point the facility's status at `report` unless a newer one is current; True if it now is current.

    The status row is locked for the rest of the transaction, so two concurrent reports compare against each
    other's committed result and the newest always wins. A tie on reported_at goes to the later submission
    (a correction re-sent with the same time replaces the figures).
    """
    status = FacilityStatus.objects.select_for_update().filter(facility=facility).first()
    if status is None:
        try:
            # Savepoint: if a concurrent first report inserted the row meanwhile, fall through to compare.
            with transaction.atomic():
                FacilityStatus.objects.create(facility=facility, report=report, reported_at=report.reported_at)
            return True
        except IntegrityError:
            status = FacilityStatus.objects.select_for_update().get(facility=facility)
    if report.reported_at < status.reported_at:
        return False
    status.report = report
    status.reported_at = report.reported_at
    status.save(update_fields=["report", "reported_at"])
    return True

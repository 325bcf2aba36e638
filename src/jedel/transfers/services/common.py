"""Shared steps of every transfer write: lock, idempotency and version check, the recorded step, the event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record
from jedel.common.errors import Conflict, NotFound
from jedel.facilities.models import Facility
from jedel.transfers.errors import TransferError
from jedel.transfers.models import TRANSITIONS, Transfer, TransferEvent
from jedel.transfers.realtime import transfer_changed_publish

_RELATED = ("origin", "origin__region", "destination", "destination__region")


def transfer_of(transfer_id: int) -> Transfer:
    transfer = Transfer.objects.select_related(*_RELATED).filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound(TransferError.NOT_FOUND, field="transfer_id")
    return transfer


def locked(transfer_id: int) -> Transfer:
    """The transfer row, locked until the transaction ends (call inside transaction.atomic)."""
    transfer = Transfer.objects.select_for_update().filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound(TransferError.NOT_FOUND, field="transfer_id")
    return Transfer.objects.select_related(*_RELATED).get(pk=transfer.pk)


def check_version(transfer: Transfer, version: int | None) -> None:
    """A writer that read `version` may not overwrite a newer state (409, never a merge)."""
    if version is not None and version != transfer.version:
        raise Conflict(TransferError.STALE_VERSION, field="version",
                       detail=f"{TransferError.STALE_VERSION.message} ({version} != {transfer.version})")


def check_transition(transfer: Transfer, to: str) -> None:
    if to not in TRANSITIONS[transfer.state]:
        raise Conflict(TransferError.INVALID_TRANSITION, field="state",
                       detail=f"{TransferError.INVALID_TRANSITION.message} ({transfer.state} → {to})")


def step_record(*, actor: Principal, transfer: Transfer, before: str, kind: str, action: str, now: datetime,
                reason: str = "", facility_id: int | None = None, data: dict[str, Any] | None = None,
                fields: list[str] | None = None, left: Facility | None = None) -> TransferEvent:
    """Save the transfer (version + 1), add the timeline step, audit it and announce it (also to `left`, the
    destination a re-routing took it from)."""
    transfer.version += 1
    transfer.save(update_fields=["state", "version", "updated_at", *(fields or [])])
    event = TransferEvent.objects.create(transfer=transfer, at=now, from_state=before, state=transfer.state,
                                         kind=kind, actor_id=actor.user_id, actor_label=actor.label[:200],
                                         facility_id=facility_id, reason=reason[:500], data=data or {})
    audit_record(actor=actor, action=action, object_type="transfer", object_id=transfer.pk,
                 region_id=transfer.origin.region_id, facility_id=transfer.origin_id,
                 changes={"kind": kind, "from": before, "to": transfer.state, "reason": reason[:500]})
    transfer_changed_publish(transfer, kind, left=left)
    return event

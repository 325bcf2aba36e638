"""Shipments: prepared and dispatched at the supplying warehouse, received once at the requesting one.

Dispatch takes the stock from the source (earliest expiry first, "transfer out" entries with the reference
"shipment:<id>"); if any line has too little, the whole dispatch is rolled back and nothing is written. Receipt
puts the same lots into the destination ("transfer in", same reference), reading them back from the dispatch
entries: what is missing is missing from the last lots taken, and the difference per line is kept with its note.

A shipment is received once. The receipt flips the status with a conditional UPDATE (dispatched -> received): a
second receipt, sequential or concurrent, finds no dispatched row and is refused with 409 SHIPMENT_STATE having
written nothing (on PostgreSQL the second UPDATE waits for the first one's row lock and then re-checks the
status; SQLite serialises writers). Refusing, rather than answering the first result again, tells a second
receiver that their counts were not recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import EntryKind, LedgerEntry
from jedel.supplies.models_requests import RequestStatus, Shipment, ShipmentLine, ShipmentStatus, SupplyRequest
from jedel.supplies.permissions import MOVE_STOCK, SHIP_SUPPLIES
from jedel.supplies.services.ledger import put, take, warehouse_for
from jedel.supplies.services.requests import (MAX_LINES, committed, notify_on_commit, request_of,
                                              request_progress_update, warehouse_levels)

SHIPPABLE = (RequestStatus.APPROVED, RequestStatus.PARTLY_FULFILLED)


def reference_of(shipment: Shipment) -> str:
    return f"shipment:{shipment.pk}"


def _shipment(shipment_id: int) -> Shipment:
    shipment = (Shipment.objects.select_related("request__source", "request__destination")
                .filter(pk=shipment_id).first())
    if shipment is None:
        raise NotFound(SupplyError.SHIPMENT_NOT_FOUND, field="shipment")
    return shipment


def _audit(actor: Principal, action: str, shipment: Shipment, changes: dict[str, object], now: datetime) -> None:
    request = shipment.request
    audit_record(actor=actor, action=action, object_type="shipment", object_id=shipment.pk,
                 region_id=request.region_id, facility_id=request.facility_id, now=now,
                 changes={"request": request.pk, **changes})


def _check_version(shipment: Shipment, version: int) -> None:
    if version != shipment.version:
        raise Conflict(SupplyError.STALE_VERSION, field="version",
                       detail=f"{SupplyError.STALE_VERSION.message} ({version} != {shipment.version})")


def _bad_units(value: object, *, zero: bool) -> bool:
    return isinstance(value, bool) or not isinstance(value, int) or value < (0 if zero else 1) or value > 10**9


def shipment_prepare(*, actor: Principal | None, request_id: int, lines: Mapping[int, int], carrier: str = "",
                     now: datetime | None = None) -> Shipment:
    """A shipment of some approved units (line id -> units); all shipments together never exceed the approval."""
    request = request_of(request_id)
    warehouse_for(actor, request.source_id, SHIP_SUPPLIES)
    assert actor is not None
    now = now or utcnow()
    if not lines or len(lines) > MAX_LINES:
        raise DomainError(SupplyError.INVALID, field="lines")
    own = {ln.pk: ln for ln in request.lines.select_related("item")}
    for line_id, units in lines.items():
        if line_id not in own:
            raise DomainError(SupplyError.INVALID, field=f"lines.{line_id}",
                              detail=_("This line is not on the request."))
        if _bad_units(units, zero=False):
            raise DomainError(SupplyError.NOT_POSITIVE, field=f"lines.{line_id}")
    with transaction.atomic():
        # The request row lock keeps two preparers from both fitting into the same approved units.
        locked = SupplyRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in SHIPPABLE:
            raise Conflict(SupplyError.REQUEST_NOT_OPEN, field="status")
        already = committed(list(lines))
        for line_id, units in lines.items():
            if already.get(line_id, 0) + units > (own[line_id].quantity_approved or 0):
                raise DomainError(SupplyError.OVER_APPROVED, field=f"lines.{line_id}")
        shipment = Shipment.objects.create(request=request, carrier=carrier.strip()[:200],
                                           prepared_by_label=actor.label[:200])
        ShipmentLine.objects.bulk_create([ShipmentLine(shipment=shipment, line=own[i], quantity_sent=q)
                                          for i, q in sorted(lines.items())])
        _audit(actor, "shipment_prepare", shipment, {
            "carrier": shipment.carrier, "lines": {own[i].item.code: q for i, q in sorted(lines.items())}}, now)
    return shipment


def shipment_dispatch(*, actor: Principal | None, shipment_id: int, version: int,
                      now: datetime | None = None) -> Shipment:
    """Take the shipment's units from the source (earliest expiry first) and send it; all lines or nothing."""
    shipment = _shipment(shipment_id)
    source = warehouse_for(actor, shipment.request.source_id, SHIP_SUPPLIES)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        _check_version(locked, version)
        if locked.status != ShipmentStatus.PREPARED:
            raise Conflict(SupplyError.SHIPMENT_STATE, field="status")
        lots: dict[str, str] = {}
        for sl in shipment.lines.select_related("line__item"):
            try:
                taken = take(source, sl.line.item, sl.quantity_sent, EntryKind.TRANSFER_OUT, actor_label=actor.label,
                             now=now, reference=reference_of(shipment), note=f"request:{shipment.request_id}")
            except DomainError as exc:  # name the line; the rollback undoes what earlier lines took
                raise DomainError(exc.code, field=f"lines.{sl.pk}", status=exc.status,
                                  detail=f"{exc.detail} ({sl.line.item.name})") from None
            lots[sl.line.item.code] = ",".join(f"{t.batch.lot or '-'}:{t.quantity}" for t in taken)
        Shipment.objects.filter(pk=shipment.pk).update(
            status=ShipmentStatus.DISPATCHED, version=F("version") + 1, dispatched_at=now,
            dispatched_by_label=actor.label[:200], updated_at=now)
        _audit(actor, "shipment_dispatch", shipment, {"lots": lots}, now)
        destination, request = shipment.request.destination, shipment.request
        notify_on_commit(
            kind="shipment", levels=warehouse_levels(destination), url=reverse("supplies:shipment", args=[shipment.pk]),
            title=lambda: _("Shipment #%(id)d dispatched from %(source)s to %(destination)s") % {
                "id": shipment.pk, "source": source.name, "destination": destination.name},
            dedupe_key=f"shipment:{shipment.pk}", region_id=destination.region_id,
            facility_id=destination.facility_id, data={"shipment": shipment.pk, "request": request.pk})
    shipment.refresh_from_db()
    return shipment


def _received_lots(shipment: Shipment, sl: ShipmentLine, units: int) -> list[tuple[LedgerEntry, int]]:
    """The dispatch's lots of this line in the order they were taken (FEFO), each with the units that arrived:
    the first lots arrive whole, the shortfall comes off the last ones."""
    entries = (LedgerEntry.objects.filter(reference=reference_of(shipment), kind=EntryKind.TRANSFER_OUT,
                                          warehouse_id=shipment.request.source_id, item_id=sl.line.item_id)
               .select_related("batch")
               .order_by(F("batch__expires_on").asc(nulls_last=True), "batch__lot", "pk"))
    left, parts = units, []
    for entry in entries:
        part = min(left, -entry.quantity)
        if part > 0:
            parts.append((entry, part))
        left -= part
    return parts


def shipment_receive(*, actor: Principal | None, shipment_id: int, received: Mapping[int, int],
                     notes: Mapping[int, str] | None = None, now: datetime | None = None) -> Shipment:
    """Record what arrived per shipment line (a line left out arrived whole), with a note on each difference."""
    shipment = _shipment(shipment_id)
    destination = warehouse_for(actor, shipment.request.destination_id, MOVE_STOCK)
    assert actor is not None
    now, notes = now or utcnow(), notes or {}
    own = {sl.pk: sl for sl in shipment.lines.select_related("line__item")}
    for line_id, units in received.items():
        if line_id not in own:
            raise DomainError(SupplyError.INVALID, field=f"received.{line_id}",
                              detail=_("This line is not on the shipment."))
        if _bad_units(units, zero=True) or units > own[line_id].quantity_sent:
            raise DomainError(SupplyError.INVALID, field=f"received.{line_id}",
                              detail=_("Between 0 and the quantity sent."))
    for line_id, note in notes.items():
        if line_id not in own or len(note) > 300:
            raise DomainError(SupplyError.INVALID, field=f"notes.{line_id}")
    with transaction.atomic():
        if not Shipment.objects.filter(pk=shipment.pk, status=ShipmentStatus.DISPATCHED).update(
                status=ShipmentStatus.RECEIVED, version=F("version") + 1, received_at=now,
                received_by_label=actor.label[:200], updated_at=now):
            raise Conflict(SupplyError.SHIPMENT_STATE, field="status")
        discrepancies: dict[str, str] = {}
        for line_id, sl in sorted(own.items()):
            units = received.get(line_id, sl.quantity_sent)
            for entry, part in _received_lots(shipment, sl, units):
                put(destination, sl.line.item, entry.batch, part, EntryKind.TRANSFER_IN, actor_label=actor.label,
                    now=now, reference=reference_of(shipment), note=f"request:{shipment.request_id}")
            sl.quantity_received, sl.discrepancy_note = units, notes.get(line_id, "").strip()
            sl.save(update_fields=["quantity_received", "discrepancy_note"])
            if units != sl.quantity_sent:
                discrepancies[sl.line.item.code] = f"{sl.quantity_sent - units}: {sl.discrepancy_note}"[:120]
        request = SupplyRequest.objects.select_for_update().get(pk=shipment.request_id)
        status = request_progress_update(request)
        _audit(actor, "shipment_receive", shipment, {
            "received": {own[i].line.item.code: own[i].quantity_received for i in sorted(own)},
            "discrepancies": discrepancies, "request_status": status}, now)
    shipment.refresh_from_db()
    return shipment


def shipment_cancel(*, actor: Principal | None, shipment_id: int, version: int,
                    now: datetime | None = None) -> Shipment:
    """Cancel a prepared shipment (nothing has moved yet): its units may be prepared again."""
    shipment = _shipment(shipment_id)
    warehouse_for(actor, shipment.request.source_id, SHIP_SUPPLIES)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        _check_version(locked, version)
        if locked.status != ShipmentStatus.PREPARED:
            raise Conflict(SupplyError.SHIPMENT_STATE, field="status")
        Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.CANCELLED, version=F("version") + 1,
                                                       updated_at=now)
        _audit(actor, "shipment_cancel", shipment, {}, now)
    shipment.refresh_from_db()
    return shipment


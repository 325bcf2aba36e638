"""Supply requests: made by a region or a hospital for its own warehouse, decided at the supplying warehouse.

A request asks one warehouse (the source) to send items to a warehouse of the requesting region or hospital (the
destination). The source's people approve a quantity per line (0 refuses the line; all lines 0 reject the
request). Shipments (services/shipments.py) then fulfil the approved quantities, partly or wholly; a request's
status follows the shipments received (`request_progress_update`). Notices go out after commit, so a rolled-back
write tells nobody; when nobody is there to tell, the request page still shows the request.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jedel.accounts.models import User
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import SYSTEM, audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.notifications.models import Priority
from jedel.notifications.services.sending import notice_send
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import Item, Warehouse
from jedel.supplies.models_requests import RequestLine, RequestStatus, ShipmentLine, ShipmentStatus, SupplyRequest
from jedel.supplies.permissions import DECIDE_REQUEST, REQUEST_SUPPLIES

log = logging.getLogger(__name__)
MAX_LINES = 200
MAX_UNITS = 1_000_000_000
ACK_TIMEOUT_S = 4 * 3600  # a request or a shipment waits hours, not minutes: nobody is paged every 3 minutes


# --- notices ---------------------------------------------------------------------------------------------------

def warehouse_levels(warehouse: Warehouse) -> list[list[dict[str, Any]]]:
    """Who looks after a warehouse: its logisticians first, then the coordinator (or manager) above them."""
    if warehouse.facility_id is not None:
        return [[{"role": "logistician", "facility": warehouse.facility_id},
                 {"role": "facility_manager", "facility": warehouse.facility_id}],
                [{"role": "logistician", "region": warehouse.region_id}]]
    if warehouse.region_id is not None:
        return [[{"role": "logistician", "region": warehouse.region_id}],
                [{"role": "regional_coordinator", "region": warehouse.region_id}]]
    return [[{"role": "logistician"}], [{"role": "national_coordinator"}]]


def notify_on_commit(*, kind: str, title: Any, levels: list[list[dict[str, Any]]], url: str, dedupe_key: str,
                     region_id: int | None, facility_id: int | None, data: dict[str, Any],
                     priority: str = Priority.URGENT) -> None:
    """Send a notice once the current transaction commits; `title` is a callable rendering it (default language)."""

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            text = str(title())
        try:
            notice_send(actor=SYSTEM, kind=kind, priority=priority, title=text, body=url, levels=levels,
                        ack_timeout_s=[ACK_TIMEOUT_S] * len(levels), region_id=region_id, facility_id=facility_id,
                        dedupe_key=dedupe_key, data=data)
        except DomainError as exc:  # nobody to tell: the request page still shows it
            log.warning("%s notice %s not sent: %s", kind, dedupe_key, exc)

    transaction.on_commit(send)


def _requester_levels(request: SupplyRequest) -> list[list[dict[str, Any]]]:
    """The person who asked, people of the same role over the requesting place, and its logisticians."""
    scope: dict[str, int] = ({"facility": request.facility_id} if request.facility_id is not None
                             else {"region": request.region_id})
    specs: list[dict[str, Any]] = []
    requester = User.objects.filter(username=request.requested_by_label, is_active=True).first()
    if requester is not None:
        specs.append({"user": requester.pk})
        specs.append({"role": requester.role, **scope})
    if not any(s.get("role") == "logistician" for s in specs):
        specs.append({"role": "logistician", **scope})
    return [specs]


# --- reads used by both services ---------------------------------------------------------------------------------

def request_of(request_id: int) -> SupplyRequest:
    request = (SupplyRequest.objects.select_related("source", "destination", "region", "facility")
               .filter(pk=request_id).first())
    if request is None:
        raise NotFound(SupplyError.REQUEST_NOT_FOUND, field="request")
    return request


def committed(line_ids: Sequence[int]) -> dict[int, int]:
    """Units of each request line on shipments that are not cancelled (prepared, dispatched or received)."""
    rows = (ShipmentLine.objects.filter(line_id__in=list(line_ids))
            .exclude(shipment__status=ShipmentStatus.CANCELLED)
            .values("line_id").annotate(units=Sum("quantity_sent")))
    return {r["line_id"]: int(r["units"] or 0) for r in rows}


def request_progress_update(request: SupplyRequest) -> str:
    """Set the request's status from its received shipments; call inside the receiving transaction.

    A line is fulfilled when the units sent on received shipments reach its approved quantity: a loss in transit
    is a recorded discrepancy, not a reason to keep the request open (a new request covers it).
    """
    lines = list(request.lines.all())
    received = dict(ShipmentLine.objects.filter(line__request=request, shipment__status=ShipmentStatus.RECEIVED)
                    .values("line_id").annotate(units=Sum("quantity_sent")).values_list("line_id", "units"))
    wanted = [ln for ln in lines if (ln.quantity_approved or 0) > 0]
    if wanted and all(received.get(ln.pk, 0) >= (ln.quantity_approved or 0) for ln in wanted):
        status = RequestStatus.FULFILLED
    elif any(received.values()):
        status = RequestStatus.PARTLY_FULFILLED
    else:
        status = request.status
    if status != request.status:
        SupplyRequest.objects.filter(pk=request.pk).update(status=status, version=request.version + 1,
                                                           updated_at=utcnow())
        request.status, request.version = status, request.version + 1
    return status


# --- checks ------------------------------------------------------------------------------------------------------

def _warehouse(warehouse_id: int, field: str) -> Warehouse:
    warehouse = Warehouse.objects.filter(pk=warehouse_id).first()
    if warehouse is None:
        raise NotFound(SupplyError.WAREHOUSE_NOT_FOUND, field=field)
    if not warehouse.active:
        raise DomainError(SupplyError.WAREHOUSE_INACTIVE, field=field, status=409)
    return warehouse


def _units(value: object, field: str, *, zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if zero else 1) or value > MAX_UNITS:
        raise DomainError(SupplyError.NOT_POSITIVE if not zero else SupplyError.INVALID, field=field)
    return value


def _lines(lines: Sequence[tuple[int, int]]) -> list[tuple[Item, int]]:
    if not lines or len(lines) > MAX_LINES:
        raise DomainError(SupplyError.INVALID, field="lines")
    seen: set[int] = set()
    for i, (item_id, quantity) in enumerate(lines):
        if item_id in seen:
            raise DomainError(SupplyError.INVALID, field=f"lines.{i}.item",
                              detail=_("This item is already on another line."))
        seen.add(item_id)
        _units(quantity, f"lines.{i}.quantity")
    known = {i.pk: i for i in Item.objects.filter(pk__in=seen, active=True)}
    for i, (item_id, _quantity) in enumerate(lines):
        if item_id not in known:
            raise NotFound(SupplyError.ITEM_NOT_FOUND, field=f"lines.{i}.item")
    return [(known[item_id], quantity) for item_id, quantity in lines]


def _incident_exists(incident_id: int) -> bool:
    # Incidents sit beside supplies on the ladder: reached through the foreign key's model, never imported.
    model = SupplyRequest._meta.get_field("incident").related_model
    return model.objects.filter(pk=incident_id).exists()  # type: ignore[union-attr]


def _check_version(request: SupplyRequest, version: int) -> None:
    if version != request.version:
        raise Conflict(SupplyError.STALE_VERSION, field="version",
                       detail=f"{SupplyError.STALE_VERSION.message} ({version} != {request.version})")


def _audit(actor: Principal, action: str, request: SupplyRequest, changes: dict[str, Any], now: datetime) -> None:
    audit_record(actor=actor, action=action, object_type="supply_request", object_id=request.pk,
                 region_id=request.region_id, facility_id=request.facility_id, now=now, changes=changes)


# --- services ----------------------------------------------------------------------------------------------------

def request_create(*, actor: Principal | None, region_id: int, facility_id: int | None, source_warehouse_id: int,
                   destination_warehouse_id: int, lines: Sequence[tuple[int, int]], needed_by: date | None = None,
                   reason: str = "", incident_id: int | None = None, now: datetime | None = None) -> SupplyRequest:
    """Ask `source` for items for a region (or a hospital in it), delivered to the region's (hospital's) warehouse."""
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise NotFound(SupplyError.INVALID, field="region")
    if facility_id is not None:
        facility = Facility.objects.filter(pk=facility_id).first()
        if facility is None:
            raise NotFound(SupplyError.INVALID, field="facility")
        if facility.region_id != region.pk:
            raise DomainError(SupplyError.INVALID, field="facility",
                              detail=_("This facility is not in the requesting region."))
    require(actor, REQUEST_SUPPLIES, Target(region_id=region.pk, facility_id=facility_id),
            object_type="supply_request")
    assert actor is not None
    now = now or utcnow()
    source = _warehouse(source_warehouse_id, "source")
    destination = _warehouse(destination_warehouse_id, "destination")
    if source.pk == destination.pk:
        raise DomainError(SupplyError.SAME_WAREHOUSE, field="destination")
    if (destination.facility_id != facility_id) if facility_id is not None else (destination.region_id != region.pk):
        raise DomainError(SupplyError.INVALID, field="destination",
                          detail=_("The receiving warehouse must belong to the requesting region or facility."))
    if incident_id is not None and not _incident_exists(incident_id):
        raise NotFound(SupplyError.INCIDENT_NOT_FOUND, field="incident")
    if needed_by is not None and needed_by < timezone.localdate(now):
        raise DomainError(SupplyError.INVALID, field="needed_by", detail=_("The date needed by has passed."))
    checked = _lines(lines)
    with transaction.atomic():
        request = SupplyRequest.objects.create(
            region=region, facility_id=facility_id, incident_id=incident_id, source=source, destination=destination,
            needed_by=needed_by, reason=reason.strip()[:2000], requested_by_label=actor.label[:200])
        RequestLine.objects.bulk_create([RequestLine(request=request, item=item, quantity_requested=quantity)
                                         for item, quantity in checked])
        _audit(actor, "request_create", request, {
            "source": source.code, "destination": destination.code, "incident": incident_id,
            "needed_by": needed_by.isoformat() if needed_by else None,
            "lines": {item.code: quantity for item, quantity in checked}}, now)
        place = request.facility.name if request.facility else region.name
        notify_on_commit(
            kind="supply_request", levels=warehouse_levels(source), url=reverse("supplies:request", args=[request.pk]),
            title=lambda: _("Supply request #%(id)d from %(place)s to %(warehouse)s") % {
                "id": request.pk, "place": place, "warehouse": source.name},
            dedupe_key=f"supply-request:{request.pk}", region_id=source.region_id, facility_id=source.facility_id,
            data={"request": request.pk, "source": source.code, "destination": destination.code})
    return request


def request_decide(*, actor: Principal | None, request_id: int, version: int, approved: Mapping[int, int],
                   note: str = "", now: datetime | None = None) -> SupplyRequest:
    """Approve a quantity per line (0 refuses it, at most what was asked); all lines 0 reject the request."""
    request = request_of(request_id)
    require(actor, DECIDE_REQUEST, request.source, object_type="supply_request", object_id=request.pk)
    assert actor is not None
    now = now or utcnow()
    lines = {ln.pk: ln for ln in request.lines.all()}
    for line_id, quantity in approved.items():
        if line_id not in lines:
            raise DomainError(SupplyError.INVALID, field=f"approved.{line_id}",
                              detail=_("This line is not on the request."))
        _units(quantity, f"approved.{line_id}", zero=True)
        if quantity > lines[line_id].quantity_requested:
            raise DomainError(SupplyError.INVALID, field=f"approved.{line_id}",
                              detail=_("More than was requested on this line."))
    missing = sorted(set(lines) - set(approved))
    if missing:
        raise DomainError(SupplyError.INVALID, field=f"approved.{missing[0]}",
                          detail=_("Decide every line of the request (0 refuses it)."))
    with transaction.atomic():
        locked = SupplyRequest.objects.select_for_update().get(pk=request.pk)
        _check_version(locked, version)
        if locked.status != RequestStatus.SUBMITTED:
            raise Conflict(SupplyError.REQUEST_NOT_OPEN, field="status")
        for line_id, quantity in approved.items():
            RequestLine.objects.filter(pk=line_id).update(quantity_approved=quantity)
        request.status = RequestStatus.APPROVED if any(approved.values()) else RequestStatus.REJECTED
        request.version = locked.version + 1
        request.decided_by_label, request.decided_at, request.decision_note = actor.label[:200], now, note[:2000]
        request.save(update_fields=["status", "version", "decided_by_label", "decided_at", "decision_note",
                                    "updated_at"])
        _audit(actor, "request_decide", request, {
            "status": request.status, "note": note[:200],
            "approved": {lines[i].item.code: q for i, q in sorted(approved.items())}}, now)
        rejected = request.status == RequestStatus.REJECTED
        notify_on_commit(
            kind="supply_request", levels=_requester_levels(request), priority=Priority.ROUTINE,
            url=reverse("supplies:request", args=[request.pk]),
            title=lambda: (_("Supply request #%(id)d rejected by %(warehouse)s") if rejected else
                           _("Supply request #%(id)d approved by %(warehouse)s")) % {
                "id": request.pk, "warehouse": request.source.name},
            dedupe_key=f"supply-request-decision:{request.pk}", region_id=request.region_id,
            facility_id=request.facility_id, data={"request": request.pk, "status": request.status})
    return request


def request_cancel(*, actor: Principal | None, request_id: int, version: int, reason: str = "",
                   now: datetime | None = None) -> SupplyRequest:
    """Withdraw a request (the requesting side) while nothing is on its way: no shipment prepared or later."""
    request = request_of(request_id)
    require(actor, REQUEST_SUPPLIES, Target(region_id=request.region_id, facility_id=request.facility_id),
            object_type="supply_request", object_id=request.pk)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        locked = SupplyRequest.objects.select_for_update().get(pk=request.pk)
        _check_version(locked, version)
        live = locked.shipments.exclude(status=ShipmentStatus.CANCELLED).exists()
        if locked.status not in (RequestStatus.SUBMITTED, RequestStatus.APPROVED) or live:
            raise Conflict(SupplyError.REQUEST_NOT_OPEN, field="status")
        request.status, request.version = RequestStatus.CANCELLED, locked.version + 1
        request.save(update_fields=["status", "version", "updated_at"])
        _audit(actor, "request_cancel", request, {"from": locked.status, "reason": reason[:200]}, now)
    return request


def request_close(*, actor: Principal | None, request_id: int, version: int, reason: str,
                  now: datetime | None = None) -> SupplyRequest:
    """Close an approved or partly fulfilled request short: the supplying warehouse will send no more.

    The supplying side decides it (it knows whether more can come); the reason is required and shown to the
    requester. Shipments still prepared or on the way must be received or cancelled first, so nothing in
    transit is orphaned; what was received stays received, and the rest stops counting as on order.
    """
    request = request_of(request_id)
    require(actor, DECIDE_REQUEST, request.source, object_type="supply_request", object_id=request.pk)
    assert actor is not None
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise DomainError(SupplyError.INVALID, field="reason", detail=_("Say why the rest will not be sent."))
    with transaction.atomic():
        locked = SupplyRequest.objects.select_for_update().get(pk=request.pk)
        _check_version(locked, version)
        if locked.status not in (RequestStatus.APPROVED, RequestStatus.PARTLY_FULFILLED):
            raise Conflict(SupplyError.REQUEST_NOT_OPEN, field="status")
        if locked.shipments.filter(status__in=(ShipmentStatus.PREPARED, ShipmentStatus.DISPATCHED)).exists():
            raise Conflict(SupplyError.SHIPMENT_STATE, field="status",
                           detail=_("A shipment of this request is still prepared or on the way: receive or "
                                    "cancel it first."))
        request.status, request.version = RequestStatus.CLOSED, locked.version + 1
        request.save(update_fields=["status", "version", "updated_at"])
        _audit(actor, "request_close", request, {"from": locked.status, "reason": reason[:200]}, now)
        notify_on_commit(
            kind="supply_request", levels=_requester_levels(request), priority=Priority.ROUTINE,
            url=reverse("supplies:request", args=[request.pk]),
            title=lambda: _("Supply request #%(id)d closed short by %(warehouse)s: %(reason)s") % {
                "id": request.pk, "warehouse": request.source.name, "reason": reason[:120]},
            dedupe_key=f"supply-request-closed:{request.pk}", region_id=request.region_id,
            facility_id=request.facility_id, data={"request": request.pk, "status": request.status})
    return request

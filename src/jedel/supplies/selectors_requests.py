"""Reads of requests and shipments, open to every person (view_supplies: no personal data in them).

A request line's figures: `prepared` (on shipments not yet dispatched), `shipped` (dispatched or received, as
sent), `received` (as counted at the destination) and `outstanding` (approved units not yet on any shipment: what
may still be prepared).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.common.errors import NotFound
from jedel.supplies.errors import SupplyError
from jedel.supplies.models_requests import RequestLine, Shipment, ShipmentLine, ShipmentStatus, SupplyRequest
from jedel.supplies.permissions import VIEW_SUPPLIES

_RELATED = ("region", "facility", "source", "destination", "incident")
LIST_LIMIT = 500


@dataclass(frozen=True)
class LineView:
    line: RequestLine
    prepared: int
    shipped: int
    received: int

    @property
    def outstanding(self) -> int:
        return max(0, (self.line.quantity_approved or 0) - self.prepared - self.shipped)


@dataclass(frozen=True)
class ShipmentLineView:
    line: ShipmentLine

    @property
    def discrepancy(self) -> int | None:
        """Units sent but not received (None until received)."""
        if self.line.quantity_received is None:
            return None
        return self.line.quantity_sent - self.line.quantity_received


@dataclass(frozen=True)
class ShipmentView:
    shipment: Shipment
    lines: list[ShipmentLineView] = field(default_factory=list)

    @property
    def discrepancies(self) -> list[ShipmentLineView]:
        return [v for v in self.lines if v.discrepancy]


@dataclass(frozen=True)
class RequestView:
    request: SupplyRequest
    lines: list[LineView]
    shipments: list[ShipmentView]

    @property
    def outstanding(self) -> int:
        return sum(v.outstanding for v in self.lines)


def request_list(viewer: Principal | None, *, status: str | None = None, region_id: int | None = None,
                 incident_id: int | None = None, limit: int = LIST_LIMIT) -> list[SupplyRequest]:
    """Requests, newest first, with their number of lines (`line_count`)."""
    require(viewer, VIEW_SUPPLIES, object_type="supply_request")
    # Meta.ordering is not applied to a GROUP BY query: the order is stated here.
    qs = (SupplyRequest.objects.select_related(*_RELATED).annotate(line_count=Count("lines"))
          .order_by("-created_at", "-pk"))
    if status:
        qs = qs.filter(status=status)
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    if incident_id is not None:
        qs = qs.filter(incident_id=incident_id)
    return list(qs[:limit])


def request_incidents(viewer: Principal | None) -> list[tuple[int, str]]:
    """(id, title) of the incidents requests are linked to: the list page's filter."""
    require(viewer, VIEW_SUPPLIES, object_type="supply_request")
    rows = (SupplyRequest.objects.filter(incident__isnull=False).order_by("-incident_id")
            .values_list("incident_id", "incident__title").distinct())
    return [(i, t) for i, t in rows]


def _shipment_views(shipments: list[Shipment]) -> list[ShipmentView]:
    lines: dict[int, list[ShipmentLineView]] = defaultdict(list)
    for sl in (ShipmentLine.objects.filter(shipment__in=shipments).select_related("line__item")
               .order_by("shipment_id", "pk")):
        lines[sl.shipment_id].append(ShipmentLineView(sl))
    return [ShipmentView(s, lines[s.pk]) for s in shipments]


def request_get(viewer: Principal | None, request_id: int) -> RequestView:
    """A request with its lines' figures and its shipments (with lines and discrepancies)."""
    request = SupplyRequest.objects.select_related(*_RELATED).filter(pk=request_id).first()
    if request is None:
        raise NotFound(SupplyError.REQUEST_NOT_FOUND, field="request")
    require(viewer, VIEW_SUPPLIES, request, object_type="supply_request", object_id=request.pk)
    shipments = _shipment_views(list(request.shipments.all()))
    figures: dict[int, dict[str, int]] = defaultdict(lambda: {"prepared": 0, "shipped": 0, "received": 0})
    for view in shipments:
        status = view.shipment.status
        for sl in view.lines:
            row = figures[sl.line.line_id]
            if status == ShipmentStatus.PREPARED:
                row["prepared"] += sl.line.quantity_sent
            elif status in (ShipmentStatus.DISPATCHED, ShipmentStatus.RECEIVED):
                row["shipped"] += sl.line.quantity_sent
            if status == ShipmentStatus.RECEIVED:
                row["received"] += sl.line.quantity_received or 0
    lines = [LineView(ln, **figures[ln.pk]) for ln in request.lines.select_related("item")]
    return RequestView(request, lines, shipments)


def shipment_list(viewer: Principal | None, *, request_id: int | None = None, status: str | None = None,
                  limit: int = LIST_LIMIT) -> list[ShipmentView]:
    """Shipments, newest first, with their lines."""
    require(viewer, VIEW_SUPPLIES, object_type="shipment")
    qs = Shipment.objects.select_related("request__source", "request__destination").order_by("-pk")
    if request_id is not None:
        qs = qs.filter(request_id=request_id)
    if status:
        qs = qs.filter(status=status)
    return _shipment_views(list(qs[:limit]))


def shipment_get(viewer: Principal | None, shipment_id: int) -> ShipmentView:
    shipment = (Shipment.objects.select_related("request__source", "request__destination", "request__region",
                                                "request__facility").filter(pk=shipment_id).first())
    if shipment is None:
        raise NotFound(SupplyError.SHIPMENT_NOT_FOUND, field="shipment")
    require(viewer, VIEW_SUPPLIES, shipment, object_type="shipment", object_id=shipment.pk)
    return _shipment_views([shipment])[0]

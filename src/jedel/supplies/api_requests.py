"""API of the supplies app's requests and shipments: request, decide, prepare, dispatch, receive (once)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from jedel.accounts.policy import Principal
from jedel.common.ids import RowIdParam
from jedel.supplies.schemas_requests import (RequestStatusName, ShipmentOut, ShipmentPrepareIn, ShipmentReceiveIn,
                                             ShipmentStatusName, ShipmentVersionIn, SupplyRequestCancelIn,
                                             SupplyRequestCloseIn, SupplyRequestDecisionIn, SupplyRequestIn,
                                             SupplyRequestOut, SupplyRequestSummaryOut)
from jedel.supplies.selectors_requests import request_get, request_list, shipment_get, shipment_list
from jedel.supplies.services.requests import request_cancel, request_close, request_create, request_decide
from jedel.supplies.services.shipments import shipment_cancel, shipment_dispatch, shipment_prepare, shipment_receive

router = Router(tags=["supplies"])


def _caller(request: HttpRequest) -> Principal | None:
    """The authenticated principal (the services and selectors check what it may do)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get("/supplies/requests", response=list[SupplyRequestSummaryOut])
def list_supply_requests(request: HttpRequest, status: RequestStatusName | None = None,
                         region: RowIdParam | None = None, incident: RowIdParam | None = None) -> Any:
    rows = request_list(_caller(request), status=status, region_id=region, incident_id=incident)
    return [SupplyRequestSummaryOut.of(r) for r in rows]


@router.get("/supplies/requests/{request_id}", response=SupplyRequestOut)
def get_supply_request(request: HttpRequest, request_id: RowIdParam) -> Any:
    return SupplyRequestOut.of(request_get(_caller(request), request_id))


@router.post("/supplies/requests", response={201: SupplyRequestOut})
def create_supply_request(request: HttpRequest, data: SupplyRequestIn) -> Any:
    created = request_create(actor=_caller(request), region_id=data.region, facility_id=data.facility,
                             source_warehouse_id=data.source, destination_warehouse_id=data.destination,
                             lines=[(x.item, x.quantity) for x in data.lines], needed_by=data.needed_by,
                             reason=data.reason, incident_id=data.incident)
    return Status(201, SupplyRequestOut.of(request_get(_caller(request), created.pk)))


@router.post("/supplies/requests/{request_id}/decision", response=SupplyRequestOut)
def decide_supply_request(request: HttpRequest, request_id: RowIdParam, data: SupplyRequestDecisionIn) -> Any:
    """Approve a quantity for every line (0 refuses it); all lines 0 reject the request."""
    request_decide(actor=_caller(request), request_id=request_id, version=data.version,
                   approved=data.approved(), note=data.note)
    return SupplyRequestOut.of(request_get(_caller(request), request_id))


@router.post("/supplies/requests/{request_id}/cancel", response=SupplyRequestOut)
def cancel_supply_request(request: HttpRequest, request_id: RowIdParam, data: SupplyRequestCancelIn) -> Any:
    request_cancel(actor=_caller(request), request_id=request_id, version=data.version, reason=data.reason)
    return SupplyRequestOut.of(request_get(_caller(request), request_id))


@router.post("/supplies/requests/{request_id}/close", response=SupplyRequestOut)
def close_supply_request(request: HttpRequest, request_id: RowIdParam, data: SupplyRequestCloseIn) -> Any:
    """The supplying warehouse sends no more (approved or partly fulfilled; nothing prepared or on the way)."""
    request_close(actor=_caller(request), request_id=request_id, version=data.version, reason=data.reason)
    return SupplyRequestOut.of(request_get(_caller(request), request_id))


@router.get("/supplies/shipments", response=list[ShipmentOut])
def list_supply_shipments(request: HttpRequest, request_id: RowIdParam | None = None,
                          status: ShipmentStatusName | None = None) -> Any:
    return [ShipmentOut.of(v) for v in shipment_list(_caller(request), request_id=request_id, status=status)]


@router.get("/supplies/shipments/{shipment_id}", response=ShipmentOut)
def get_supply_shipment(request: HttpRequest, shipment_id: RowIdParam) -> Any:
    return ShipmentOut.of(shipment_get(_caller(request), shipment_id))


@router.post("/supplies/requests/{request_id}/shipments", response={201: ShipmentOut})
def prepare_supply_shipment(request: HttpRequest, request_id: RowIdParam, data: ShipmentPrepareIn) -> Any:
    """Part of the approved units, or all that is left; never more than approved over all shipments (422)."""
    shipment = shipment_prepare(actor=_caller(request), request_id=request_id, lines=data.units(),
                                carrier=data.carrier)
    return Status(201, ShipmentOut.of(shipment_get(_caller(request), shipment.pk)))


@router.post("/supplies/shipments/{shipment_id}/dispatch", response=ShipmentOut)
def dispatch_supply_shipment(request: HttpRequest, shipment_id: RowIdParam, data: ShipmentVersionIn) -> Any:
    """Takes the stock from the supplying warehouse, earliest expiry first; too little of any line: 409, nothing
    moves."""
    shipment_dispatch(actor=_caller(request), shipment_id=shipment_id, version=data.version)
    return ShipmentOut.of(shipment_get(_caller(request), shipment_id))


@router.post("/supplies/shipments/{shipment_id}/receive", response=ShipmentOut)
def receive_supply_shipment(request: HttpRequest, shipment_id: RowIdParam, data: ShipmentReceiveIn) -> Any:
    """Recorded once: a second receipt is refused with 409 `shipment_state` and changes nothing."""
    shipment_receive(actor=_caller(request), shipment_id=shipment_id, received=data.received(),
                     notes=data.notes())
    return ShipmentOut.of(shipment_get(_caller(request), shipment_id))


@router.post("/supplies/shipments/{shipment_id}/cancel", response=ShipmentOut)
def cancel_supply_shipment(request: HttpRequest, shipment_id: RowIdParam, data: ShipmentVersionIn) -> Any:
    shipment_cancel(actor=_caller(request), shipment_id=shipment_id, version=data.version)
    return ShipmentOut.of(shipment_get(_caller(request), shipment_id))

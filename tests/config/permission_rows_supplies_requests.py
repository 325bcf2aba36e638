"""Permission-matrix rows of the supplies app's requests and shipments.

Callers as in test_permission_matrix: facility-scoped users are at A; the regional coordinator and the logistician
in KZ-75 (A, B). A request "at" a target facility f runs between f's hospital store and its region's warehouse:
either f asks the regional warehouse for its store (requested, cancelled and received at f), or the regional
warehouse asks f's store (decided, prepared, dispatched and cancelled at f's store), so that both sides of a request
are checked at f.
"""

from __future__ import annotations

from jedel.accounts.services import SYSTEM
from tests.config.permission_table import COORDINATORS, FACILITY_WRITE, PEOPLE, Endpoint, _json

# Requesting for f (request_supplies on f): coordinators over f, its manager, and logisticians over f (the KZ-75
# logistician: A and B).
REQUESTING = {**FACILITY_WRITE, "logistician": "YYN"}
# Deciding at the supplying warehouse, f's store (decide_request): coordinators and logisticians over it; never the
# facility's manager.
DECIDING = {**COORDINATORS, "logistician": "YYN"}
# Shipping from, or receiving into, f's store (ship_supplies, move_stock): its storekeepers, i.e. coordinators and
# logisticians over it and the facility's manager.
STOREKEEPING = {**FACILITY_WRITE, "logistician": "YYN"}


def _warehouse(code, **fields):
    from jedel.supplies.models import Warehouse

    return Warehouse.objects.get_or_create(code=code, defaults=fields)[0]


def _store_of(f):
    """The hospital store of `f` (made on first use)."""
    return _warehouse(f"pm-store-{f.code.lower()}", kind="hospital", region=f.region, facility=f,
                      name_en=f"{f.code} store", lat=f.lat, lon=f.lon)


def _regional_of(f):
    """The regional warehouse of `f`'s region."""
    return _warehouse(f"pm-reg-{f.region.iso_code.lower()}", kind="regional", region=f.region,
                      name_en=f"{f.region.iso_code} warehouse", lat=f.lat, lon=f.lon)


def _item():
    from jedel.supplies.models import Item

    return Item.objects.get_or_create(code="pm-soap", defaults={"category": "hygiene", "name_en": "Soap"})[0]


def _request(f, *, to_f: bool, approve: bool = False):
    """A request about `f` (made on first use): `to_f` asks f's store to supply its region's warehouse (decided
    and shipped at f); otherwise f asks its region's warehouse for f's store (requested and received at f)."""
    from jedel.supplies.models_requests import SupplyRequest
    from jedel.supplies.services.requests import request_create, request_decide

    key = f"pm-{'to' if to_f else 'from'}-{f.code}-{approve}"
    found = SupplyRequest.objects.filter(reason=key).first()
    if found is not None:
        return found
    source, destination = (_store_of(f), _regional_of(f)) if to_f else (_regional_of(f), _store_of(f))
    request = request_create(actor=SYSTEM, region_id=f.region_id, facility_id=None if to_f else f.pk,
                             source_warehouse_id=source.pk, destination_warehouse_id=destination.pk,
                             lines=[(_item().pk, 5)], reason=key)
    if approve:
        request = request_decide(actor=SYSTEM, request_id=request.pk, version=1,
                                 approved={request.lines.get().pk: 5})
    return request


def _line_of(request):
    return request.lines.get().pk


def _shipment(f, *, to_f: bool, dispatched: bool = False):
    """A prepared (or dispatched) shipment of 5 on the request `_request(f, to_f=...)`, approved."""
    from jedel.supplies.models_requests import Shipment
    from jedel.supplies.services.ledger import stock_receive
    from jedel.supplies.services.shipments import shipment_dispatch, shipment_prepare

    request = _request(f, to_f=to_f, approve=True)
    found = Shipment.objects.filter(request=request).first()
    if found is not None:
        return found
    shipment = shipment_prepare(actor=SYSTEM, request_id=request.pk, lines={_line_of(request): 5})
    if dispatched:
        stock_receive(actor=SYSTEM, warehouse_id=request.source_id, item_id=_item().pk, quantity=5)
        shipment = shipment_dispatch(actor=SYSTEM, shipment_id=shipment.pk, version=1)
    return shipment


def _create_body(f, world):
    return _json({"region": f.region_id, "facility": f.pk, "source": _regional_of(f).pk,
                  "destination": _store_of(f).pk, "lines": [{"item": _item().pk, "quantity": 5}]})(f, world)


def _decision_body(f, world):
    return _json({"version": 1, "lines": [{"line": _line_of(_request(f, to_f=True)), "approved": 3}]})(f, world)


def _prepare_body(f, world):
    return _json({"lines": [{"line": _line_of(_request(f, to_f=True, approve=True)), "quantity": 2}]})(f, world)


def _dispatch_ready(f, world):
    """Stock at f's store for the shipment (the body is built before the path)."""
    from jedel.supplies.services.ledger import stock_receive

    _shipment(f, to_f=True)
    stock_receive(actor=SYSTEM, warehouse_id=_store_of(f).pk, item_id=_item().pk, quantity=5)
    return _json({"version": 1})(f, world)


SUPPLY_REQUEST_ENDPOINTS = [
    # Requests and shipments are read by every person (no personal data); facility tokens read nothing of them.
    Endpoint("list_supply_requests", "get", lambda f: "/api/supplies/requests", PEOPLE, 200),
    Endpoint("get_supply_request", "get", lambda f: f"/api/supplies/requests/{_request(f, to_f=False).pk}",
             PEOPLE, 200),
    # The requesting side (f asks for its store).
    Endpoint("create_supply_request", "post", lambda f: "/api/supplies/requests", REQUESTING, 201,
             _create_body),
    Endpoint("cancel_supply_request", "post",
             lambda f: f"/api/supplies/requests/{_request(f, to_f=False).pk}/cancel", REQUESTING, 200,
             _json({"version": 1})),
    # Deciding at the supplying warehouse (f's store).
    Endpoint("decide_supply_request", "post",
             lambda f: f"/api/supplies/requests/{_request(f, to_f=True).pk}/decision", DECIDING, 200,
             _decision_body),
    # Closing short is the supplying side's decision too (approved: version 2).
    Endpoint("close_supply_request", "post",
             lambda f: f"/api/supplies/requests/{_request(f, to_f=True, approve=True).pk}/close", DECIDING, 200,
             _json({"version": 2, "reason": "no more soap this season"})),
    Endpoint("list_supply_shipments", "get", lambda f: "/api/supplies/shipments", PEOPLE, 200),
    Endpoint("get_supply_shipment", "get", lambda f: f"/api/supplies/shipments/{_shipment(f, to_f=True).pk}",
             PEOPLE, 200),
    # Shipping from f's store.
    Endpoint("prepare_supply_shipment", "post",
             lambda f: f"/api/supplies/requests/{_request(f, to_f=True, approve=True).pk}/shipments",
             STOREKEEPING, 201, _prepare_body),
    Endpoint("dispatch_supply_shipment", "post",
             lambda f: f"/api/supplies/shipments/{_shipment(f, to_f=True).pk}/dispatch", STOREKEEPING, 200,
             _dispatch_ready),
    Endpoint("cancel_supply_shipment", "post",
             lambda f: f"/api/supplies/shipments/{_shipment(f, to_f=True).pk}/cancel", STOREKEEPING, 200,
             _json({"version": 1})),
    # Receiving into f's store.
    Endpoint("receive_supply_shipment", "post",
             lambda f: f"/api/supplies/shipments/{_shipment(f, to_f=False, dispatched=True).pk}/receive",
             STOREKEEPING, 200, _json({"lines": []})),
]

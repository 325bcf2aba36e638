"""Shipments: partial fulfilment over two shipments with exact stock moves (lots kept from source to destination),
discrepancies, a dispatch with too little stock writing nothing, a shipment received once (also with two
concurrent receivers on PostgreSQL), cancellation, notices, audit rows and every refusal's code."""

from __future__ import annotations

import time
from datetime import date

import pytest

from jedel.accounts.models import AuditEvent
from jedel.common.errors import DomainError
from jedel.notifications.models import Delivery, Notice
from jedel.supplies.models import LedgerEntry, StockBalance
from jedel.supplies.models_requests import Shipment, ShipmentLine, SupplyRequest
from jedel.supplies.selectors_requests import request_get
from jedel.supplies.services import shipments as shipping
from jedel.supplies.services.ledger import stock_receive
from jedel.supplies.services.requests import request_decide
from jedel.supplies.services.shipments import (shipment_cancel, shipment_dispatch, shipment_prepare,
                                               shipment_receive)
from tests.common.races import race, require_postgres
from tests.supplies.conftest import p
from tests.supplies.test_requests import T0, code_of, hospital_request, line_ids

pytestmark = pytest.mark.django_db


def stock_up(depot, lots):
    """Receive (item, lot, expiry, units) at the Aktobe region warehouse."""
    for code, lot, expires, units in lots:
        stock_receive(actor=p(depot["people"]["aktobe_log"]), warehouse_id=depot["aktobe"].pk,
                      item_id=depot["items"][code].pk, quantity=units, lot=lot, expires_on=expires, now=T0)


STOCK = [("soap", "S-OLD", date(2026, 10, 1), 500),  # expired before T0: never shipped
         ("soap", "S-B", date(2027, 6, 30), 100), ("soap", "S-A", date(2027, 1, 31), 30),
         ("toothpaste", "T-1", date(2026, 12, 31), 50)]


@pytest.fixture
def approved(depot):
    """SUP-H1's request (soap 100, toothpaste 40) approved at soap 80, toothpaste 40, with the stock above."""
    stock_up(depot, STOCK)
    request = hospital_request(depot)
    ids = line_ids(request)
    request_decide(actor=p(depot["people"]["aktobe_log"]), request_id=request.pk, version=1,
                   approved={ids["soap"]: 80, ids["toothpaste"]: 40}, now=T0)
    return request, ids


def balances(warehouse):
    return {(b.item.code, b.batch.lot): b.on_hand
            for b in StockBalance.objects.filter(warehouse=warehouse).select_related("item", "batch")}


def entries(warehouse, shipment):
    return list(LedgerEntry.objects.filter(warehouse=warehouse, reference=f"shipment:{shipment.pk}")
                .order_by("pk").values_list("kind", "item__code", "batch__lot", "quantity"))


def ship_line(shipment, code):
    return ShipmentLine.objects.get(shipment=shipment, line__item__code=code)


def test_partial_fulfilment_over_two_shipments_moves_stock_lot_by_lot(depot, approved,
                                                                      django_capture_on_commit_callbacks):
    request, ids = approved
    log, manager = p(depot["people"]["aktobe_log"]), p(depot["people"]["manager_h1"])
    source, store = depot["aktobe"], depot["store"]
    first = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 50, ids["toothpaste"]: 40},
                             carrier="KAMAZ 123 ABC 04", now=T0)
    assert (first.status, first.version, first.carrier) == ("prepared", 1, "KAMAZ 123 ABC 04")
    assert entries(source, first) == []  # preparing moves nothing
    with django_capture_on_commit_callbacks(execute=True):
        sent = shipment_dispatch(actor=log, shipment_id=first.pk, version=1, now=T0)
    assert (sent.status, sent.version, sent.dispatched_by_label, sent.dispatched_at) == \
        ("dispatched", 2, "log_aktobe", T0)
    # Earliest expiry first, the expired lot skipped: S-A (Jan 2027) whole, then 20 of S-B.
    assert entries(source, first) == [("transfer_out", "soap", "S-A", -30), ("transfer_out", "soap", "S-B", -20),
                                      ("transfer_out", "toothpaste", "T-1", -40)]
    assert balances(source) == {("soap", "S-OLD"): 500, ("soap", "S-B"): 80, ("soap", "S-A"): 0,
                                ("toothpaste", "T-1"): 10}
    notice = Notice.objects.get(kind="shipment")
    assert set(Delivery.objects.filter(notice=notice).values_list("recipient__username", flat=True)) == \
        {"manager_h1"}

    soap_line = ship_line(first, "soap")
    got = shipment_receive(actor=manager, shipment_id=first.pk, received={soap_line.pk: 48},
                           notes={soap_line.pk: "2 bars crushed"}, now=T0)
    assert (got.status, got.version, got.received_by_label) == ("received", 3, "manager_h1")
    # Same lots as taken; the 2 missing come off the last lot taken (S-B).
    assert entries(store, first) == [("transfer_in", "soap", "S-A", 30), ("transfer_in", "soap", "S-B", 18),
                                     ("transfer_in", "toothpaste", "T-1", 40)]
    assert balances(store) == {("soap", "S-A"): 30, ("soap", "S-B"): 18, ("toothpaste", "T-1"): 40}
    assert list(ShipmentLine.objects.filter(shipment=first).order_by("line__item__code")
                .values_list("line__item__code", "quantity_sent", "quantity_received", "discrepancy_note")) == \
        [("soap", 50, 48, "2 bars crushed"), ("toothpaste", 40, 40, "")]
    assert SupplyRequest.objects.get().status == "partly_fulfilled"  # soap: 50 of 80 on its way or in

    # What is left: 30 soap; 31 would go over the approval, toothpaste is all shipped.
    assert code_of(lambda: shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 31},
                                            now=T0)) == (422, "over_approved", f"lines.{ids['soap']}")
    assert code_of(lambda: shipment_prepare(actor=log, request_id=request.pk, lines={ids["toothpaste"]: 1},
                                            now=T0))[:2] == (422, "over_approved")
    second = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 30}, now=T0)
    figures = {v.line.item.code: (v.line.quantity_approved, v.prepared, v.shipped, v.received, v.outstanding)
               for v in request_get(log, request.pk).lines}
    assert figures == {"soap": (80, 30, 50, 48, 0), "toothpaste": (40, 0, 40, 40, 0)}
    shipment_dispatch(actor=log, shipment_id=second.pk, version=1, now=T0)
    assert entries(source, second) == [("transfer_out", "soap", "S-B", -30)]
    shipment_receive(actor=manager, shipment_id=second.pk, received={}, now=T0)
    assert entries(store, second) == [("transfer_in", "soap", "S-B", 30)]
    assert balances(source) == {("soap", "S-OLD"): 500, ("soap", "S-B"): 50, ("soap", "S-A"): 0,
                                ("toothpaste", "T-1"): 10}
    assert balances(store) == {("soap", "S-A"): 30, ("soap", "S-B"): 48, ("toothpaste", "T-1"): 40}
    assert SupplyRequest.objects.get().status == "fulfilled"
    view = request_get(log, request.pk)
    assert {v.line.item.code: (v.shipped, v.received, v.outstanding) for v in view.lines} == \
        {"soap": (80, 78, 0), "toothpaste": (40, 40, 0)}
    assert [(s.shipment.pk, [(d.line.line.item.code, d.discrepancy, d.line.discrepancy_note)
                             for d in s.discrepancies]) for s in view.shipments] == \
        [(first.pk, [("soap", 2, "2 bars crushed")]), (second.pk, [])]
    assert code_of(lambda: shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 1},
                                            now=T0))[:2] == (409, "request_not_open")


def test_every_step_is_audited(depot, approved):
    request, ids = approved
    log, manager = p(depot["people"]["aktobe_log"]), p(depot["people"]["manager_h1"])
    shipment = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 50}, now=T0)
    shipment_dispatch(actor=log, shipment_id=shipment.pk, version=1, now=T0)
    line = ship_line(shipment, "soap")
    shipment_receive(actor=manager, shipment_id=shipment.pk, received={line.pk: 45}, notes={line.pk: "wet"}, now=T0)
    other = shipment_prepare(actor=log, request_id=request.pk, lines={ids["toothpaste"]: 5}, now=T0)
    shipment_cancel(actor=log, shipment_id=other.pk, version=1, now=T0)
    rows = {a.action: a for a in AuditEvent.objects.filter(object_type="shipment")}
    assert sorted(rows) == ["shipment_cancel", "shipment_dispatch", "shipment_prepare", "shipment_receive"]
    assert rows["shipment_prepare"].changes == {"request": request.pk, "carrier": "", "lines": {"soap": 50}}
    assert rows["shipment_dispatch"].changes == {"request": request.pk, "lots": {"soap": "S-A:30,S-B:20"}}
    assert rows["shipment_receive"].changes == {"request": request.pk, "received": {"soap": 45},
                                                "discrepancies": {"soap": "5: wet"},
                                                "request_status": "partly_fulfilled"}
    assert (rows["shipment_receive"].actor_label, rows["shipment_cancel"].object_id) == ("manager_h1", str(other.pk))


def test_dispatch_with_too_little_stock_writes_nothing(depot, django_capture_on_commit_callbacks):
    stock_up(depot, STOCK)
    request = hospital_request(depot, lines=[(depot["items"]["soap"].pk, 100), (depot["items"]["toothpaste"].pk, 60)])
    ids = line_ids(request)
    log = p(depot["people"]["aktobe_log"])
    request_decide(actor=log, request_id=request.pk, version=1, approved={ids["soap"]: 100, ids["toothpaste"]: 60},
                   now=T0)
    # Soap (first line) could be taken; toothpaste has 50 of the 60: the soap taken is put back.
    shipment = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 100, ids["toothpaste"]: 60},
                                now=T0)
    before = (balances(depot["aktobe"]), LedgerEntry.objects.count(), AuditEvent.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        error = code_of(lambda: shipment_dispatch(actor=log, shipment_id=shipment.pk, version=1, now=T0))
    assert error == (409, "insufficient_stock", f"lines.{ship_line(shipment, 'toothpaste').pk}")
    assert (balances(depot["aktobe"]), LedgerEntry.objects.count(), AuditEvent.objects.count()) == before
    assert balances(depot["aktobe"])[("soap", "S-A")] == 30
    stored = Shipment.objects.get()
    assert (stored.status, stored.version, stored.dispatched_at) == ("prepared", 1, None)
    assert not Notice.objects.filter(kind="shipment").exists()


@pytest.fixture
def dispatched(depot, approved):
    request, ids = approved
    log = p(depot["people"]["aktobe_log"])
    shipment = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 50, ids["toothpaste"]: 40},
                                now=T0)
    return shipment_dispatch(actor=log, shipment_id=shipment.pk, version=1, now=T0)


def test_a_shipment_received_twice_is_recorded_once(depot, dispatched):
    manager = p(depot["people"]["manager_h1"])
    soap = ship_line(dispatched, "soap")
    shipment_receive(actor=manager, shipment_id=dispatched.pk, received={soap.pk: 50}, now=T0)
    after = (balances(depot["store"]), LedgerEntry.objects.count(), AuditEvent.objects.count(),
             list(ShipmentLine.objects.values_list("quantity_received", "discrepancy_note")))
    # The second receiver counted differently; nothing of theirs is recorded.
    assert code_of(lambda: shipment_receive(actor=p(depot["people"]["aktobe_log"]), shipment_id=dispatched.pk,
                                            received={soap.pk: 40}, notes={soap.pk: "short"}, now=T0)) == \
        (409, "shipment_state", "status")
    assert (balances(depot["store"]), LedgerEntry.objects.count(), AuditEvent.objects.count(),
            list(ShipmentLine.objects.values_list("quantity_received", "discrepancy_note"))) == after
    assert balances(depot["store"]) == {("soap", "S-A"): 30, ("soap", "S-B"): 20, ("toothpaste", "T-1"): 40}
    assert Shipment.objects.get().version == 3


def test_refusals_of_shipment_steps(depot, approved, dispatched):
    request, ids = approved
    people = depot["people"]
    log, manager = p(people["aktobe_log"]), p(people["manager_h1"])
    soap = ship_line(dispatched, "soap")
    # Who: the source ships (not the requesting hospital, not another region); the destination receives.
    assert code_of(lambda: shipment_prepare(actor=manager, request_id=request.pk, lines={ids["soap"]: 1},
                                            now=T0))[:2] == (403, "forbidden")
    assert code_of(lambda: shipment_prepare(actor=p(people["almaty_log"]), request_id=request.pk,
                                            lines={ids["soap"]: 1}, now=T0))[:2] == (403, "forbidden")
    for who in ("almaty_log", "clinician_h1", "viewer"):
        assert code_of(lambda w=who: shipment_receive(actor=p(people[w]), shipment_id=dispatched.pk, received={},
                                                      now=T0))[:2] == (403, "forbidden"), who
    # What: bad lines and quantities.
    assert code_of(lambda: shipment_prepare(actor=log, request_id=request.pk, lines={}, now=T0)) == \
        (422, "invalid", "lines")
    assert code_of(lambda: shipment_prepare(actor=log, request_id=request.pk, lines={999999: 1}, now=T0)) == \
        (422, "invalid", "lines.999999")
    assert code_of(lambda: shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 0}, now=T0)) == \
        (422, "not_positive", f"lines.{ids['soap']}")
    assert code_of(lambda: shipment_prepare(actor=log, request_id=999999, lines={1: 1}, now=T0))[:2] == \
        (404, "request_not_found")
    assert code_of(lambda: shipment_receive(actor=manager, shipment_id=dispatched.pk, received={soap.pk: 51},
                                            now=T0)) == (422, "invalid", f"received.{soap.pk}")
    assert code_of(lambda: shipment_receive(actor=manager, shipment_id=dispatched.pk, received={soap.pk: -1},
                                            now=T0)) == (422, "invalid", f"received.{soap.pk}")
    assert code_of(lambda: shipment_receive(actor=manager, shipment_id=dispatched.pk, received={999999: 1},
                                            now=T0)) == (422, "invalid", "received.999999")
    assert code_of(lambda: shipment_receive(actor=manager, shipment_id=dispatched.pk, received={},
                                            notes={soap.pk: "x" * 301}, now=T0)) == (422, "invalid", f"notes.{soap.pk}")
    # When: a dispatched shipment is neither dispatched again nor cancelled; versions must be current.
    assert code_of(lambda: shipment_dispatch(actor=log, shipment_id=dispatched.pk, version=2, now=T0)) == \
        (409, "shipment_state", "status")
    assert code_of(lambda: shipment_dispatch(actor=log, shipment_id=dispatched.pk, version=1, now=T0)) == \
        (409, "stale_version", "version")
    assert code_of(lambda: shipment_cancel(actor=log, shipment_id=dispatched.pk, version=2, now=T0))[:2] == \
        (409, "shipment_state")
    for call in (shipment_dispatch, shipment_cancel):
        assert code_of(lambda c=call: c(actor=log, shipment_id=999999, version=1, now=T0))[:2] == \
            (404, "shipment_not_found")
    assert code_of(lambda: shipment_receive(actor=manager, shipment_id=999999, received={}, now=T0))[:2] == \
        (404, "shipment_not_found")
    assert Shipment.objects.get().status == "dispatched"
    assert not LedgerEntry.objects.filter(kind="transfer_in").exists()


def test_a_prepared_shipment_is_received_only_after_dispatch_and_cancelling_frees_its_units(depot, approved):
    request, ids = approved
    log = p(depot["people"]["aktobe_log"])
    shipment = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 80}, now=T0)
    assert code_of(lambda: shipment_receive(actor=p(depot["people"]["manager_h1"]), shipment_id=shipment.pk,
                                            received={}, now=T0))[:2] == (409, "shipment_state")
    assert code_of(lambda: shipment_cancel(actor=log, shipment_id=shipment.pk, version=3, now=T0))[:2] == \
        (409, "stale_version")
    assert code_of(lambda: shipment_dispatch(actor=p(depot["people"]["manager_h1"]), shipment_id=shipment.pk,
                                             version=1, now=T0))[:2] == (403, "forbidden")
    cancelled = shipment_cancel(actor=log, shipment_id=shipment.pk, version=1, now=T0)
    assert (cancelled.status, cancelled.version) == ("cancelled", 2)
    assert code_of(lambda: shipment_dispatch(actor=log, shipment_id=shipment.pk, version=2, now=T0))[:2] == \
        (409, "shipment_state")
    again = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 80}, now=T0)
    assert again.status == "prepared" and LedgerEntry.objects.filter(kind="transfer_out").count() == 0


def test_a_closed_source_warehouse_does_not_dispatch(depot, approved):
    request, ids = approved
    log = p(depot["people"]["aktobe_log"])
    shipment = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 10}, now=T0)
    depot["aktobe"].active = False
    depot["aktobe"].save()
    assert code_of(lambda: shipment_dispatch(actor=log, shipment_id=shipment.pk, version=1, now=T0))[:2] == \
        (409, "warehouse_inactive")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_receipts_record_one(depot, dispatched, monkeypatch):
    require_postgres()
    original = shipping.put

    def slow_put(*args, **kwargs):  # widen the window in which a second receiver could slip in
        time.sleep(0.05)
        return original(*args, **kwargs)

    monkeypatch.setattr(shipping, "put", slow_put)
    soap = ship_line(dispatched, "soap")
    people = depot["people"]
    counts = [("manager_h1", 50), ("aktobe_log", 44)]
    results = race([lambda w=w, n=n: shipment_receive(actor=p(people[w]), shipment_id=dispatched.pk,
                                                       received={soap.pk: n}, now=T0) for w, n in counts])
    won = [i for i, r in enumerate(results) if isinstance(r, Shipment)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert (len(won), [(e.status, e.code.value) for e in lost]) == (1, [(409, "shipment_state")]), results
    units = counts[won[0]][1]
    s_b = units - 30  # S-A's 30 arrive whole; the rest of the soap is S-B
    assert balances(depot["store"]) == {("soap", "S-A"): 30, ("soap", "S-B"): s_b, ("toothpaste", "T-1"): 40}
    assert LedgerEntry.objects.filter(kind="transfer_in").count() == 3
    assert AuditEvent.objects.filter(action="shipment_receive").count() == 1
    assert ShipmentLine.objects.get(pk=soap.pk).quantity_received == units

"""Burn rate in the app: outlooks of stock lines (expired units are not usable; units on order delay the reorder)
against numbers worked by hand, and the units on order read from approved requests and their shipments.

Defaults of engines.py: lead time 7 days, safety stock 7 days, order up to 30 days of use. So with 10 units a day
the reorder point is 10 x (7 + 7) = 140 and the order-up-to level 10 x 30 = 300.
"""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jedel.core.supplies import ReorderReason
from jedel.supplies import engines
from jedel.supplies.models import Item
from jedel.supplies.models_requests import RequestLine, Shipment, ShipmentLine, SupplyRequest
from jedel.supplies.selectors import StockLine, units_on_order
from jedel.supplies.services.ledger import stock_issue, stock_receive
from tests.supplies.conftest import p

GLOVES = Item(code="gloves", category="ppe", name_en="Examination gloves", pack_size=50)
SOAP = Item(code="soap", category="hygiene", name_en="Soap bar", pack_size=1)


def line(on_hand, *, expired=0, used=140, window=14, item=GLOVES) -> StockLine:
    return StockLine(warehouse_id=1, item=item, on_hand=on_hand, expiring_soon=0, expired=expired, min_units=None,
                     used_in_window=used, window_days=window)


def summary(o: engines.Outlook) -> tuple:
    r = o.reorder
    return (o.daily_use_units, o.days_of_supply, r.reason, r.order_units, r.order_packs, r.inventory_position_units)


def test_usable_stock_above_the_reorder_point_is_sufficient():
    # 500 on hand, 100 expired: 400 usable; 140 used in 14 days = 10/day -> 40 days; 400 > 140.
    assert summary(engines.outlook(line(500, expired=100))) == (10.0, 40.0, ReorderReason.SUFFICIENT, 0, 0, 400.0)


def test_expired_units_are_not_usable_stock():
    # 150 on hand, 50 expired: 100 usable -> 10 days; 100 <= 140: order up to 300, 200 units = 4 packs of 50.
    # Counting the expired units (150 > 140) would have ordered nothing.
    assert summary(engines.outlook(line(150, expired=50))) == (
        10.0, 10.0, ReorderReason.BELOW_REORDER_POINT, 200, 4, 100.0)


def test_units_on_order_delay_the_reorder_but_not_the_days_of_supply():
    # 100 usable + 60 on order = 160 > 140: no order yet; days of supply count what is on hand only (10).
    assert summary(engines.outlook(line(150, expired=50), units_on_order=60)) == (
        10.0, 10.0, ReorderReason.SUFFICIENT, 0, 0, 160.0)
    # 100 + 30 = 130 <= 140: order 300 - 130 = 170 units, rounded up to 4 packs of 50 = 200.
    assert summary(engines.outlook(line(150, expired=50), units_on_order=30)) == (
        10.0, 10.0, ReorderReason.BELOW_REORDER_POINT, 200, 4, 130.0)
    # In single units the same order is exactly 170.
    assert summary(engines.outlook(line(100, item=SOAP), units_on_order=30)) == (
        10.0, 10.0, ReorderReason.BELOW_REORDER_POINT, 170, 170, 130.0)


def test_the_reorder_point_and_target_follow_the_given_days():
    # Lead 3 + safety 2 days at 10/day: reorder point 50, up to 20 days = 200. 60 usable > 50: sufficient;
    # 40 usable: order 160 -> 4 packs (3.2 rounded up) = 200 units.
    o = engines.outlook(line(60), lead_time_days=3, safety_stock_days=2, target_days_of_supply=20)
    assert (o.reorder.reason, o.reorder.reorder_point_units, o.reorder.order_up_to_units) == (
        ReorderReason.SUFFICIENT, 50.0, 200.0)
    o = engines.outlook(line(40), lead_time_days=3, safety_stock_days=2, target_days_of_supply=20)
    assert (o.reorder.reason, o.reorder.order_units, o.reorder.order_packs) == (
        ReorderReason.BELOW_REORDER_POINT, 200, 4)


def test_window_length_and_no_use():
    # 70 used in a 7-day window is also 10/day: 100 usable -> 10 days.
    assert engines.outlook(line(100, used=70, window=7)).daily_use_units == 10.0
    # 15 used in 14 days: 15/14 a day; 30 usable last 30 / (15/14) = 28 days.
    assert engines.outlook(line(30, used=15)).days_of_supply == pytest.approx(28.0)
    idle = engines.outlook(line(100, used=0))
    assert (idle.daily_use_units, idle.days_of_supply, idle.reorder.reason, idle.reorder.order_units) == (
        0.0, math.inf, ReorderReason.NO_USE, 0)


def test_census_forecast_need_and_run_out_day():
    # (10 + 12 + 15) patients x 4 units = 148; cumulative 40, 88, 148: day 2 is the first above 100.
    assert engines.census_forecast(100, [10, 12, 15], 4.0) == engines.CensusForecast(148.0, 2)
    # A need equal to the stock is covered: 25 x 4 = 100.
    assert engines.census_forecast(100, [25], 4.0) == engines.CensusForecast(100.0, None)
    assert engines.census_forecast(0, [0, 1], 2.0) == engines.CensusForecast(2.0, 1)


def _request(depot, destination, status, lines, *, source="national"):
    """A request with lines (item code, approved, [(sent, received or None) per shipment line])."""
    dest = depot[destination]
    request = SupplyRequest.objects.create(region=dest.region, facility=dest.facility, source=depot[source],
                                           destination=dest, status=status, requested_by_label="test")
    shipment = Shipment.objects.create(request=request, prepared_by_label="test")
    for code, approved, shipped in lines:
        rl = RequestLine.objects.create(request=request, item=depot["items"][code],
                                        quantity_requested=max(approved or 0, 1) + 20, quantity_approved=approved)
        for sent, received in shipped:
            ShipmentLine.objects.create(shipment=shipment, line=rl, quantity_sent=sent, quantity_received=received)
    return request


@pytest.fixture
def ordered(depot):
    """Requests in every state, to Aktobe's warehouse and to the hospital store."""
    _request(depot, "aktobe", "approved", [("gloves", 100, [(40, 40), (30, None)]),  # 30 in transit: still due
                                           ("mask-n95", 0, [])])                      # refused line
    _request(depot, "aktobe", "partly_fulfilled", [("gloves", 50, [(20, 10)]),      # 10 short on arrival
                                                   ("soap", 10, [(15, 15)])])        # more came than approved
    _request(depot, "aktobe", "submitted", [("gloves", None, [])])
    _request(depot, "aktobe", "fulfilled", [("gloves", 70, [(70, 70)])])
    _request(depot, "aktobe", "cancelled", [("gloves", 80, [])])
    _request(depot, "aktobe", "rejected", [("gloves", 0, [])])
    _request(depot, "store", "approved", [("mask-n95", 25, [])], source="aktobe")
    return depot


@pytest.mark.django_db
def test_units_on_order_from_open_requests_less_what_arrived(ordered):
    aktobe, store, items = ordered["aktobe"].pk, ordered["store"].pk, ordered["items"]
    # Gloves to Aktobe: approved 100 + 50 on the open requests, received 40 + 10 -> 100 still due.
    # Soap: 10 approved, 15 received -> nothing due (never negative). The store: 25 N95, nothing shipped.
    assert units_on_order() == {(aktobe, items["gloves"].pk): 100, (aktobe, items["soap"].pk): 0,
                                (store, items["mask-n95"].pk): 25}
    assert units_on_order([store]) == {(store, items["mask-n95"].pk): 25}
    assert units_on_order(None, items["gloves"].pk) == {(aktobe, items["gloves"].pk): 100}
    assert units_on_order([ordered["almaty"].pk]) == {}


@pytest.mark.django_db
def test_stock_api_counts_units_on_order(ordered):
    now, actor = timezone.now(), p(ordered["people"]["aktobe_log"])
    wh, gloves = ordered["aktobe"].pk, ordered["items"]["gloves"].pk
    stock_receive(actor=actor, warehouse_id=wh, item_id=gloves, quantity=240, now=now - timedelta(days=20))
    stock_issue(actor=actor, warehouse_id=wh, item_id=gloves, quantity=140, now=now - timedelta(days=5))
    client = Client()
    client.force_login(ordered["people"]["viewer"])
    rows = {r["item"]: r for r in client.get(f"/api/supplies/stock?warehouse={wh}").json()}
    # 100 on hand, 10/day -> 10 days; with the 100 due the position is 200 > 140: no order (without it, 200 units).
    assert (rows["gloves"]["on_hand"], rows["gloves"]["days_of_supply"], rows["gloves"]["reorder"],
            rows["gloves"]["order_units"]) == (100, 10.0, "sufficient", 0)

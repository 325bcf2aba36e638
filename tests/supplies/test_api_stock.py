"""The stock API: catalogue, warehouses, movements, minimums, the ledger, stock with days of supply and reorder
advice (computed by hand below), the census forecast, and the answers to bad bodies and anonymous callers.

The stock endpoint reads the real clock, so movements are written through the services with `now=` set days
before it: every figure depends only on which side of the 14-day window an entry lies.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jedel.supplies.models import Item, KitVersion, LedgerEntry, StockBalance, Warehouse
from jedel.supplies.services.catalogue import minimum_set
from jedel.supplies.services.ledger import on_hand, stock_adjust, stock_issue, stock_receive
from tests.supplies.conftest import p

pytestmark = pytest.mark.django_db


def client_of(depot, who: str) -> Client:
    client = Client()
    client.force_login(depot["people"][who])
    return client


def codes(response) -> list[tuple[str, list[str]]]:
    return [(d["code"], d.get("loc")) for d in response.json()["detail"]]


def post(client, url, body):
    return client.post(url, data=body, content_type="application/json")


@pytest.fixture
def stocked(depot):
    """Aktobe warehouse: N95 respirators and gloves with a history of issues; the hospital store: 10 gloves;
    a minimum of soap at Aktobe with no soap in stock."""
    now, today = timezone.now(), timezone.localdate()
    actor = p(depot["people"]["aktobe_log"])
    wh, items = depot["aktobe"].pk, depot["items"]

    def move(fn, code, days_ago, **kw):
        return fn(actor=actor, warehouse_id=wh, item_id=items[code].pk, now=now - timedelta(days=days_ago), **kw)

    move(stock_receive, "mask-n95", 20, quantity=1780)
    move(stock_issue, "mask-n95", 20, quantity=100)   # before the window: not counted as use
    for days_ago, qty in [(13, 80), (7, 120), (1, 80)]:  # in the window: 280
        move(stock_issue, "mask-n95", days_ago, quantity=qty)
    move(stock_receive, "mask-n95", 0.1, quantity=50, lot="OLD", expires_on=today - timedelta(days=10))
    move(stock_receive, "mask-n95", 0.1, quantity=30, lot="SOON", expires_on=today + timedelta(days=30))
    move(stock_receive, "gloves", 20, quantity=250)
    move(stock_issue, "gloves", 10, quantity=100)
    move(stock_issue, "gloves", 2, quantity=40)
    move(stock_adjust, "gloves", 1, delta=-10, note="torn boxes")  # a correction, not use
    stock_receive(actor=actor, warehouse_id=depot["store"].pk, item_id=items["gloves"].pk, quantity=10)
    minimum_set(actor=actor, warehouse_id=wh, item_id=items["mask-n95"].pk, min_units=1500)
    minimum_set(actor=actor, warehouse_id=wh, item_id=items["soap"].pk, min_units=10)
    return depot


def test_stock_on_hand_days_of_supply_and_reorder_by_hand(stocked):
    response = client_of(stocked, "clinician_h1").get(f"/api/supplies/stock?warehouse={stocked['aktobe'].pk}")
    assert response.status_code == 200, response.content
    rows = {r["item"]: r for r in response.json()}
    assert [r["item"] for r in response.json()] == ["soap", "gloves", "mask-n95"]  # hygiene before ppe, then code
    wh = stocked["aktobe"].pk
    # N95: 1780 - 100 - 280 + 50 (expired lot) + 30 (lot expiring in 30 days) = 1480 on hand, 50 of them expired.
    # Use: 80 + 120 + 80 = 280 over 14 days = 20/day. Usable 1480 - 50 = 1430 -> 1430 / 20 = 71.5 days.
    # Reorder point 20 x (7 lead + 7 safety) = 280 < 1430: sufficient. Minimum 1500 > 1480: below.
    assert rows["mask-n95"] == {"warehouse": wh, "item": "mask-n95", "on_hand": 1480, "expired": 50,
                                "expiring_soon": 30, "min_units": 1500, "below_minimum": True, "daily_use": 20.0,
                                "window_days": 14, "days_of_supply": 71.5, "reorder": "sufficient",
                                "order_units": 0}
    # Gloves: 250 - 100 - 40 - 10 = 100. Use 140 / 14 = 10/day (the adjustment is not use) -> 10 days.
    # 100 <= 10 x 14 = 140: order up to 10 x 30 = 300, i.e. 200 units = 4 packs of 50.
    assert rows["gloves"] == {"warehouse": wh, "item": "gloves", "on_hand": 100, "expired": 0, "expiring_soon": 0,
                              "min_units": None, "below_minimum": False, "daily_use": 10.0, "window_days": 14,
                              "days_of_supply": 10.0, "reorder": "below_reorder_point", "order_units": 200}
    # Soap: a minimum and nothing else: no use, so no days-of-supply figure and no order.
    assert rows["soap"] == {"warehouse": wh, "item": "soap", "on_hand": 0, "expired": 0, "expiring_soon": 0,
                            "min_units": 10, "below_minimum": True, "daily_use": 0.0, "window_days": 14,
                            "days_of_supply": None, "reorder": "no_use", "order_units": 0}


def test_stock_of_one_item_across_warehouses(stocked):
    response = client_of(stocked, "viewer").get(f"/api/supplies/stock?item={stocked['items']['gloves'].pk}")
    assert [(r["warehouse"], r["on_hand"], r["reorder"]) for r in response.json()] == [
        (stocked["aktobe"].pk, 100, "below_reorder_point"), (stocked["store"].pk, 10, "no_use")]


def test_census_forecast_by_hand(stocked):
    client = client_of(stocked, "viewer")
    body = {"warehouse": stocked["aktobe"].pk, "item": stocked["items"]["mask-n95"].pk, "census": [100, 120, 150]}
    response = post(client, "/api/supplies/forecast/census", body)
    # Usable N95: 1480 - 50 expired = 1430. 4 per patient-day: need (100 + 120 + 150) x 4 = 1480.
    # Cumulative need 400, 880, 1480: day 2 is the first above 1430.
    assert (response.status_code, response.json()) == (200, {"on_hand": 1430, "units_per_patient_day": 4.0,
                                                             "need_units": 1480.0, "run_out_day": 2})
    # At 3 per patient-day: 300, 660, 1110, all within 1430: the stock lasts.
    lasting = post(client, "/api/supplies/forecast/census", body | {"units_per_patient_day": 3})
    assert (lasting.json()["need_units"], lasting.json()["run_out_day"]) == (1110.0, None)
    no_rate = post(client, "/api/supplies/forecast/census", body | {"item": stocked["items"]["soap"].pk})
    assert (no_rate.status_code, codes(no_rate)) == (422, [("forecast_invalid", ["units_per_patient_day"])])
    for bad, field in [({"census": []}, "census"), ({"census": [10, -1]}, "census"), ({"warehouse": "x"}, "warehouse")]:
        refused = post(client, "/api/supplies/forecast/census", body | bad)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"][:3] == ["body", "data", field]


def test_items_list_and_create(depot):
    listed = client_of(depot, "viewer").get("/api/supplies/items?category=ppe")
    assert [i["code"] for i in listed.json()] == ["gloves", "mask-n95"]
    body = {"code": "sanitiser", "category": "hygiene", "name_en": "Hand sanitiser", "unit": "bottle",
            "shelf_life_days": 730, "pack_size": 12}
    national = client_of(depot, "national_log")
    created = post(national, "/api/supplies/items", body)
    assert created.status_code == 201, created.content
    assert {k: created.json()[k] for k in ("code", "unit", "pack_size", "units_per_patient_day")} == {
        "code": "sanitiser", "unit": "bottle", "pack_size": 12, "units_per_patient_day": None}
    again = post(national, "/api/supplies/items", body)
    assert (again.status_code, codes(again)) == (409, [("item_exists", ["code"])])
    regional = post(client_of(depot, "aktobe_log"), "/api/supplies/items", body | {"code": "other"})
    assert (regional.status_code, codes(regional)) == (403, [("forbidden", None)])
    bad = post(national, "/api/supplies/items", body | {"code": "Bad Code", "category": "food"})
    assert bad.status_code == 422
    assert sorted(d["loc"][-1] for d in bad.json()["detail"]) == ["category", "code"]
    assert Item.objects.filter(code__in=["other", "Bad Code"]).count() == 0


def test_kit_versions_list_and_create(depot):
    kit = depot["items"]["hygiene-kit"].pk
    listed = client_of(depot, "viewer").get(f"/api/supplies/kits/{kit}/versions")
    assert [(v["number"], v["components"]) for v in listed.json()] == [(1, [
        {"item": "soap", "quantity": 4}, {"item": "toothbrush", "quantity": 4},
        {"item": "toothpaste", "quantity": 2}, {"item": "towel", "quantity": 2}])]
    national = client_of(depot, "national_log")
    url = f"/api/supplies/kits/{kit}/versions"
    created = post(national, url, {"components": {"soap": 3, "towel": 2, "diapers": 1}, "note": "from feedback"})
    assert created.status_code == 201, created.content
    assert (created.json()["number"], created.json()["components"]) == (2, [
        {"item": "diapers", "quantity": 1}, {"item": "soap", "quantity": 3}, {"item": "towel", "quantity": 2}])
    unknown = post(national, url, {"components": {"soap": 3, "no-such-item": 1}})
    assert (unknown.status_code, unknown.json()["detail"][0]["code"]) == (422, "item_not_found")
    not_kit = post(national, f"/api/supplies/kits/{depot['items']['soap'].pk}/versions", {"components": {"towel": 1}})
    assert (not_kit.status_code, codes(not_kit)) == (422, [("not_a_kit", ["kit"])])
    missing = post(national, "/api/supplies/kits/999999/versions", {"components": {"towel": 1}})
    assert (missing.status_code, codes(missing)) == (404, [("item_not_found", ["kit"])])
    for bad in ({"components": {}}, {"components": {"soap": 0}}):
        refused = post(national, url, bad)
        assert (refused.status_code, refused.json()["detail"][0]["loc"][:3]) == (422, ["body", "data", "components"])
    assert KitVersion.objects.filter(kit_id=kit).count() == 2


def test_an_unknown_kit_component_is_named_in_the_error(depot):
    url = f"/api/supplies/kits/{depot['items']['hygiene-kit'].pk}/versions"
    response = post(client_of(depot, "national_log"), url, {"components": {"soap": 3, "no-such-item": 1}})
    assert (response.status_code, codes(response)) == (422, [("item_not_found", ["components", "no-such-item"])])


def test_warehouses_list_and_create(depot):
    viewer = client_of(depot, "viewer")
    region = depot["aktobe_region"].pk
    assert [w["code"] for w in viewer.get(f"/api/supplies/warehouses?region={region}").json()] == [
        "store-h1", "reg-aktobe"]  # by kind: "hospital" before "regional"
    assert [w["code"] for w in viewer.get("/api/supplies/warehouses?kind=national").json()] == ["nat-astana"]
    body = {"code": "rc-aktobe", "kind": "partner", "name_en": "Red Crescent, Aktobe", "region": "KZ-15",
            "partner": "Kazakh Red Crescent", "lat": 50.3, "lon": 57.1}
    created = post(client_of(depot, "aktobe_log"), "/api/supplies/warehouses", body)
    assert created.status_code == 201, created.content
    assert {k: created.json()[k] for k in ("code", "kind", "region", "facility", "partner")} == {
        "code": "rc-aktobe", "kind": "partner", "region": "KZ-15", "facility": None, "partner": "Kazakh Red Crescent"}
    again = post(client_of(depot, "aktobe_log"), "/api/supplies/warehouses", body)
    assert (again.status_code, codes(again)) == (409, [("warehouse_exists", ["code"])])
    other_region = post(client_of(depot, "almaty_log"), "/api/supplies/warehouses", body | {"code": "x-1"})
    assert other_region.status_code == 403
    bad_region = post(client_of(depot, "aktobe_log"), "/api/supplies/warehouses", body | {"code": "x-2",
                                                                                          "region": "KZ-99"})
    assert (bad_region.status_code, codes(bad_region)) == (422, [("invalid", ["region"])])
    far = post(client_of(depot, "aktobe_log"), "/api/supplies/warehouses", body | {"code": "x-3", "lat": 60})
    assert (far.status_code, far.json()["detail"][0]["loc"]) == (422, ["body", "data", "lat"])
    assert not Warehouse.objects.filter(code__startswith="x-").exists()


def test_receipts_issues_adjustments_write_offs_and_ledger(depot):
    client, wh = client_of(depot, "manager_h1"), depot["store"].pk
    gloves = depot["items"]["gloves"].pk
    base = f"/api/supplies/warehouses/{wh}"
    old = (timezone.localdate() - timedelta(days=3)).isoformat()
    new = (timezone.localdate() + timedelta(days=200)).isoformat()
    r1 = post(client, f"{base}/receipts", {"item": gloves, "quantity": 30, "lot": "G-OLD", "expires_on": old})
    r2 = post(client, f"{base}/receipts", {"item": gloves, "quantity": 20, "lot": "G-NEW", "expires_on": new,
                                           "reference": "donation:7"})
    assert (r1.status_code, r2.status_code) == (201, 201), r1.content
    assert {k: r2.json()[k] for k in ("kind", "item", "lot", "expires_on", "quantity", "reference", "actor")} == {
        "kind": "receipt", "item": "gloves", "lot": "G-NEW", "expires_on": new, "quantity": 20,
        "reference": "donation:7", "actor": "manager_h1"}
    issued = post(client, f"{base}/issues", {"item": gloves, "quantity": 12})  # G-OLD has expired: G-NEW only
    assert (issued.status_code, issued.json()) == (201, [{"lot": "G-NEW", "quantity": 12}])
    too_many = post(client, f"{base}/issues", {"item": gloves, "quantity": 9})  # 8 usable left
    assert (too_many.status_code, codes(too_many)) == (409, [("insufficient_stock", ["quantity"])])
    adjusted = post(client, f"{base}/adjustments", {"item": gloves, "delta": -3, "lot": "G-NEW", "note": "wet"})
    assert adjusted.status_code == 201
    not_expired = post(client, f"{base}/write-offs", {"item": gloves, "lot": "G-NEW"})
    assert (not_expired.status_code, codes(not_expired)) == (422, [("not_expired", ["lot"])])
    written_off = post(client, f"{base}/write-offs", {"item": gloves, "lot": "G-OLD"})
    assert (written_off.status_code, written_off.json()) == (201, {"units": 30})
    # 30 + 20 - 12 - 3 - 30 = 5
    assert on_hand(wh, gloves) == 5
    ledger = client.get(f"{base}/ledger?item={gloves}&limit=3")
    assert [(e["kind"], e["lot"], e["quantity"]) for e in ledger.json()] == [
        ("expiry", "G-OLD", -30), ("adjustment", "G-NEW", -3), ("issue", "G-NEW", -12)]
    assert LedgerEntry.objects.filter(warehouse_id=wh).count() == 5


def test_movements_refused_for_bad_bodies_and_other_places(depot):
    gloves = depot["items"]["gloves"].pk
    client = client_of(depot, "manager_h1")
    regional = f"/api/supplies/warehouses/{depot['aktobe'].pk}"
    denied = post(client, f"{regional}/receipts", {"item": gloves, "quantity": 5})
    assert (denied.status_code, codes(denied)) == (403, [("forbidden", None)])
    store = f"/api/supplies/warehouses/{depot['store'].pk}"
    for url, body, field in [(f"{store}/receipts", {"item": gloves, "quantity": 0}, "quantity"),
                             (f"{store}/receipts", {"item": "gloves", "quantity": 5}, "item"),
                             (f"{store}/receipts", {"item": gloves, "quantity": 5, "expires_on": "2027-02-30"},
                              "expires_on"),
                             (f"{store}/issues", {"item": gloves, "quantity": 10**9 + 1}, "quantity"),
                             (f"{store}/adjustments", {"item": gloves, "delta": -1}, "note"),
                             (f"{store}/write-offs", {"item": gloves, "lot": ""}, "lot")]:
        refused = post(client, url, body)
        assert (refused.status_code, refused.json()["detail"][0]["loc"]) == (422, ["body", "data", field]), url
    missing = post(client, "/api/supplies/warehouses/999999/receipts", {"item": gloves, "quantity": 5})
    assert (missing.status_code, codes(missing)) == (404, [("warehouse_not_found", ["warehouse"])])
    no_item = post(client, f"{store}/receipts", {"item": 999999, "quantity": 5})
    assert (no_item.status_code, codes(no_item)) == (404, [("item_not_found", ["item"])])
    assert StockBalance.objects.count() == 0


def test_minimums_set_and_removed(depot):
    client, wh, soap = client_of(depot, "aktobe_log"), depot["aktobe"].pk, depot["items"]["soap"].pk
    url = f"/api/supplies/warehouses/{wh}/minimums"
    assert client.put(url, data={"item": soap, "min_units": 25}, content_type="application/json").status_code == 200
    assert client.get(f"/api/supplies/stock?warehouse={wh}").json()[0]["min_units"] == 25
    assert client.put(url, data={"item": soap, "min_units": 0}, content_type="application/json").status_code == 200
    assert client.get(f"/api/supplies/stock?warehouse={wh}").json() == []
    other = client_of(depot, "almaty_log").put(url, data={"item": soap, "min_units": 5},
                                               content_type="application/json")
    assert other.status_code == 403
    negative = client.put(url, data={"item": soap, "min_units": -1}, content_type="application/json")
    assert (negative.status_code, negative.json()["detail"][0]["loc"]) == (422, ["body", "data", "min_units"])


@pytest.mark.parametrize("method,path", [
    ("get", "/api/supplies/stock"), ("get", "/api/supplies/items"), ("get", "/api/supplies/warehouses"),
    ("post", "/api/supplies/warehouses/1/receipts"), ("post", "/api/supplies/forecast/census"),
])
def test_anonymous_is_401(depot, method, path):
    response = getattr(Client(), method)(path, **({"data": {}, "content_type": "application/json"}
                                                 if method == "post" else {}))
    assert (response.status_code, response.json()["detail"][0]["code"]) == (401, "not_authenticated")


def test_booleans_are_not_numbers(depot):
    """JSON true/false is refused where a number is asked (pydantic would read them as 1/0)."""
    national = client_of(depot, "national_log")
    body = {"code": "gown", "category": "ppe", "name_en": "Gown", "units_per_patient_day": False}
    refused = post(national, "/api/supplies/items", body)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "units_per_patient_day"
    receipt = post(client_of(depot, "aktobe_log"), f"/api/supplies/warehouses/{depot['aktobe'].pk}/receipts",
                   {"item": depot["items"]["soap"].pk, "quantity": True})
    assert receipt.status_code == 422 and receipt.json()["detail"][0]["loc"][-1] == "quantity"


def test_a_nul_in_a_new_warehouse_or_a_lot_is_a_422_and_writes_nothing(depot, client):
    """Found by the OpenAPI fuzzer on PostgreSQL, which cannot store NUL: the answer was a 500."""
    from jedel.supplies.models import LedgerEntry, Warehouse

    client.force_login(depot["people"]["national"])
    before = (Warehouse.objects.count(), LedgerEntry.objects.count())
    base = {"code": "nul-test", "kind": "partner", "name_en": "Partner", "lat": 50.0, "lon": 60.0}
    for field, value in [("facility", "\x00X"), ("name_en", "P\x00"), ("partner", "\x00"), ("region", "KZ\x00")]:
        r = post(client, "/api/supplies/warehouses", json.dumps({**base, field: value}))
        assert (r.status_code, codes(r)[0][1][-1]) == (422, field), r.content
    r = post(client, f"/api/supplies/warehouses/{depot['aktobe'].pk}/receipts",
             json.dumps({"item": depot["items"]["soap"].pk, "quantity": 1, "lot": "L\x00"}))
    assert (r.status_code, codes(r)[0][1][-1]) == (422, "lot")
    assert (Warehouse.objects.count(), LedgerEntry.objects.count()) == before

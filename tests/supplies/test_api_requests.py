"""The requests and shipments API: the whole flow with exact figures, filters, and every kind of refusal
(422 with the field, 404 for unknown ids, 403, 409, 401)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.supplies.models import LedgerEntry
from jedel.supplies.models_requests import Shipment, SupplyRequest
from tests.supplies.test_requests import T0
from tests.supplies.test_shipments import STOCK, stock_up

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def body_of(depot, **extra):
    items = depot["items"]
    return {"region": depot["aktobe_region"].pk, "facility": depot["hospital"].pk, "source": depot["aktobe"].pk,
            "destination": depot["store"].pk, "needed_by": "2099-01-31", "reason": "Flood",
            "lines": [{"item": items["soap"].pk, "quantity": 100}, {"item": items["toothpaste"].pk, "quantity": 40}]
            } | extra


def errors(response):
    return [(e["code"], e.get("loc")) for e in response.json()["detail"]]


@pytest.fixture
def clients(depot):
    return {k: client_of(u) for k, u in depot["people"].items()}


def test_request_to_receipt_through_the_api(depot, clients):
    stock_up(depot, STOCK)
    created = post(clients["manager_h1"], "/api/supplies/requests", body_of(depot))
    assert created.status_code == 201, created.content
    req = created.json()
    assert (req["status"], req["version"], req["requested_by"], req["facility"], req["needed_by"]) == \
        ("submitted", 1, "manager_h1", depot["hospital"].pk, "2099-01-31")
    lines = {x["item_code"]: x for x in req["lines"]}
    assert [(c, x["requested"], x["approved"], x["outstanding"]) for c, x in sorted(lines.items())] == \
        [("soap", 100, None, 0), ("toothpaste", 40, None, 0)]
    url = f"/api/supplies/requests/{req['id']}"
    decided = post(clients["aktobe_log"], f"{url}/decision", {"version": 1, "note": "ok", "lines": [
        {"line": lines["soap"]["id"], "approved": 80}, {"line": lines["toothpaste"]["id"], "approved": 40}]})
    assert decided.status_code == 200, decided.content
    assert (decided.json()["status"], decided.json()["version"], decided.json()["decided_by"]) == \
        ("approved", 2, "log_aktobe")
    prepared = post(clients["aktobe_log"], f"{url}/shipments",
                    {"carrier": "KAMAZ", "lines": [{"line": lines["soap"]["id"], "quantity": 50}]})
    assert prepared.status_code == 201, prepared.content
    ship = prepared.json()
    assert (ship["status"], ship["version"], ship["request"], [(x["item_code"], x["sent"]) for x in ship["lines"]]) \
        == ("prepared", 1, req["id"], [("soap", 50)])
    sent = post(clients["aktobe_log"], f"/api/supplies/shipments/{ship['id']}/dispatch", {"version": 1})
    assert (sent.status_code, sent.json()["status"], sent.json()["version"]) == (200, "dispatched", 2)
    line = ship["lines"][0]["id"]
    got = post(clients["manager_h1"], f"/api/supplies/shipments/{ship['id']}/receive",
               {"lines": [{"line": line, "received": 47, "note": "3 bars wet"}]})
    assert got.status_code == 200, got.content
    assert [(x["sent"], x["received"], x["discrepancy"], x["note"]) for x in got.json()["lines"]] == \
        [(50, 47, 3, "3 bars wet")]
    again = post(clients["manager_h1"], f"/api/supplies/shipments/{ship['id']}/receive", {"lines": []})
    assert (again.status_code, errors(again)) == (409, [("shipment_state", ["status"])])
    detail = clients["viewer"].get(url).json()
    assert detail["status"] == "partly_fulfilled"
    assert {x["item_code"]: (x["approved"], x["prepared"], x["shipped"], x["received"], x["outstanding"])
            for x in detail["lines"]} == {"soap": (80, 0, 50, 47, 30), "toothpaste": (40, 0, 0, 0, 40)}
    assert [s["id"] for s in detail["shipments"]] == [ship["id"]]
    assert LedgerEntry.objects.filter(reference=f"shipment:{ship['id']}", kind="transfer_in").count() == 2
    listed = clients["viewer"].get(f"/api/supplies/shipments?request_id={req['id']}&status=received").json()
    assert [(s["id"], s["status"]) for s in listed] == [(ship["id"], "received")]
    one = clients["viewer"].get(f"/api/supplies/shipments/{ship['id']}")
    assert (one.status_code, one.json()["received_by"]) == (200, "manager_h1")


def test_lists_filter_by_status_region_and_incident(depot, clients):
    from jedel.incidents.models import Incident

    flood = Incident.objects.create(title="Aktobe floods", kind="flood", scene_lat=50.28, scene_lon=57.17,
                                    region=depot["aktobe_region"], declared_by_label="national", declared_at=T0)
    first = post(clients["manager_h1"], "/api/supplies/requests", body_of(depot, incident=flood.pk)).json()
    second = post(clients["almaty_log"], "/api/supplies/requests", body_of(
        depot, region=depot["almaty_region"].pk, facility=None, source=depot["national"].pk,
        destination=depot["almaty"].pk)).json()
    post(clients["manager_h1"], f"/api/supplies/requests/{first['id']}/cancel", {"version": 1})

    def ids(query):
        response = clients["viewer"].get(f"/api/supplies/requests{query}")
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()]

    assert ids("") == [second["id"], first["id"]]
    assert ids("?status=cancelled") == [first["id"]]
    assert ids("?status=submitted") == [second["id"]]
    assert ids(f"?region={depot['almaty_region'].pk}") == [second["id"]]
    assert ids(f"?incident={flood.pk}") == [first["id"]]
    bad = clients["viewer"].get("/api/supplies/requests?status=lost")
    assert (bad.status_code, errors(bad)[0][0]) == (422, "invalid")


def test_bad_input_is_422_with_the_field(depot, clients):
    manager = clients["manager_h1"]
    soap = depot["items"]["soap"].pk
    cases = [
        (body_of(depot, lines=[{"item": soap, "quantity": 0}]), ["body", "data", "lines", 0, "quantity"]),
        (body_of(depot, lines=[{"item": soap, "quantity": "5"}]), ["body", "data", "lines", 0, "quantity"]),
        (body_of(depot, lines=[]), ["body", "data", "lines"]),
        ({k: v for k, v in body_of(depot).items() if k != "source"}, ["body", "data", "source"]),
        (body_of(depot, reason="x" * 2001), ["body", "data", "reason"]),
        (body_of(depot, reason="nul \x00 inside"), ["body", "data", "reason"]),
    ]
    for body, loc in cases:
        response = post(manager, "/api/supplies/requests", body)
        assert (response.status_code, errors(response)) == (422, [("invalid", loc)]), body
    same = post(manager, "/api/supplies/requests", body_of(depot, destination=depot["aktobe"].pk))
    assert (same.status_code, errors(same)) == (422, [("same_warehouse", ["destination"])])
    twice = post(manager, "/api/supplies/requests", body_of(depot, lines=[{"item": soap, "quantity": 1},
                                                                          {"item": soap, "quantity": 2}]))
    assert (twice.status_code, errors(twice)) == (422, [("invalid", ["lines", "1", "item"])])
    assert SupplyRequest.objects.count() == 0
    req = post(manager, "/api/supplies/requests", body_of(depot)).json()
    line = req["lines"][0]["id"]
    dup = post(clients["aktobe_log"], f"/api/supplies/requests/{req['id']}/decision",
               {"version": 1, "lines": [{"line": line, "approved": 1}, {"line": line, "approved": 2}]})
    assert (dup.status_code, errors(dup)) == (422, [("invalid", ["lines", "1", "line"])])
    over = post(clients["aktobe_log"], f"/api/supplies/requests/{req['id']}/decision",
                {"version": 1, "lines": [{"line": x["id"], "approved": 101} for x in req["lines"]]})
    assert (over.status_code, errors(over)[0][0]) == (422, "invalid")
    bool_version = post(clients["aktobe_log"], f"/api/supplies/requests/{req['id']}/decision",
                        {"version": True, "lines": [{"line": line, "approved": 1}]})
    assert (bool_version.status_code, errors(bool_version)) == (422, [("invalid", ["body", "data", "version"])])


def test_unknown_ids_are_404(depot, clients):
    viewer, log = clients["viewer"], clients["aktobe_log"]
    assert errors(viewer.get("/api/supplies/requests/999999")) == [("request_not_found", ["request"])]
    assert viewer.get("/api/supplies/requests/999999").status_code == 404
    assert viewer.get("/api/supplies/shipments/999999").status_code == 404
    for url, body in [("/api/supplies/requests/999999/decision", {"version": 1, "lines": [{"line": 1, "approved": 1}]}),
                      ("/api/supplies/requests/999999/cancel", {"version": 1}),
                      ("/api/supplies/requests/999999/shipments", {"lines": [{"line": 1, "quantity": 1}]}),
                      ("/api/supplies/shipments/999999/dispatch", {"version": 1}),
                      ("/api/supplies/shipments/999999/receive", {"lines": []}),
                      ("/api/supplies/shipments/999999/cancel", {"version": 1})]:
        response = post(log, url, body)
        assert response.status_code == 404, (url, response.content)
    unknown_item = post(clients["manager_h1"], "/api/supplies/requests", body_of(
        depot, lines=[{"item": 999999, "quantity": 1}]))
    assert (unknown_item.status_code, errors(unknown_item)) == (404, [("item_not_found", ["lines", "0", "item"])])


def test_refusals_403_409_401(depot, clients):
    stock_up(depot, STOCK)
    req = post(clients["manager_h1"], "/api/supplies/requests", body_of(depot)).json()
    decision = {"version": 1, "lines": [{"line": x["id"], "approved": x["requested"]} for x in req["lines"]]}
    url = f"/api/supplies/requests/{req['id']}"
    wrong_region = post(clients["almaty_log"], f"{url}/decision", decision)
    assert (wrong_region.status_code, errors(wrong_region)[0][0]) == (403, "forbidden")
    assert Client().get(url).status_code == 401
    assert post(clients["aktobe_log"], f"{url}/decision", decision | {"version": 5}).status_code == 409
    assert post(clients["aktobe_log"], f"{url}/decision", decision).status_code == 200
    closed = post(clients["aktobe_log"], f"{url}/decision", decision | {"version": 2})
    assert (closed.status_code, errors(closed)[0][0]) == (409, "request_not_open")
    # Toothpaste 40 approved, 50 on hand: two shipments of 30 fit the approval only up to 40 (the second: 422).
    paste = next(x["id"] for x in req["lines"] if x["item_code"] == "toothpaste")
    ship = post(clients["aktobe_log"], f"{url}/shipments", {"lines": [{"line": paste, "quantity": 30}]}).json()
    over = post(clients["aktobe_log"], f"{url}/shipments", {"lines": [{"line": paste, "quantity": 30}]})
    assert (over.status_code, errors(over)) == (422, [("over_approved", ["lines", str(paste)])])
    soap = next(x["id"] for x in req["lines"] if x["item_code"] == "soap")
    big = post(clients["aktobe_log"], f"{url}/shipments", {"lines": [{"line": soap, "quantity": 100}]}).json()
    # 130 usable soap (S-A 30 + S-B 100; the expired lot does not count): 100 are dispatched.
    short = post(clients["aktobe_log"], f"/api/supplies/shipments/{big['id']}/dispatch", {"version": 1})
    assert short.status_code == 200
    stale = post(clients["aktobe_log"], f"/api/supplies/shipments/{ship['id']}/cancel", {"version": 9})
    assert (stale.status_code, errors(stale)[0][0]) == (409, "stale_version")
    cancel = post(clients["aktobe_log"], f"/api/supplies/shipments/{ship['id']}/cancel", {"version": 1})
    assert (cancel.status_code, cancel.json()["status"]) == (200, "cancelled")
    assert Shipment.objects.filter(status="cancelled").count() == 1
    receive = post(clients["almaty_log"], f"/api/supplies/shipments/{big['id']}/receive", {"lines": []})
    assert (receive.status_code, errors(receive)[0][0]) == (403, "forbidden")


def test_dispatch_without_the_stock_is_409_and_moves_nothing(depot, clients):
    stock_up(depot, [("soap", "S-A", None, 10)])
    req = post(clients["manager_h1"], "/api/supplies/requests", body_of(depot)).json()
    url = f"/api/supplies/requests/{req['id']}"
    post(clients["aktobe_log"], f"{url}/decision",
         {"version": 1, "lines": [{"line": x["id"], "approved": 20} for x in req["lines"]]})
    soap = next(x["id"] for x in req["lines"] if x["item_code"] == "soap")
    ship = post(clients["aktobe_log"], f"{url}/shipments", {"lines": [{"line": soap, "quantity": 20}]}).json()
    before = LedgerEntry.objects.count()
    response = post(clients["aktobe_log"], f"/api/supplies/shipments/{ship['id']}/dispatch", {"version": 1})
    assert (response.status_code, errors(response)) == \
        (409, [("insufficient_stock", ["lines", str(ship["lines"][0]["id"])])])
    assert LedgerEntry.objects.count() == before
    assert Shipment.objects.get().status == "prepared"

"""The HTTP surface: status codes and error codes (422 with fields, 409 conflicts, 404), the detail with its
timeline, the FHIR export validated with fhir.resources (R4B), statistics and their CSV."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle

from jedel.transfers.services.dispatch import mission_step, transfer_assign
from jedel.transfers.services.requests import transfer_accept, transfer_decline
from tests.capacity.capacity_helpers import make_user
from jedel.common.clock import utcnow
from tests.transfers.helpers import NATIONAL, NOW, asset, beds, request, staff

pytestmark = pytest.mark.django_db


def _client(username, role, **kw):
    c = Client()
    c.force_login(make_user(username, role, **kw))
    return c


def _post(c, url, body):
    return c.post(url, data=json.dumps(body), content_type="application/json")


def test_create_then_accept_over_http_and_the_detail_shows_the_timeline(net):
    sender = _client("d-doc", "clinician", facility=net["D"])
    r = _post(sender, "/api/transfers", {"reference": "K-77", "origin": "T-D", "destination": "T-H1",
                                         "urgency": "emergency", "diagnosis": "TBI", "bed_type": "AdultICU",
                                         "capabilities": ["neurosurgery"], "ventilated": True})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["state"], body["needs"], body["version"]) == ("requested", ["ventilator"], 1)
    receiver = _client("h1-mgr", "facility_manager", facility=net["H1"])
    r = _post(receiver, f"/api/transfers/{body['id']}/accept", {"version": 1})
    assert (r.status_code, r.json()["state"]) == (200, "accepted")
    r = _post(receiver, f"/api/transfers/{body['id']}/accept", {"version": 1})  # idempotent
    assert (r.status_code, r.json()["version"]) == (200, 2)
    detail = sender.get(f"/api/transfers/{body['id']}").json()
    assert [(e["kind"], e["by"]) for e in detail["events"] if e["kind"].startswith("transfer.")] == [
        ("transfer.requested", "d-doc"), ("transfer.accepted", "h1-mgr")]


def test_bad_input_gives_422_with_fields_and_conflicts_409(net):
    sender = _client("d-doc", "clinician", facility=net["D"])
    r = _post(sender, "/api/transfers", {"reference": "K", "origin": "T-D", "urgency": "emergency",
                                         "diagnosis": "x", "bed_type": "Sofa"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["bed_type"]
    r = _post(sender, "/api/transfers", {"reference": "K", "origin": "T-D", "urgency": "whenever"})
    assert r.status_code == 422
    t = request(net["D"], net["H1"])
    r = _post(_client("nc", "national_coordinator"), f"/api/transfers/{t.pk}/assign", {"asset": 999999})
    assert (r.status_code, r.json()["detail"][0]["code"]) == (404, "transfer_asset_not_found")
    heli = asset("HELI-1", "helicopter", net["AIR"])
    r = _post(_client("nc2", "national_coordinator"), f"/api/transfers/{t.pk}/assign", {"asset": heli.pk})
    assert (r.status_code, r.json()["detail"][0]["code"]) == (409, "transfer_invalid_transition")
    r = _post(_client("h1", "facility_manager", facility=net["H1"]), f"/api/transfers/{t.pk}/accept", {"version": 7})
    assert (r.status_code, r.json()["detail"][0]["code"]) == (409, "transfer_stale_version")
    assert sender.get("/api/transfers/999999").status_code == 404


def test_destinations_and_dispatch_options_over_http(net):
    now = utcnow()  # the API reads the board at the real time: reports of now
    for f, rows in ((net["H1"], ("AdultICU", 10, 8)), (net["H2"], ("AdultICU", 10, 1)), (net["H4"], ("AdultICU", 6, 6))):
        beds(f, rows, now=now)
    t = request(net["D"])
    nc = _client("nc", "national_coordinator")
    ranking = nc.get(f"/api/transfers/{t.pk}/destinations").json()
    assert [(d["code"], d["travel_min"], d["beds_available"]) for d in ranking["destinations"]] == [
        ("T-H1", 144.6, 2), ("T-H2", 289.1, 9)]
    burns = request(net["D"], capabilities=["burns"])
    r = nc.get(f"/api/transfers/{burns.pk}/destinations").json()
    assert (r["feasible"], r["reason_code"], r["destinations"]) == (False, "no_capability", [])
    assert nc.get(f"/api/transfers/{t.pk}/dispatch-options").json() == []  # no destination yet
    accepted = transfer_accept(actor=staff(net["H1"]), transfer_id=request(net["D"], net["H1"]).pk, now=NOW)
    asset("HELI-1", "helicopter", net["AIR"], night=True)  # whatever the hour the test runs at
    [o] = nc.get(f"/api/transfers/{accepted.pk}/dispatch-options").json()
    assert (o["call_sign"], o["at_patient_min"], o["delivered_min"]) == ("HELI-1", 46.8, 98.7)


def test_fhir_export_validates_and_maps_the_states(net):
    t = request(net["D"], net["H1"], urgency="urgent")
    transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk, now=NOW)
    heli = asset("HELI-1", "helicopter", net["AIR"])
    transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=heli.pk, now=NOW)
    for step in ("at_patient", "departed"):
        mission_step(actor=NATIONAL, transfer_id=t.pk, step=step, now=NOW + timedelta(minutes=50))
    doc = _client("nc", "national_coordinator").get(f"/api/transfers/{t.pk}/fhir").json()
    Bundle.model_validate(doc)
    sr, task, enc = (e["resource"] for e in doc["entry"])
    assert (sr["resourceType"], sr["status"], sr["intent"], sr["priority"]) == (
        "ServiceRequest", "active", "order", "urgent")
    assert sr["code"]["coding"][0]["code"] == "107724000"
    assert (task["resourceType"], task["status"], task["businessStatus"]["text"]) == ("Task", "in-progress", "departed")
    assert (enc["resourceType"], enc["status"], enc["class"]["code"]) == ("Encounter", "in-progress", "ACUTE")
    assert enc["period"] == {"start": "2026-03-10T06:50:00Z"}
    declined = request(net["D"], net["H2"])
    transfer_decline(actor=staff(net["H2"]), transfer_id=declined.pk, reason="No bed", now=NOW)
    doc = _client("nc2", "national_coordinator").get(f"/api/transfers/{declined.pk}/fhir").json()
    Bundle.model_validate(doc)
    task = doc["entry"][1]["resource"]
    assert (task["status"], task["statusReason"]["text"], doc["entry"][2]["resource"]["status"]) == (
        "rejected", "No bed", "planned")


def test_statistics_and_csv_hand_computed(net):
    # Two requests from KZ-35 in March 2026: one accepted after 12 min, departed after 60, arrived after 150 by
    # helicopter; one declined once (by H2). Medians over those that reached the step.
    t = request(net["D"], net["H1"])
    transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk, now=NOW + timedelta(minutes=12))
    heli = asset("HELI-1", "helicopter", net["AIR"])
    transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=heli.pk, now=NOW + timedelta(minutes=20))
    for step, m in (("at_patient", 50), ("departed", 60), ("delivered", 150)):
        mission_step(actor=NATIONAL, transfer_id=t.pk, step=step, now=NOW + timedelta(minutes=m))
    other = request(net["D"], net["H2"])
    transfer_decline(actor=staff(net["H2"]), transfer_id=other.pk, reason="full", now=NOW)
    nc = _client("nc", "national_coordinator")
    [row] = nc.get("/api/transfers/stats").json()
    assert row == {"region": "KZ-35", "month": "2026-03", "requests": 2, "accepted": 1, "arrived": 1, "declines": 1,
                   "by_air": 1, "air_share_pct": 100.0, "median_to_acceptance_min": 12.0,
                   "median_to_departure_min": 60.0, "median_to_arrival_min": 150.0}
    csv = nc.get("/api/transfers/stats.csv").content.decode()
    assert csv.splitlines() == [
        "region,month,requests,accepted,arrived,declines,by_air,air_share_pct,median_to_acceptance_min,"
        "median_to_departure_min,median_to_arrival_min", "KZ-35,2026-03,2,1,1,1,1,100.0,12.0,60.0,150.0"]

"""Adding and editing transport assets over HTTP: aircraft by the national coordinator only, road ambulances by the
coordinators over the base's region; 422 with fields, 404 for an unknown base, 409 for a stale version."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.transfers.models import TransportAsset
from tests.capacity.capacity_helpers import make_user

pytestmark = pytest.mark.django_db


def _client(username, role, **kw):
    c = Client()
    c.force_login(make_user(username, role, **kw))
    return c


def _send(c, method, url, body):
    return getattr(c, method)(url, data=json.dumps(body), content_type="application/json")


HELI = {"call_sign": "KZ-H7", "kind": "helicopter", "base": "T-AIR", "operator": "Kazavia",
        "crew_type": "critical_care", "equipment": ["ventilator", "oxygen"], "night_capable": True}


def test_national_coordinator_adds_and_edits_an_aircraft(net):
    nc = _client("nc", "national_coordinator")
    r = _send(nc, "post", "/api/transport-assets", HELI)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["call_sign"], body["kind"], body["base"], body["region"], body["operator"], body["crew_type"],
            body["equipment"], body["night_capable"], body["status"], body["version"]) == (
        "KZ-H7", "helicopter", "T-AIR", "KZ-35", "Kazavia", "critical_care", ["oxygen", "ventilator"], True,
        "available", 1)
    r = _send(nc, "patch", f"/api/transport-assets/{body['id']}", {"version": 1, "operator": "Berkut Air",
                                                                    "base": "T-H1"})
    assert r.status_code == 200, r.content
    assert (r.json()["operator"], r.json()["base"], r.json()["region"], r.json()["version"]) == (
        "Berkut Air", "T-H1", "KZ-71", 2)
    stale = _send(nc, "patch", f"/api/transport-assets/{body['id']}", {"version": 1, "operator": "Other"})
    assert (stale.status_code, stale.json()["detail"][0]["code"]) == (409, "transfer_stale_version")
    assert TransportAsset.objects.get(pk=body["id"]).operator == "Berkut Air"


def test_aircraft_are_the_national_coordinators_only(net):
    rc = _client("rc", "regional_coordinator", region=net["region"])
    assert _send(rc, "post", "/api/transport-assets", HELI).status_code == 403
    assert not TransportAsset.objects.exists()


def test_road_ambulances_by_the_coordinator_over_the_region(net):
    rc = _client("rc", "regional_coordinator", region=net["region"])
    road = {"call_sign": "EMS-35-1", "kind": "road", "base": "T-D", "crew_type": "paramedic", "equipment": ["oxygen"]}
    r = _send(rc, "post", "/api/transport-assets", road)
    assert r.status_code == 201, r.content
    assert (r.json()["region"], r.json()["crew_type"], r.json()["night_capable"]) == ("KZ-35", "paramedic", False)
    # Another region's station, or moving this one there: refused.
    assert _send(rc, "post", "/api/transport-assets", {**road, "call_sign": "EMS-71-1", "base": "T-H1"}
                 ).status_code == 403
    assert _send(rc, "patch", f"/api/transport-assets/{r.json()['id']}", {"version": 1, "base": "T-H1"}
                 ).status_code == 403
    ok = _send(rc, "patch", f"/api/transport-assets/{r.json()['id']}", {"version": 1, "crew_type": "physician"})
    assert (ok.status_code, ok.json()["crew_type"], ok.json()["version"]) == (200, "physician", 2)
    mgr = _client("mgr", "facility_manager", facility=net["D"])
    assert _send(mgr, "post", "/api/transport-assets", {**road, "call_sign": "EMS-35-2"}).status_code == 403


def test_bad_input_unknown_base_and_taken_call_sign(net):
    nc = _client("nc", "national_coordinator")
    bad = _send(nc, "post", "/api/transport-assets", {**HELI, "kind": "boat", "call_sign": ""})
    assert bad.status_code == 422
    assert {tuple(d["loc"])[-1] for d in bad.json()["detail"]} >= {"kind", "call_sign"}
    need = _send(nc, "post", "/api/transport-assets", {**HELI, "equipment": ["jetpack"]})
    assert (need.status_code, need.json()["detail"][0]["code"], need.json()["detail"][0]["loc"]) == (
        422, "transfer_unknown_need", ["equipment"])
    gone = _send(nc, "post", "/api/transport-assets", {**HELI, "base": "NO-SUCH"})
    assert (gone.status_code, gone.json()["detail"][0]["code"]) == (404, "transfer_unknown_facility")
    assert _send(nc, "post", "/api/transport-assets", HELI).status_code == 201
    taken = _send(nc, "post", "/api/transport-assets", HELI)
    assert (taken.status_code, taken.json()["detail"][0]["code"]) == (409, "transfer_asset_call_sign_taken")
    missing = _send(nc, "patch", "/api/transport-assets/999999", {"version": 1})
    assert missing.status_code == 404
    assert TransportAsset.objects.count() == 1

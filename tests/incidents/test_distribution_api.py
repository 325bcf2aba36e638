"""The live distribution over HTTP: plan, assign, full, diversion, collection points, board; errors with codes."""

from __future__ import annotations

import json

from django.test import Client

from jedel.incidents.services.incidents import incident_stand_down
from tests.incidents.conftest import declare
from tests.incidents.distribution_helpers import SCENE, network, register_all  # noqa: F401


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _code(response):
    return response.json()["detail"][0]["code"]


def test_plan_assign_full_diversion_and_board_over_the_api(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident, [("R1", "immediate"), ("G1", "minimal")])
    nc, manager = _client(network["users"]["nc"]), _client(network["managers"]["MCI-NEAR"])
    base = f"/api/incidents/{incident.pk}"
    plan = nc.get(f"{base}/plan").json()
    assert [(p["tag"], p["hospital"]) for p in plan["proposals"]] == [("G1", "MCI-NEAR"), ("R1", "MCI-NEAR")]
    assert plan["expected_benefit"] == plan["nearest_expected_deaths"] - plan["expected_deaths"]
    assigned = _post(nc, f"{base}/casualties/R1/assign", {"hospital": "MCI-NEAR", "version": 1, "plan": plan["id"]})
    assert assigned.status_code == 200, assigned.content
    body = assigned.json()
    assert (body["hospital"], body["proposed"], body["casualty_version"], body["override_reason"]) == (
        "MCI-NEAR", "MCI-NEAR", 2, "")
    again = _post(nc, f"{base}/casualties/R1/assign", {"hospital": "MCI-NEAR", "version": 1, "plan": plan["id"]})
    assert (again.status_code, _code(again)) == (409, "tracking_version_stale")
    other = _post(nc, f"{base}/casualties/G1/assign", {"hospital": "MCI-FAR", "version": 1, "plan": plan["id"]})
    assert (other.status_code, _code(other)) == (422, "override_reason_required")
    full = _post(manager, f"{base}/hospitals/MCI-NEAR/full", {"category": "minimal"})
    assert full.json() == {"hospital": "MCI-NEAR", "category": "minimal", "full": True, "changed": True}
    assert [(p["tag"], p["hospital"]) for p in nc.get(f"{base}/plan").json()["proposals"]] == [("G1", "MCI-FAR")]
    diverted = _post(manager, f"{base}/casualties/R1/diversion", {"note": "CT down"})
    assert diverted.status_code == 200, diverted.content
    point = _post(nc, f"{base}/collection-points", {"name": "CCP North", "lat": 43.21, "lon": 76.81})
    assert (point.status_code, point.json()) == (201, {"name": "CCP North", "lat": 43.21, "lon": 76.81})
    board = _client(network["users"]["viewer"]).get(f"{base}/board").json()
    near = next(h for h in board["hospitals"] if h["code"] == "MCI-NEAR")
    assert (near["incoming"], near["diversions"], near["full"]) == ({"immediate": 1}, 1, ["minimal"])
    assert near["remaining"] == {"immediate": 1, "delayed": 1, "minimal": 0, "expectant": 0}  # the diverted one freed
    assert board["counts"]["total"] == 2 and board["collection_points"][0]["name"] == "CCP North"


def test_distribution_errors_have_their_status_and_code(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident, [("R1", "immediate")])
    nc = _client(network["users"]["nc"])
    base = f"/api/incidents/{incident.pk}"
    cases = [
        (f"{base}/casualties/R1/assign", {"hospital": "NOPE", "version": 1, "reason": "x"}, 422, "unknown_facility"),
        (f"{base}/casualties/R1/assign", {"hospital": "MCI-NEAR", "version": 1, "plan": 999999}, 404,
         "plan_not_found"),
        (f"{base}/casualties/NOPE/assign", {"hospital": "MCI-NEAR", "version": 1}, 404, "casualty_not_found"),
        (f"{base}/casualties/R1/diversion", {}, 409, "casualty_not_assigned"),
        (f"{base}/hospitals/MCI-NEAR/full", {"category": "dead"}, 422, "invalid"),
    ]
    for url, body, status, code in cases:
        response = _post(nc, url, body)
        assert (response.status_code, _code(response)) == (status, code), (url, response.content)
    viewer = _client(network["users"]["viewer"])
    assert _code(viewer.get(f"{base}/plan")) == "forbidden"
    incident_stand_down(actor=network["p"]["nc"], incident_id=incident.pk, version=1)
    response = nc.get(f"{base}/plan")
    assert (response.status_code, _code(response)) == (409, "incident_not_active")


def test_the_openapi_document_declares_the_distribution_conflicts():
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path, method in [("/api/incidents/{incident_id}/casualties/{tag}/assign", "post"),
                         ("/api/incidents/{incident_id}/plan", "get"),
                         ("/api/incidents/{incident_id}/hospitals/{code}/full", "post"),
                         ("/api/incidents/{incident_id}/casualties/{tag}/diversion", "post")]:
        assert "409" in paths[path][method]["responses"], path

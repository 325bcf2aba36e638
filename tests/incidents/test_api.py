"""The incidents API: what each operation answers, and every refusal as 422/403/404/409 with its code."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.incidents.conftest import RED, declare


def client_of(world, who):
    client = Client()
    client.force_login(world["users"][who])
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def code(response):
    return response.json()["detail"][0]["code"]


@pytest.fixture
def nc(world):
    return client_of(world, "nc")


DECLARE = {"title": "Market explosion, Shymkent", "kind": "explosion", "scene_lat": 43.2, "scene_lon": 76.9,
           "regions": ["KZ-75"], "estimated_casualties": 40}


def test_declare_list_and_read_an_incident(world, nc):
    created = post(nc, "/api/incidents", DECLARE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["version"], body["regions"], body["is_exercise"]) == ("active", 1, ["KZ-75"], False)
    drill = post(nc, "/api/incidents", DECLARE | {"title": "Drill", "is_exercise": True}).json()
    assert [i["id"] for i in nc.get("/api/incidents").json()] == [body["id"]]
    assert [i["id"] for i in nc.get("/api/incidents?exercise=true").json()] == [drill["id"]]
    page = nc.get(f"/api/incidents/{body['id']}").json()
    assert page["counts"] == {"total": 0, "by_category": {}, "by_status": {}}
    timeline = nc.get(f"/api/incidents/{body['id']}/timeline").json()
    assert [e["kind"] for e in timeline] == ["declared", "notified", "notified"]  # the last: INC-H1 pre-alerted


def test_register_triage_and_move_over_the_api(world, nc):
    incident = declare(world)
    url = f"/api/incidents/{incident.pk}/casualties"
    first = post(nc, url, {"tag": "T-1", "age_band": "adult", "triage": {"method": "start", "findings": RED}})
    assert first.status_code == 201 and first.json()["category"] == "immediate" and first.json()["created"]
    again = post(nc, url, {"tag": "T-1"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"] and not again.json()["created"]
    triaged = post(nc, f"{url}/T-1/triage", {"method": "start", "findings": {"can_walk": True}, "version": 1})
    assert (triaged.status_code, triaged.json()["category"], triaged.json()["version"]) == (200, "minimal", 2)
    moved = post(nc, f"{url}/T-1/move", {"status": "in_transport", "version": 2, "destination": "INC-H1",
                                         "eta": "2026-12-02T21:40:00+05:00", "vehicle": "103-17"})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["status"], moved.json()["destination"]) == ("in_transport", "INC-H1")
    page = nc.get(f"{url}/T-1").json()
    assert [a["category"] for a in page["assessments"]] == ["immediate", "minimal"]
    assert [row["status"] for row in page["locations"]] == ["at_scene", "in_transport"]
    assert [c["tag"] for c in nc.get(url).json()] == ["T-1"]


@pytest.mark.parametrize("make, expect", [
    # 422: invalid input, with the field named
    (lambda i: ("post", "/api/incidents", DECLARE | {"kind": "meteor"}), (422, "invalid")),
    (lambda i: ("post", "/api/incidents", DECLARE | {"regions": ["KZ-99"]}), (422, "unknown_region")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/casualties", {"tag": "bad tag!"}), (422, "invalid")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/casualties",
                {"tag": "X", "triage": {"method": "start", "findings": {"respiratory_rate_per_min": 500}}}),
     (422, "invalid")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/casualties",
                {"tag": "X", "triage": {"method": "start", "findings": {"breathing": True,
                                                                          "respiratory_rate_per_min": 0}}}),
     (422, "invalid_findings")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/casualties", {"tag": "X", "triage": {"method": "salt"}}),
     (422, "triage_incomplete")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/casualties/C-1/move", {"status": "in_transport", "version": 1}),
     (422, "destination_required")),
    # 404: unknown incident or tag
    (lambda i: ("get", "/api/incidents/999999", None), (404, "incident_not_found")),
    (lambda i: ("get", f"/api/incidents/{i.pk}/casualties/NOPE", None), (404, "casualty_not_found")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/casualties/NOPE/move", {"status": "arrived", "version": 1}),
     (404, "casualty_not_found")),
    # 409: the state refuses it
    (lambda i: ("post", f"/api/incidents/{i.pk}/casualties/C-1/move", {"status": "arrived", "version": 1}),
     (409, "casualty_move_not_allowed")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/casualties/C-1/move", {"status": "deceased", "version": 7}),
     (409, "tracking_version_stale")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/close", {"version": 1}), (409, "incident_change_not_allowed")),
    (lambda i: ("post", f"/api/incidents/{i.pk}/stand-down", {"version": 2}), (409, "tracking_version_stale")),
])
def test_errors_answer_with_their_status_and_code(world, nc, make, expect):
    incident = declare(world)
    post(nc, f"/api/incidents/{incident.pk}/casualties", {"tag": "C-1"})
    method, url, body = make(incident)
    response = post(nc, url, body) if method == "post" else nc.get(url)
    assert (response.status_code, code(response)) == expect, response.content


def test_refusals_by_the_policy_are_403_forbidden(world):
    incident = declare(world)
    viewer, rc71 = client_of(world, "viewer"), client_of(world, "rc71")
    assert (post(rc71, "/api/incidents", DECLARE).status_code, code(post(rc71, "/api/incidents", DECLARE))) == (
        403, "forbidden")
    response = post(rc71, f"/api/incidents/{incident.pk}/stand-down", {"version": 1})
    assert (response.status_code, code(response)) == (403, "forbidden")
    response = viewer.get(f"/api/incidents/{incident.pk}/casualties")
    assert (response.status_code, code(response)) == (403, "forbidden")
    assert viewer.get(f"/api/incidents/{incident.pk}").status_code == 200
    assert Client().get("/api/incidents").status_code == 401


def test_the_openapi_document_declares_the_conflicts_and_the_cap_media_type():
    document = Client().get("/api/openapi.json").json()
    move = document["paths"]["/api/incidents/{incident_id}/casualties/{tag}/move"]["post"]
    assert sorted(move["responses"]) == ["200", "400", "401", "403", "404", "409", "413", "422", "503"]
    cap = document["paths"]["/api/incidents/{incident_id}/cap.xml"]["get"]
    assert list(cap["responses"]["200"]["content"]) == ["application/xml"]

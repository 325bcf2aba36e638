"""Walk-ins over HTTP and on the phone page: answers, refusals with their codes (never 500), the OpenAPI
declarations, and the page's one-tap registration and counters."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from jedel.incidents.models import Casualty, WalkInCount
from jedel.incidents.services.incidents import incident_stand_down
from tests.incidents.conftest import declare


def client_of(world, who, lang="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(world["users"][who])
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def code(response):
    return response.json()["detail"][0]["code"]


def test_register_count_convert_and_list_over_the_api(world):
    incident = declare(world)
    medic = client_of(world, "medic_h1")
    base = f"/api/incidents/{incident.pk}/walk-ins"
    one = post(medic, base, {"category": "immediate", "age_band": "adult"})
    assert one.status_code == 201, one.content
    assert {k: one.json()[k] for k in ("tag", "status", "category", "destination", "created", "triage_method")} == {
        "tag": "W-INC-H1-1", "status": "arrived", "category": "immediate", "destination": "INC-H1", "created": True,
        "triage_method": "direct"}
    counted = post(medic, f"{base}/counts", {"category": "delayed", "count": 3})
    assert counted.status_code == 201, counted.content
    assert {k: counted.json()[k] for k in ("hospital", "category", "count", "by", "outstanding")} == {
        "hospital": "INC-H1", "category": "delayed", "count": 3, "by": "inc-medic-h1", "outstanding": 3}
    converted = post(medic, f"{base}/convert", {"category": "delayed", "count": 2})
    assert converted.status_code == 201, converted.content
    assert [c["tag"] for c in converted.json()] == ["W-INC-H1-2", "W-INC-H1-3"]
    listed = client_of(world, "viewer").get(base)
    assert listed.status_code == 200
    assert listed.json() == [{"hospital": "INC-H1", "name": "Hospital INC-H1",
                              "individual": {"immediate": 1, "delayed": 2}, "counted": {"delayed": 1},
                              "total": {"delayed": 3, "immediate": 1}}]


@pytest.mark.parametrize("path, body, who, status, expected", [
    ("", {"category": "grey"}, "medic_h1", 422, None),
    ("", {"category": "immediate", "hospital": "NOPE"}, "medic_h1", 422, "unknown_facility"),
    ("", {"category": "immediate"}, "nc", 422, "walkin_hospital_required"),
    ("", {"category": "immediate", "hospital": "INC-H1"}, "manager_h2", 403, "forbidden"),
    ("", {"category": "immediate", "hospital": "INC-H1"}, "viewer", 403, "forbidden"),
    ("/counts", {"category": "minimal", "count": 0}, "medic_h1", 422, None),
    ("/counts", {"category": "minimal", "count": 501}, "medic_h1", 422, None),
    ("/counts", {"category": "minimal", "count": "3"}, "medic_h1", 422, None),
    ("/convert", {"category": "minimal", "count": 1}, "medic_h1", 409, "walkin_not_enough_counted"),
])
def test_refusals_carry_a_status_and_a_code(world, path, body, who, status, expected):
    incident = declare(world)
    response = post(client_of(world, who), f"/api/incidents/{incident.pk}/walk-ins{path}", body)
    assert response.status_code == status, response.content
    if expected:
        assert code(response) == expected
    assert not Casualty.objects.filter(tag__startswith="W-").exists()


def test_unknown_and_stood_down_incidents(world):
    incident = declare(world)
    medic = client_of(world, "medic_h1")
    missing = post(medic, f"/api/incidents/{incident.pk + 50}/walk-ins", {"category": "minimal"})
    assert (missing.status_code, code(missing)) == (404, "incident_not_found")
    incident_stand_down(actor=world["p"]["nc"], incident_id=incident.pk, version=1)
    refused = post(medic, f"/api/incidents/{incident.pk}/walk-ins/counts", {"category": "minimal", "count": 2})
    assert (refused.status_code, code(refused)) == (409, "incident_stood_down")


def test_the_openapi_document_declares_the_errors():
    from jedel.config.api import api

    paths = api.get_openapi_schema()["paths"]
    for path, statuses in [("/api/incidents/{incident_id}/walk-ins", {"201", "403", "404", "409", "422"}),
                           ("/api/incidents/{incident_id}/walk-ins/counts", {"201", "403", "404", "409", "422"}),
                           ("/api/incidents/{incident_id}/walk-ins/convert", {"201", "403", "404", "409", "422"})]:
        assert statuses <= set(paths[path]["post"]["responses"]), path
    assert {"200", "403", "404"} <= set(paths["/api/incidents/{incident_id}/walk-ins"]["get"]["responses"])


def test_the_page_registers_with_one_tap_and_counts(world):
    incident = declare(world)
    client = client_of(world, "medic_h1")
    url = f"/incidents/{incident.pk}/walk-ins/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="walkin-button walkin-') == 4  # red, yellow, green, black
    assert "<script>" not in html and 'src="/static/incidents/walkin.js"' in html  # CSP: no inline script
    done = client.post(url, {"action": "register", "category": "minimal", "hospital": "INC-H1"}, follow=True)
    assert "Walk-in registered: tag W-INC-H1-1, Minimal (green)." in done.content.decode()
    counted = client.post(url, {"action": "count", "mode": "count", "hospital": "INC-H1", "category": "immediate",
                                "count": "3"}, follow=True)
    assert counted.redirect_chain[-1][0].endswith("mode=count")
    assert "+3 Immediate (red) counted." in counted.content.decode()
    assert list(WalkInCount.objects.values_list("category", "delta")) == [("immediate", 3)]
    made = client.post(url, {"action": "convert", "hospital": "INC-H1", "category": "immediate", "count": "1"},
                       follow=True)
    assert "1 record made: W-INC-H1-2." in made.content.decode()
    tally = re.search(r'data-category="immediate"><td>[^<]+</td><td>(\d+)</td><td>(\d+)</td>', made.content.decode())
    assert tally is not None and tally.groups() == ("1", "2")


def test_the_page_in_russian_and_refused_at_another_hospital(world):
    incident = declare(world)
    ru = client_of(world, "medic_h1", "ru").get(f"/incidents/{incident.pk}/walk-ins/?mode=count")
    assert ru.status_code == 200
    other = client_of(world, "manager_h2").get(f"/incidents/{incident.pk}/walk-ins/?hospital=INC-H1")
    assert other.status_code == 403
    chooser = client_of(world, "rc75").get(f"/incidents/{incident.pk}/walk-ins/").content.decode()
    assert '<option value="INC-H1">' in chooser and "INC-H2" not in chooser


def test_a_retried_walk_in_with_the_same_idempotency_key_registers_one_person(world):
    """The tag is the server's, so only the Idempotency-Key tells a retry (lost answer) from a second person."""
    incident = declare(world)
    medic = client_of(world, "medic_h1")
    base = f"/api/incidents/{incident.pk}/walk-ins"
    body = json.dumps({"category": "immediate"})
    first = medic.post(base, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="tablet-7-0001")
    again = medic.post(base, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="tablet-7-0001")
    other = medic.post(base, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="tablet-7-0002")
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert [first.json()["tag"], again.json()["tag"], other.json()["tag"]] == ["W-INC-H1-1", "W-INC-H1-1", "W-INC-H1-2"]
    counts = [medic.post(f"{base}/counts", json.dumps({"category": "delayed", "count": 3}),
                         content_type="application/json", HTTP_IDEMPOTENCY_KEY="count-1") for _ in range(2)]
    assert [c.status_code for c in counts] == [201, 201]
    assert sum(c.delta for c in WalkInCount.objects.filter(incident=incident)) == 3
    assert Casualty.objects.filter(incident=incident).count() == 2

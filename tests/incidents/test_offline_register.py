"""The server side of the registration page's offline queue: a queued registration replayed with its
Idempotency-Key writes nothing twice, the OpenAPI document declares the key, the page carries the queue's texts
in the request's language, and the service worker is served under the page's own path."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.incidents.models import Casualty, TimelineEntry
from tests.incidents.conftest import declare


def client_of(world, who, lang="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(world["users"][who])
    return client


@pytest.mark.django_db
def test_a_queued_registration_sent_twice_with_its_key_registers_one_casualty(world):
    incident = declare(world)
    medic = client_of(world, "rc75")
    url = f"/api/incidents/{incident.pk}/casualties"
    body = json.dumps({"tag": "t-9", "age_band": "adult", "triage": {"method": "start",
                                                                     "findings": {"can_walk": True}}})
    first = medic.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="queue-item-1")
    again = medic.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="queue-item-1")
    # A second queue item for the same tag (typed twice offline): the tag's idempotency, no replay.
    other = medic.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="queue-item-2")
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert (other.status_code, other.get("Idempotent-Replayed")) == (200, None)
    assert [first.json()["tag"], first.json()["category"], other.json()["tag"]] == ["T-9", "minimal", "T-9"]
    assert Casualty.objects.filter(incident=incident).count() == 1
    assert TimelineEntry.objects.filter(incident=incident, kind="casualty_registered").count() == 1


@pytest.mark.django_db
def test_the_same_key_for_a_different_registration_is_refused(world):
    incident = declare(world)
    medic = client_of(world, "rc75")
    url = f"/api/incidents/{incident.pk}/casualties"
    medic.post(url, json.dumps({"tag": "T-1"}), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    reused = medic.post(url, json.dumps({"tag": "T-2"}), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (reused.status_code, reused.json()["detail"][0]["code"]) == (422, "idempotency_key_reused")
    assert list(Casualty.objects.filter(incident=incident).values_list("tag", flat=True)) == ["T-1"]


@pytest.mark.django_db
def test_the_openapi_document_declares_the_key_on_casualty_registration(world):
    document = client_of(world, "nc").get("/api/openapi.json").json()
    op = document["paths"]["/api/incidents/{incident_id}/casualties"]["post"]
    [key] = [p for p in op["parameters"] if p["name"] == "Idempotency-Key"]
    assert (key["in"], key["required"]) == ("header", False)
    assert sorted(op["responses"]) == ["200", "201", "400", "401", "403", "404", "409", "413", "422", "503"]


@pytest.mark.django_db
def test_the_page_carries_the_queue_and_its_texts_in_russian(world):
    incident = declare(world)
    page = client_of(world, "rc75").get(f"/incidents/{incident.pk}/casualties/new/",
                                        HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="offline-queue"' in html and 'id="register-form"' in html
    assert f'data-api-url="/api/incidents/{incident.pk}/casualties"' in html
    assert f'data-scope="/incidents/{incident.pk}/casualties/new/"' in html
    assert "incidents/offline_queue.js" in html
    texts = json.loads(page.context["offline_texts"])
    assert sorted(texts["waiting"]) == ["1", "2", "5"]  # the samples the script picks plural forms from
    assert all("%(count)s" in t for t in texts["waiting"].values())


@pytest.mark.django_db
def test_the_service_worker_is_served_under_the_page_and_keeps_api_requests_out(world):
    incident = declare(world)
    response = Client().get(f"/incidents/{incident.pk}/casualties/new/offline-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    source = response.content.decode()
    assert 'url.pathname.indexOf("/api/") === 0' in source and 'request.method !== "GET"' in source

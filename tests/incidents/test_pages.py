"""The incident pages: list (exercises apart), declare, incident page, casualty registration with the triage result,
the casualty page and its move form; rendered in English, Russian and Kazakh."""

from __future__ import annotations

import pytest
from django.test import Client

from jedel.incidents.models import Casualty, Incident
from tests.incidents.conftest import declare

# Strings of these pages already in the shared catalogues (the new ones come with the incidents translations).
EXERCISE_BADGE = {"en": "EXERCISE", "ru": "УЧЕНИЕ", "kk": "ОҚУ-ЖАТТЫҒУ"}
STATUS = {"en": "Status", "ru": "Статус", "kk": "Мәртебесі"}


def client_of(world, who, lang="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(world["users"][who])
    return client


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_page_renders_in_each_language(world, lang):
    drill = declare(world, exercise=True, title="Earthquake drill")
    client = client_of(world, "nc", lang)
    client.post(f"/incidents/{drill.pk}/casualties/new/", {"tag": "D-1", "age_band": "adult", "sex": "male",
                                                           "method": "start", "can_walk": "yes"})
    pages = ["/incidents/?exercise=1", "/incidents/declare/", f"/incidents/{drill.pk}/",
             f"/incidents/{drill.pk}/casualties/new/", f"/incidents/{drill.pk}/casualties/D-1/"]
    for url in pages:
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200, url
        assert f'<html lang="{lang}">' in html and 'name="viewport"' in html
        if url != "/incidents/declare/":
            assert EXERCISE_BADGE[lang] in html, url
    assert STATUS[lang] in client.get("/incidents/?exercise=1").content.decode()


def test_the_list_keeps_exercises_apart(world):
    declare(world, title="Real crash")
    declare(world, exercise=True, title="Drill crash")
    client = client_of(world, "viewer")
    real, drills = client.get("/incidents/").content.decode(), client.get("/incidents/?exercise=1").content.decode()
    assert "Real crash" in real and "Drill crash" not in real
    assert "Drill crash" in drills and "Real crash" not in drills
    assert "Declare an incident" not in real  # a viewer is not offered the button


def test_declaring_from_the_form(world):
    client = client_of(world, "rc75")
    response = client.post("/incidents/declare/", {
        "title": "Flood in Medeu", "kind": "flood", "regions": ["KZ-75"], "scene_lat": "43.16", "scene_lon": "77.06",
        "estimated_casualties": "12", "response_level": "local", "is_exercise": "on"})
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incidents/{incident.pk}/"
    assert (incident.is_exercise, incident.region.iso_code, incident.declared_by_label) == (True, "KZ-75", "inc-rc75")
    refused = client.post("/incidents/declare/", {"title": "Elsewhere", "kind": "fire", "regions": ["KZ-71"],
                                                 "scene_lat": "51.1", "scene_lon": "71.4", "response_level": "local"})
    assert refused.status_code == 422 and "You do not have permission" in refused.content.decode()


@pytest.mark.parametrize("method, asked, not_asked", [
    ("start", ["can_walk", "respiratory_rate_per_min", "capillary_refill_s"], ["avpu", "purposeful_movement"]),
    ("jumpstart", ["avpu", "breathing_after_rescue_breaths"], ["capillary_refill_s", "purposeful_movement"]),
    ("salt", ["purposeful_movement", "likely_to_survive_given_resources"], ["can_walk", "avpu"]),
])
def test_the_registration_form_asks_only_what_the_method_needs(world, method, asked, not_asked):
    incident = declare(world)
    client = client_of(world, "nc")
    partial = client.get(f"/incidents/{incident.pk}/casualties/new/?method={method}", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200 and '<fieldset id="findings"' in html and "<html" not in html
    for name in asked:
        assert f'name="{name}"' in html, name
    for name in not_asked:
        assert f'name="{name}"' not in html, name


def test_registration_shows_the_category_and_the_rule_that_fired(world):
    incident = declare(world)
    client = client_of(world, "nc")
    response = client.post(f"/incidents/{incident.pk}/casualties/new/", {
        "tag": " r-17 ", "age_band": "adult", "sex": "female", "method": "start", "can_walk": "no",
        "breathing": "yes", "respiratory_rate_per_min": "34"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Immediate (red)" in html and "START: not walking → breathing → RR 34/min &gt; 30 → IMMEDIATE" in html
    assert Casualty.objects.get().tag == "R-17"
    again = client.post(f"/incidents/{incident.pk}/casualties/new/", {"tag": "R-17", "age_band": "unknown",
                                                                      "sex": "unknown", "method": "auto"})
    assert "is already registered: nothing was changed" in again.content.decode()
    assert Casualty.objects.count() == 1


def test_moving_a_casualty_from_its_page_and_a_stale_form_is_refused(world):
    incident = declare(world)
    client = client_of(world, "nc")
    client.post(f"/incidents/{incident.pk}/casualties/new/", {"tag": "M-1", "age_band": "adult", "sex": "male",
                                                              "method": "start", "can_walk": "yes"})
    url = f"/incidents/{incident.pk}/casualties/M-1/"
    moved = client.post(url, {"status": "in_transport", "destination": "INC-H1", "vehicle": "103-5", "version": "1"})
    assert moved.status_code == 302 and Casualty.objects.get().status == "in_transport"
    stale = client.post(url, {"status": "arrived", "version": "1"})
    assert stale.status_code == 422 and "Someone changed this in the meantime" in stale.content.decode()
    refused = client.post(url, {"status": "at_scene", "version": "2"})
    assert "This change of the casualty&#x27;s status is not allowed." in refused.content.decode()


def test_stand_down_and_close_buttons(world):
    incident = declare(world)
    client = client_of(world, "nc")
    assert client.post(f"/incidents/{incident.pk}/stand-down/", {"version": "1"}).status_code == 302
    assert client.post(f"/incidents/{incident.pk}/close/", {"version": "2"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed"
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Register a casualty" not in page and "Stand down" not in page
    # A closed incident is when its tracking data is reported: the exports stay offered to coordinators.
    assert f"/api/incidents/{incident.pk}/export.fhir.json" in page and f"/api/incidents/{incident.pk}/export.csv" in page
    assert f"/incidents/{incident.pk}/tags/" not in page  # no new tags for a closed incident


def test_the_incident_page_links_tag_sheets_scanning_and_exports_by_role(world):
    incident = declare(world)
    coordinator = client_of(world, "nc").get(f"/incidents/{incident.pk}/").content.decode()
    for link in (f"/incidents/{incident.pk}/tags/", f"/incidents/{incident.pk}/scan/",
                 f"/api/incidents/{incident.pk}/export.fhir.json", f"/api/incidents/{incident.pk}/export.csv"):
        assert link in coordinator, link
    viewer = client_of(world, "viewer").get(f"/incidents/{incident.pk}/").content.decode()
    assert "/tags/" not in viewer and "export.csv" not in viewer

"""The press endpoint (device secret or a person), 401s that are logged, statistics and unwatched consoles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from jedel.security.models import ConsoleHeartbeat, PanicAlert, PanicDenial
from jedel.security.selectors import response_times, unwatched_facilities
from jedel.security.services.panic import button_create, button_revoke
from tests.security.conftest import p

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def device(raw: str | None) -> Client:
    client = Client()
    if raw is not None:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


@pytest.fixture
def button(site):
    return button_create(actor=p(site["people"]["officer_a"]), facility_id=site["A"].pk, location="ER triage desk")


def test_device_press_201_then_duplicate_200(button):
    b, raw = button
    first = device(raw).post("/api/security/panic", content_type="application/json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["duplicate"], body["alert"]["location"], body["alert"]["state"], body["alert"]["presses"]) == \
        (False, "ER triage desk", "open", 1)
    again = device(raw).post("/api/security/panic", data="{}", content_type="application/json")
    assert again.status_code == 200
    assert (again.json()["duplicate"], again.json()["alert"]["id"], again.json()["alert"]["presses"]) == \
        (True, body["alert"]["id"], 2)


@pytest.mark.parametrize("secret,reason", [("jpb_unknown-secret-000000000000", "unknown"), ("garbage", "unknown")])
def test_unknown_secret_401_logged_no_alert(button, secret, reason):
    response = device(secret).post("/api/security/panic", content_type="application/json")
    assert response.status_code == 401
    assert list(PanicDenial.objects.values_list("reason", "token_prefix")) == [(reason, secret[:12])]
    assert PanicAlert.objects.count() == 0


def test_revoked_secret_401_logged_no_alert(site, button):
    b, raw = button
    button_revoke(actor=p(site["people"]["officer_a"]), button_id=b.pk)
    response = device(raw).post("/api/security/panic", content_type="application/json")
    assert response.status_code == 401
    assert list(PanicDenial.objects.values_list("reason", "button_id")) == [("revoked", b.pk)]
    assert PanicAlert.objects.count() == 0


def test_no_credentials_401(button):
    assert device(None).post("/api/security/panic", content_type="application/json").status_code == 401
    assert PanicAlert.objects.count() == 0


def test_staff_press_through_the_api_and_acknowledge(site):
    client = Client()
    client.force_login(site["people"]["nurse_a"])
    r = client.post("/api/security/panic", data={"facility": site["A"].pk, "location": "Ward 3"},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    alert_id = r.json()["alert"]["id"]
    officer = Client()
    officer.force_login(site["people"]["officer_a"])
    ack = officer.post(f"/api/security/alerts/{alert_id}/acknowledge")
    assert (ack.status_code, ack.json()["state"], ack.json()["acknowledged_by"]) == (200, "acknowledged", "officer_a")
    manager = Client()
    manager.force_login(site["people"]["manager_a"])
    again = manager.post(f"/api/security/alerts/{alert_id}/acknowledge")
    assert (again.status_code, again.json()["detail"][0]["code"]) == (409, "already_acknowledged")
    bad = officer.post(f"/api/security/alerts/{alert_id}/resolve", data={"outcome": "whatever"},
                       content_type="application/json")
    assert bad.status_code == 422
    ok = officer.post(f"/api/security/alerts/{alert_id}/resolve", data={"outcome": "de_escalated"},
                      content_type="application/json")
    assert (ok.status_code, ok.json()["outcome"]) == (200, "de_escalated")
    listed = officer.get(f"/api/security/alerts?facility={site['A'].pk}&state=resolved").json()
    assert [a["id"] for a in listed] == [alert_id]


def _alert(facility, pressed_s, ack_s=None, resolve_s=None):
    pressed = T0 + timedelta(seconds=pressed_s)
    return PanicAlert.objects.create(
        facility=facility, location="x", source="device", raised_by_label="b", pressed_at=pressed,
        last_press_at=pressed, state="resolved" if resolve_s is not None else ("acknowledged" if ack_s else "open"),
        acknowledged_at=pressed + timedelta(seconds=ack_s) if ack_s is not None else None,
        resolved_at=pressed + timedelta(seconds=resolve_s) if resolve_s is not None else None,
        outcome="false_alarm" if resolve_s is not None else "")


def test_response_times_per_facility(site):
    # A: acknowledged after 20, 40, 90 s (median 40, mean 50, max 90); resolved after 120 and 300 s; one never
    # acknowledged. C: one alert acknowledged after 7 s. B: none (no row).
    _alert(site["A"], 0, 20, 120)
    _alert(site["A"], 1000, 40, 300)
    _alert(site["A"], 2000, 90)
    _alert(site["A"], 3000)
    _alert(site["C"], 0, 7)
    rows = response_times(p(site["people"]["national"]), since=T0, until=T0 + timedelta(days=1))
    assert [(r.facility_code, r.alerts, r.unacknowledged, r.ack_median_s, r.ack_mean_s, r.ack_max_s,
             r.resolve_median_s, r.resolve_mean_s, r.resolve_max_s) for r in rows] == [
        ("SEC-A", 4, 1, 40.0, 50.0, 90.0, 210.0, 210.0, 300.0),
        ("SEC-C", 1, 0, 7.0, 7.0, 7.0, None, None, None)]
    mine = response_times(p(site["people"]["lead"]), since=T0, until=T0 + timedelta(days=1))
    assert [r.facility_code for r in mine] == ["SEC-A"]
    api = Client()
    api.force_login(site["people"]["officer_a"])
    got = api.get(f"/api/security/response-times?since=2026-12-03T07:00:00Z&until=2026-12-04T00:00:00Z")
    assert [(r["facility_code"], r["ack_median_s"]) for r in got.json()] == [("SEC-A", 40.0)]


def test_a_facility_nobody_watches_is_flagged_to_the_region(site, button):
    lead = p(site["people"]["lead"])
    now = T0
    assert [u.facility.code for u in unwatched_facilities(lead, now=now)] == ["SEC-A"]
    ConsoleHeartbeat.objects.create(facility=site["A"], user=site["people"]["officer_a"],
                                    last_seen_at=now - timedelta(seconds=59))
    assert unwatched_facilities(lead, now=now) == []
    ConsoleHeartbeat.objects.filter(facility=site["A"]).update(last_seen_at=now - timedelta(seconds=61))
    flagged = unwatched_facilities(lead, now=now)
    assert [(u.facility.code, u.last_seen_at) for u in flagged] == [("SEC-A", now - timedelta(seconds=61))]


def test_the_console_page_beats_and_shows_open_alarms(site, button):
    client = Client()
    client.force_login(site["people"]["officer_a"])
    assert client.post(f"/security/console/{site['A'].pk}/heartbeat/").status_code == 204
    assert ConsoleHeartbeat.objects.filter(facility=site["A"], user=site["people"]["officer_a"]).count() == 1
    device(button[1]).post("/api/security/panic", content_type="application/json")
    page = client.get(f"/security/console/{site['A'].pk}/")
    assert page.status_code == 200
    assert b"ER triage desk" in page.content and b'data-state="open"' in page.content
    nurse = Client()
    nurse.force_login(site["people"]["nurse_a"])
    assert nurse.get(f"/security/console/{site['A'].pk}/").status_code == 403
    assert nurse.post(f"/security/console/{site['A'].pk}/heartbeat/").status_code == 403


def test_the_panic_page_raises_an_alarm(site):
    client = Client()
    client.force_login(site["people"]["nurse_a"])
    assert client.get("/security/panic/").status_code == 200
    r = client.post("/security/panic/", {"location": "Ward 3"})
    assert r.status_code == 200 and "Ward 3".encode() in r.content
    assert list(PanicAlert.objects.values_list("location", "raised_by_label")) == [("Ward 3", "nurse_a")]

"""The national picture of transfers updates live, in Debian's Chromium against the production (ASGI) server:
NCCEM's duty officer watches it on a desktop in English, the Almaty regional coordinator on a 390 px phone in
Russian. Neither page reloads while a district hospital requests a transfer, the receiving hospital accepts it,
the coordinator dispatches a road ambulance and the crew departs with the patient (all through the HTTP API):
the waiting and in-motion lists and counts, and the map's markers, follow each step. Last, the coordinator's fleet
form on the phone offers the region's hospitals by name as an ambulance's base.
Screenshots: test-artifacts/transfer-live-*.png."""

from __future__ import annotations

import json
import os
import urllib.request

import pytest

from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.common.conftest import _own_channel_prefix, rt_template, world  # noqa: F401 (fixtures)
from tests.common.servers import run_script, servers

# Two hospitals 0.1° of latitude apart in Almaty, and a road ambulance stationed at the receiving one. Prints the
# session keys of the two watchers, then the API tokens of the sending clinician, the receiving manager and the
# coordinator, then the ambulance's id.
SETUP = """
import django; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from jedel.accounts.models import User
from jedel.accounts.services import SYSTEM, token_create
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.geo.services import reference_geography_load
from jedel.transfers.models import TransportAsset
reference_geography_load()
almaty = Region.objects.get(iso_code="KZ-75")
def hospital(code, name, lat):
    return Facility.objects.create(code=code, kind="city_hospital", region=almaty, lat=lat, lon=76.9, name_en=name,
                                   name_ru=name + " (RU)")
sending = hospital("ALA-TL1", "City Hospital No. 7", 43.2)
receiving = hospital("ALA-TL2", "Almaty Trauma Centre", 43.3)
def person(name, role, **scope):
    user = User(username=name, role=role, **scope); user.set_unusable_password(); user.save(); return user
officer = person("nccem_duty", "national_coordinator", scope_level="national")
coordinator = person("almaty_coordinator", "regional_coordinator", scope_level="region", scope_region=almaty)
doctor = person("ward_doctor", "clinician", scope_level="facility", scope_facility=sending)
manager = person("trauma_desk", "facility_manager", scope_level="facility", scope_facility=receiving)
for user in (officer, coordinator):
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
    session.create()
    print(session.session_key)
for user in (doctor, manager, coordinator):
    print(token_create(actor=SYSTEM, name=user.username, user=user)[1])
print(TransportAsset.objects.create(call_sign="ALA-03", kind="road", base=receiving, region=almaty, operator="EMS",
                                    equipment=["oxygen"], status="available").pk)
"""


def _api(base: str, token: str, path: str, body: dict) -> dict:
    """POST `body` as JSON to the API with a bearer token; the decoded answer (a non-2xx status raises)."""
    req = urllib.request.Request(f"{base}/api/{path}", data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=15) as answer:
        return json.loads(answer.read())


def _artifact(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)


@pytest.mark.browser
def test_both_national_pictures_follow_a_transfer_from_request_to_departure_without_a_reload(request, tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("browser tests run on the SQLite pass")
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    make_env, _token, _session = request.getfixturevalue("world")
    env = make_env()
    officer_key, coordinator_key, doctor_token, manager_token, coordinator_token, ambulance = (
        run_script(SETUP, env).split())
    with servers(env, 1, tmp_path) as (server,), sync_playwright() as pw:
        base = f"http://127.0.0.1:{server.port}"
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        errors: list[str] = []

        def page_for(key: str, *, phone: bool = False, lang: str = "en", path: str = "/transfers/national/"):
            context = browser.new_context(viewport={"width": 390, "height": 844} if phone else
                                          {"width": 1280, "height": 900}, locale="ru-RU" if lang == "ru" else "en-GB",
                                          is_mobile=phone, has_touch=phone)
            context.add_cookies([{"name": "sessionid", "value": key, "domain": "127.0.0.1", "path": "/"},
                                 {"name": "django_language", "value": lang, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.goto(base + path)
            return page

        def both_show(*, waiting: int, moving: int, marker: str, row: str) -> None:
            """Waiting and in-motion counts, the one marker's state and the transfer's row, on both pages."""
            for page in (desk, phone):
                expect(page.locator("#waiting-count")).to_have_text(str(waiting), timeout=10000)
                expect(page.locator("#moving-count")).to_have_text(str(moving), timeout=10000)
                expect(page.locator("#transfers-map")).to_have_attribute("data-markers", "1")
                expect(page.locator(f".transfer-marker.state-{marker}")).to_have_count(1)
                listed = page.locator("#national-live tbody tr[data-state]")
                expect(listed).to_have_count(1)
                expect(listed).to_have_attribute("data-state", row)
                expect(listed).to_contain_text("TL-1")
                assert page.evaluate("document.body.dataset.loadedOnce") == "yes"

        try:
            desk = page_for(officer_key)
            phone = page_for(coordinator_key, phone=True, lang="ru")
            expect(desk.locator("#live-state")).to_have_attribute("data-state", "live", timeout=10000)
            expect(phone.locator("#live-state")).to_have_attribute("data-state", "live", timeout=10000)
            expect(desk.locator("#live-state")).to_have_text("Live")
            expect(phone.locator("html")).to_have_attribute("lang", "ru")
            for page in (desk, phone):
                page.evaluate("document.body.dataset.loadedOnce = 'yes'")  # a reload would lose it
                expect(page.locator("#waiting-count")).to_have_text("0")
                expect(page.locator("#moving-count")).to_have_text("0")
                expect(page.locator("#transfers-map")).to_have_attribute("data-markers", "0")
            desk.screenshot(path=_artifact("transfer-live-1-empty-desktop-en.png"), full_page=True)

            # The sending hospital requests the transfer: waiting 1, a waiting marker at the sending hospital.
            made = _api(base, doctor_token, "transfers", {
                "reference": "TL-1", "origin": "ALA-TL1", "destination": "ALA-TL2", "urgency": "emergency",
                "diagnosis": "Open femur fracture", "bed_type": "AdultICU"})
            both_show(waiting=1, moving=0, marker="requested", row="requested")
            expect(desk.locator("#national-live")).to_contain_text("Almaty Trauma Centre")
            expect(phone.locator("#national-live")).to_contain_text("Almaty Trauma Centre (RU)")
            phone.screenshot(path=_artifact("transfer-live-2-requested-phone-ru.png"), full_page=True)

            # The receiving hospital accepts: still waiting (for transport), the marker turns accepted.
            _api(base, manager_token, f"transfers/{made['id']}/accept", {})
            both_show(waiting=1, moving=0, marker="accepted", row="accepted")

            # The coordinator dispatches the ambulance: in motion (transport arranged), nothing waiting.
            _api(base, coordinator_token, f"transfers/{made['id']}/assign", {"asset": int(ambulance)})
            both_show(waiting=0, moving=1, marker="transport_arranged", row="transport_arranged")

            # The crew reaches the patient (no change of state), then departs with them.
            _api(base, coordinator_token, f"transfers/{made['id']}/mission", {"step": "at_patient"})
            _api(base, coordinator_token, f"transfers/{made['id']}/mission", {"step": "departed"})
            both_show(waiting=0, moving=1, marker="departed", row="departed")
            expect(desk.locator("#national-live")).to_contain_text("Departed · Road ambulance")
            expect(phone.locator("#live-state")).to_have_attribute("data-state", "live")
            desk.screenshot(path=_artifact("transfer-live-3-departed-desktop-en.png"), full_page=True)
            phone.screenshot(path=_artifact("transfer-live-3-departed-phone-ru.png"), full_page=True)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            # The coordinator's fleet form offers the region's hospitals, by name, as the ambulance's base.
            fleet = page_for(coordinator_key, phone=True, lang="ru", path="/transfers/assets/")
            expect(fleet.locator("#id_base option")).to_have_text(
                ["—", "Almaty Trauma Centre (RU)", "City Hospital No. 7 (RU)"])
            fleet.screenshot(path=_artifact("transfer-live-4-fleet-phone-ru.png"), full_page=True)
            assert fleet.evaluate("document.documentElement.scrollWidth") <= 390
            assert errors == []
        finally:
            browser.close()

"""Done means of issue 8 (items 3-5) in Debian's Chromium against the production server: a coordinator declares an
exercise incident, registers and triages five casualties, accepts the proposed distribution; the receiving hospital
acknowledges its incoming-patient notice; two MCI boards (desktop in English, phone in Russian) update without a
reload. Screenshots (English and Russian, desktop and 390 px phone) go to test-artifacts/."""

from __future__ import annotations

import os

import pytest

from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.common.conftest import _own_channel_prefix, rt_template, world  # noqa: F401 (fixtures)
from tests.common.servers import run_script, servers

SETUP = """
import django; django.setup()
from datetime import timedelta
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from jedel.accounts.models import User
from jedel.accounts.services import SYSTEM
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.reports import report_submit
from jedel.common.clock import utcnow
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.geo.services import reference_geography_load
reference_geography_load()
almaty = Region.objects.get(iso_code="KZ-75")
def hospital(code, name, lat, lon, red, yellow, green):
    f = Facility.objects.create(code=code, kind="city_hospital", region=almaty, lat=lat, lon=lon, name_en=name,
                                name_ru=name + " (RU)", reporting_interval_min=240)
    report_submit(actor=SYSTEM, facility=f, source="api", now=utcnow(), data=ReportInput(
        reported_at=utcnow() - timedelta(minutes=5), beds=(BedInput("AdultICU", 10, 5),), mci_immediate_per_hour=red,
        mci_delayed_per_hour=yellow, mci_minimal_per_hour=green))
    return f
near = hospital("ALA-MCI1", "City Hospital No. 4", 43.22, 76.86, 1, 1, 2)
far = hospital("ALA-MCI2", "Regional Trauma Centre", 43.32, 76.98, 2, 2, 5)
def person(name, role, **scope):
    user = User(username=name, role=role, **scope); user.set_unusable_password(); user.save(); return user
coordinator = person("coordinator", "regional_coordinator", scope_level="region", scope_region=almaty)
board_ru = person("duty_officer", "national_coordinator", scope_level="national")
nurse = person("admissions", "facility_manager", scope_level="facility", scope_facility=near)
person("trauma_admissions", "facility_manager", scope_level="facility", scope_facility=far)
for user in (coordinator, board_ru, nurse):
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
    session.create()
    print(session.session_key)
"""

RED = {"can_walk": "no", "breathing": "yes", "respiratory_rate_per_min": "34"}
YELLOW = {"can_walk": "no", "breathing": "yes", "respiratory_rate_per_min": "20", "peripheral_pulse_palpable": "yes",
          "obeys_commands": "yes"}
GREEN = {"can_walk": "yes"}
CASUALTIES = [("T-1", RED, "Immediate"), ("T-2", RED, "Immediate"), ("T-3", YELLOW, "Delayed"),
              ("T-4", YELLOW, "Delayed"), ("T-5", GREEN, "Minimal")]


def _artifact(name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)


@pytest.mark.browser
def test_declare_triage_distribute_acknowledge_and_the_board_updates_live(request, tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("browser tests run on the SQLite pass")
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    make_env, _token, _session = request.getfixturevalue("world")
    env = {**make_env(), "JEDEL_NOTIFY_WORKER": "in-server"}
    coordinator_key, officer_key, nurse_key = run_script(SETUP, env).split()
    with servers(env, 1, tmp_path) as (server,), sync_playwright() as pw:
        base = f"http://127.0.0.1:{server.port}"
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        errors: list[str] = []

        def page_for(key: str, *, phone: bool = False, lang: str = "en"):
            context = browser.new_context(viewport={"width": 390, "height": 844} if phone else
                                          {"width": 1280, "height": 900}, locale="ru-RU" if lang == "ru" else "en-GB",
                                          is_mobile=phone, has_touch=phone)
            context.add_cookies([{"name": "sessionid", "value": key, "domain": "127.0.0.1", "path": "/"},
                                 {"name": "django_language", "value": lang, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            return page

        try:
            coord = page_for(coordinator_key)
            # 1. Declare an exercise incident.
            coord.goto(f"{base}/incidents/declare/")
            coord.fill("#id_title", "Exercise: bus crash on Al-Farabi Avenue")
            coord.select_option("#id_kind", "transport")
            coord.check("#id_is_exercise")
            coord.select_option("#id_regions", ["KZ-75"])
            coord.fill("#id_scene_lat", "43.2")
            coord.fill("#id_scene_lon", "76.85")
            coord.click("main form button[type=submit]")
            expect(coord.locator("h1")).to_contain_text("EXERCISE")
            incident_url = coord.url.split("?")[0]
            board_url = incident_url + "board/"
            # 2. Two boards open before anything happens: the coordinator's desk (English) and a phone (Russian).
            desk = page_for(coordinator_key)
            desk.goto(board_url)
            phone_ru = page_for(officer_key, phone=True, lang="ru")
            phone_ru.goto(board_url)
            expect(desk.locator("#live-state")).to_have_attribute("data-state", "live", timeout=10000)
            expect(phone_ru.locator("#live-state")).to_have_attribute("data-state", "live", timeout=10000)
            for page in (desk, phone_ru):
                page.evaluate("document.body.dataset.loadedOnce = 'yes'")  # a reload would lose it
            # 3. Register and triage five casualties (START) on the registration page.
            for tag, findings, category in CASUALTIES:
                coord.goto(incident_url + "casualties/new/")
                coord.fill("#id_tag", tag)
                coord.select_option("#id_method", "start")
                expect(coord.locator("#id_age_years")).to_have_count(0)  # START's findings swapped in (htmx)
                expect(coord.locator("#id_respiratory_rate_per_min")).to_be_visible()
                for name, value in findings.items():
                    if name == "respiratory_rate_per_min":
                        coord.fill(f"#id_{name}", value)
                    else:
                        coord.select_option(f"#id_{name}", value)
                coord.click("main form button[type=submit]")
                expect(coord.locator("#triage-result")).to_contain_text(category)
            expect(desk.locator("#mci-total")).to_have_text("5", timeout=10000)
            expect(desk.locator("#mci-proposals tbody tr")).to_have_count(5, timeout=10000)
            expect(phone_ru.locator("#mci-total")).to_have_text("5", timeout=10000)
            expect(desk.locator("#mci-benefit")).to_contain_text("Expected benefit")
            desk.screenshot(path=_artifact("mci-plan-desktop-en.png"), full_page=True)
            phone_ru.screenshot(path=_artifact("mci-plan-phone-ru.png"), full_page=True)
            # 4. Accept the proposed distribution (from the desk board).
            desk.click("#accept-plan")
            expect(desk.locator("main")).to_contain_text("5 destinations accepted")
            desk.evaluate("document.body.dataset.loadedOnce = 'yes'")  # the desk posted the form; from here, live
            # The phone board, never reloaded, shows every casualty on its way and the hospitals' loads.
            expect(phone_ru.locator("#mci-casualties")).to_contain_text("City Hospital No. 4 (RU)", timeout=10000)
            expect(phone_ru.locator("#mci-casualties tbody tr[data-status=awaiting_transport]")).to_have_count(5)
            expect(phone_ru.locator("#mci-plan-empty")).to_be_visible()
            # 5. The receiving hospital's admissions desk acknowledges its first incoming-patient notice.
            nurse = page_for(nurse_key, phone=True)
            nurse.goto(f"{base}/notices/")
            expect(nurse.locator("#inbox-list")).to_contain_text("EXERCISE — Incoming patient", timeout=10000)
            assert "Secret" not in nurse.content()
            nurse.screenshot(path=_artifact("mci-hospital-notice-phone-en.png"), full_page=True)
            nurse.locator("button[value=acknowledged]").first.click()
            # 6. Both boards show the acknowledgement live.
            expect(desk.locator("#mci-casualties")).to_contain_text("Acknowledged", timeout=10000)
            expect(phone_ru.locator("#mci-hospitals")).to_contain_text("1", timeout=10000)
            assert desk.evaluate("document.body.dataset.loadedOnce") == "yes"
            assert phone_ru.evaluate("document.body.dataset.loadedOnce") == "yes"
            # The category filter on the list.
            desk.select_option("#filter-category", "immediate")
            expect(desk.locator("#mci-casualties tbody tr:not([hidden])")).to_have_count(2)
            desk.select_option("#filter-category", "")
            desk.screenshot(path=_artifact("mci-board-desktop-en.png"), full_page=True)
            phone_ru.screenshot(path=_artifact("mci-board-phone-ru.png"), full_page=True)
            desk_ru = page_for(officer_key, lang="ru")
            desk_ru.goto(board_url)
            expect(desk_ru.locator("#live-state")).to_have_attribute("data-state", "live", timeout=10000)
            desk_ru.screenshot(path=_artifact("mci-board-desktop-ru.png"), full_page=True)
            phone_en = page_for(coordinator_key, phone=True)
            phone_en.goto(board_url)
            expect(phone_en.locator("#live-state")).to_have_attribute("data-state", "live", timeout=10000)
            phone_en.screenshot(path=_artifact("mci-board-phone-en.png"), full_page=True)
            # Usable on a 390 px phone: nothing wider than the screen but the scrolling tables.
            assert phone_en.evaluate("document.documentElement.scrollWidth") <= 390
            assert errors == []
        finally:
            browser.close()

"""End to end in Debian's Chromium against the production server: an incoming-patient notice reaches a hospital,
nobody acknowledges, it escalates to the next person, who acknowledges; the sender sees who and when, live."""

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
from jedel.common.clock import utcnow
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.geo.services import reference_geography_load
from jedel.notifications.models import Desk, Shift
reference_geography_load()
almaty = Region.objects.get(iso_code="KZ-75")
hospital = Facility.objects.create(code="ALA-N1", kind="city_hospital", region=almaty, lat=43.25, lon=76.92,
                                   name_en="Almaty Notice Hospital")
def person(name, role, **scope):
    user = User(username=name, role=role, **scope); user.set_unusable_password(); user.save(); return user
nurse = person("ed_nurse", "clinician", scope_level="facility", scope_facility=hospital)
doctor = person("ed_doctor", "clinician", scope_level="facility", scope_facility=hospital)
sender = person("dispatcher", "regional_coordinator", scope_level="region", scope_region=almaty)
desk = Desk.objects.create(kind="admissions", facility=hospital)
now = utcnow()
for position, user in enumerate([nurse, doctor]):
    Shift.objects.create(desk=desk, user=user, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8),
                         position=position)
for user in (nurse, doctor, sender):
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
    session.create()
    print(session.session_key)
"""

@pytest.mark.browser
def test_notice_escalates_and_the_sender_sees_who_acknowledged(request, tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("browser tests run on the SQLite pass")
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    make_env, _token, _session = request.getfixturevalue("world")
    env = {**make_env(), "JEDEL_NOTIFY_WORKER": "in-server"}
    nurse_key, doctor_key, sender_key = run_script(SETUP, env).split()
    with servers(env, 1, tmp_path) as (server,), sync_playwright() as pw:
        base = f"http://127.0.0.1:{server.port}"
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        errors: list[str] = []

        def page_for(key: str, *, phone: bool = False):
            context = browser.new_context(viewport={"width": 390, "height": 844} if phone else
                                          {"width": 1280, "height": 900}, locale="en-GB")
            context.add_cookies([{"name": "sessionid", "value": key, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            return page

        try:
            nurse, doctor, sender = page_for(nurse_key, phone=True), page_for(doctor_key, phone=True), page_for(sender_key)
            for page in (nurse, doctor):
                page.goto(f"{base}/notices/")
                expect(page.locator("#inbox-list")).to_contain_text("No notices.")
            sender.goto(f"{base}/notices/send/?facility=ALA-N1")
            sender.select_option("#id_kind", "incoming_patient")
            sender.select_option("#id_priority", "emergency")
            sender.fill("#id_title", "Red casualty from the Medeu road, ETA 12 min")
            sender.fill("#id_ack_timeout_s", "10")
            sender.click("main form button[type=submit]")
            expect(sender.locator("#notice-status")).to_contain_text("level 1")
            # The first-called nurse gets it live, without a reload; the doctor not yet.
            expect(nurse.locator("#inbox-list")).to_contain_text("Red casualty from the Medeu road", timeout=10000)
            expect(doctor.locator("#inbox-list")).to_contain_text("No notices.")
            nurse.screenshot(path=str(_artifact("notice-nurse-phone.png")))
            # Nobody answers: after the 10-second acknowledgement time the server's worker pages the next person.
            expect(doctor.locator("#inbox-list")).to_contain_text("Red casualty from the Medeu road", timeout=20000)
            expect(sender.locator("#notice-status")).to_contain_text("level 2", timeout=10000)
            doctor.locator("button[value=acknowledged]").click()
            expect(doctor.locator("#notice-status")).to_contain_text("Acknowledged by ed_doctor")
            expect(sender.locator("#notice-status")).to_contain_text("Acknowledged by ed_doctor at", timeout=10000)
            assert sender.locator("#deliveries tr[data-recipient=ed_doctor]").get_attribute("data-state") == "acknowledged"
            assert sender.locator("#deliveries tr[data-recipient=ed_nurse]").get_attribute("data-state") == "cancelled"
            sender.screenshot(path=str(_artifact("notice-sender.png")), full_page=True)
            assert errors == []
        finally:
            browser.close()


def _artifact(name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name

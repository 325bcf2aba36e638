"""End to end in Debian's Chromium against the production server: a security console is open, a panic button
is pressed through the API, the alarm appears on the console without a reload and is acknowledged there.
Screenshots: test-artifacts/security-console-*.png."""

from __future__ import annotations

import json
import os
import urllib.request

import pytest

from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.common.conftest import _own_channel_prefix, rt_template, world  # noqa: F401 (fixtures)
from tests.common.servers import run_script, servers

SETUP = """
import django; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from jedel.accounts.models import User
from jedel.accounts.services import SYSTEM
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.geo.services import reference_geography_load
from jedel.security.services.panic import button_create
reference_geography_load()
almaty = Region.objects.get(iso_code="KZ-75")
hospital = Facility.objects.create(code="ALA-S1", kind="childrens", region=almaty, lat=43.25, lon=76.92,
                                   name_en="Almaty Children's Hospital")
officer = User(username="guard", role="security_officer", scope_level="facility", scope_facility=hospital)
officer.set_unusable_password(); officer.save()
_, raw = button_create(actor=SYSTEM, facility_id=hospital.pk, location="ER triage desk")
session = SessionStore()
session.update({SESSION_KEY: str(officer.pk), HASH_SESSION_KEY: officer.get_session_auth_hash(),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
session.create()
print(session.session_key, raw, hospital.pk)
"""


def _press(base: str, raw: str) -> dict:
    request = urllib.request.Request(f"{base}/api/security/panic", data=b"{}", method="POST",
                                     headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())


@pytest.mark.browser
def test_a_press_appears_on_the_console_without_reload_and_is_acknowledged(request, tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("browser tests run on the SQLite pass")
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    make_env, _token, _session = request.getfixturevalue("world")
    env = make_env()
    session_key, raw, facility_id = run_script(SETUP, env).split()
    with servers(env, 1, tmp_path) as (server,), sync_playwright() as pw:
        base = f"http://127.0.0.1:{server.port}"
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        errors: list[str] = []
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            context.add_cookies([{"name": "sessionid", "value": session_key, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{base}/security/console/{facility_id}/")
            expect(page.locator("#console-alerts")).to_contain_text("No alarms.")
            expect(page.locator("#console-status")).to_have_attribute("data-state", "live", timeout=10000)
            page.evaluate("window.__loads = performance.getEntriesByType('navigation').length; window.__mark = 1")
            pressed = _press(base, raw)
            card = page.locator(f"article[data-alert='{pressed['alert']['id']}']")
            expect(card).to_contain_text("ER triage desk", timeout=10000)
            expect(card).to_have_attribute("data-state", "open")
            assert page.evaluate("window.__mark") == 1  # the same document: no reload happened
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "security-console-alarm.png"), full_page=True)
            card.locator("button.ack-button").click()
            card = page.locator(f"article[data-alert='{pressed['alert']['id']}']")
            expect(card).to_have_attribute("data-state", "acknowledged", timeout=10000)
            expect(card).to_contain_text("acknowledged by guard")
            page.screenshot(path=str(ARTIFACTS / "security-console-acknowledged.png"), full_page=True)
            # Every security page at phone width, in each language: no sideways scroll.
            for lang in ("ru", "kk", "en"):
                phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
                phone.add_cookies([{"name": "sessionid", "value": session_key, "domain": "127.0.0.1", "path": "/"},
                                   {"name": "django_language", "value": lang, "domain": "127.0.0.1", "path": "/"}])
                small = phone.new_page()
                small.on("pageerror", lambda exc: errors.append(str(exc)))
                for path in ("/security/", "/security/panic/", f"/security/console/{facility_id}/",
                             f"/security/facility/{facility_id}/", "/security/compliance/", "/security/incidents/",
                             "/security/incidents/new/", "/security/analytics/", "/security/report/2026/11/"):
                    small.goto(f"{base}{path}")
                    width = small.evaluate("document.documentElement.scrollWidth")
                    if lang == "en" and path == f"/security/console/{facility_id}/":
                        small.screenshot(path=str(ARTIFACTS / "security-console-phone.png"), full_page=True)
                    widest = small.evaluate("""() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > 391).slice(-3)
                        .map(e => e.tagName + '.' + e.className + '#' + e.id)""")
                    assert width <= 390, f"{lang} {path}: the page scrolls sideways ({width} px): {widest}"
                phone.close()
            assert errors == []
        finally:
            browser.close()

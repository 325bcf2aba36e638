"""The site shell on the board, in Debian's Chromium against the production server (uvicorn):

- the server goes away: one notice "Connection lost — figures as of HH:MM" (Almaty time of the last answer)
  appears, and goes once the server is back;
- the session ends (its row deleted, as at expiry): the next panel refresh is not filled with the sign-in page;
  one "signed out" notice with a link to sign in again appears instead.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.common.conftest import _own_channel_prefix, rt_template, world  # noqa: F401 (fixtures)
from tests.common.servers import Server, free_port, run_script

FACILITY = """
import django; django.setup()
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.geo.services import reference_geography_load
reference_geography_load()
Facility.objects.create(code="ALA-SHELL", kind="city_hospital", region=Region.objects.get(iso_code="KZ-75"),
                        lat=43.25, lon=76.92, name_en="Almaty Shell Hospital")
"""
EXPIRE_SESSIONS = """
import django; django.setup()
from django.contrib.sessions.models import Session
print(Session.objects.all().delete()[0])
"""


def _almaty_hhmm() -> str:
    return datetime.now(ZoneInfo("Asia/Almaty")).strftime("%H:%M")


@pytest.mark.browser
def test_connection_lost_and_signed_out_notices(request, tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("browser tests run on the SQLite pass")
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    make_env, _token, session_key = request.getfixturevalue("world")
    env = {**make_env(), "JEDEL_BOARD_POLL_SECONDS": "2"}
    run_script(FACILITY, env)
    port = free_port()
    server = Server(env, tmp_path, port).wait_ready()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
                context.add_cookies([{"name": "sessionid", "value": session_key, "domain": "127.0.0.1",
                                      "path": "/"}])
                board = context.new_page()
                errors: list[str] = []
                board.on("pageerror", lambda exc: errors.append(str(exc)))
                board.goto(f"http://127.0.0.1:{port}/")
                board.wait_for_selector("#board-map[data-loaded='1']", timeout=15000)
                expect(board.locator("#live-state")).to_have_attribute("data-state", "live", timeout=15000)
                notice = board.locator("#site-notice")
                expect(notice).to_be_hidden()
                # The same board in Russian on a phone (390 x 844), to see the notice there too.
                phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU",
                                                    is_mobile=True, has_touch=True)
                phone_context.add_cookies([
                    {"name": "sessionid", "value": session_key, "domain": "127.0.0.1", "path": "/"},
                    {"name": "django_language", "value": "ru", "domain": "127.0.0.1", "path": "/"}])
                phone = phone_context.new_page()
                phone.goto(f"http://127.0.0.1:{port}/")
                expect(phone.locator("html")).to_have_attribute("lang", "ru")
                phone.wait_for_selector("#board-map[data-loaded='1']", timeout=15000)

                # The server goes away.
                before = _almaty_hhmm()
                server.kill()
                expect(notice).to_have_attribute("data-state", "lost", timeout=20000)
                text = notice.inner_text()
                match = re.fullmatch(r"Connection lost — figures as of (\d\d:\d\d)\. Retrying…", text)
                assert match, text
                assert match.group(1) in {before, _almaty_hhmm()}
                board.screenshot(path=str(ARTIFACTS / "shell-connection-lost.png"))
                phone_notice = phone.locator("#site-notice")
                expect(phone_notice).to_have_attribute("data-state", "lost", timeout=20000)
                box = phone_notice.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
                assert re.search(r"\d\d:\d\d", phone_notice.inner_text())
                phone.screenshot(path=str(ARTIFACTS / "shell-connection-lost-ru-390.png"))
                phone_context.close()
                # ... and comes back on the same address: the notice goes by itself.
                server = Server(env, tmp_path, port).wait_ready()
                expect(notice).to_be_hidden(timeout=20000)
                expect(board.locator("#live-state")).to_have_attribute("data-state", "live", timeout=40000)

                # The session ends; the next panel refresh is answered with the sign-in page.
                assert run_script(EXPIRE_SESSIONS, env).strip() == "1"
                board.locator("#board-filters select[name=region]").select_option("KZ-75")
                expect(notice).to_have_attribute("data-state", "signed-out", timeout=10000)
                expect(notice).to_have_text("You have been signed out: the figures on this page no longer "
                                            "update. Sign in again")
                assert notice.locator("a").get_attribute("href") == "/accounts/login/?next=%2F"
                assert board.locator("main input[name=password]").count() == 0  # no login page in a panel
                assert board.locator("#board-table").count() == 1
                board.screenshot(path=str(ARTIFACTS / "shell-signed-out.png"))
                notice.locator("a").click()
                board.wait_for_url(re.compile(r"/accounts/login/\?next=%2F$"))
                assert errors == []
            finally:
                browser.close()
    finally:
        server.kill()

"""End to end in Debian's Chromium against the production server (uvicorn): a report pushed to an open board.

The board's polling is set to an hour, so only the websocket can bring the change: the facility's marker is
redrawn from the event within seconds, without a reload and without a poll.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import httpx

import pytest
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.common.conftest import _own_channel_prefix, rt_template, world  # noqa: F401 (fixtures)
from tests.common.servers import run_script, servers


FACILITY = """
import django; django.setup()
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.geo.services import reference_geography_load
reference_geography_load()
almaty = Region.objects.get(iso_code="KZ-75")
Facility.objects.create(code="ALA-PUSH", kind="city_hospital", region=almaty, lat=43.25, lon=76.92,
                        name_en="Almaty Push Hospital")
"""


@pytest.mark.browser
def test_a_report_is_pushed_to_an_open_board_without_polling(request, tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("browser tests run on the SQLite pass")
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    make_env, token, session_key = request.getfixturevalue("world")
    env = {**make_env(), "JEDEL_BOARD_POLL_SECONDS": "3600"}
    run_script(FACILITY, env)
    with servers(env, 1, tmp_path) as (server,), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            context.add_cookies([{"name": "sessionid", "value": session_key, "domain": "127.0.0.1", "path": "/"}])
            board = context.new_page()
            errors: list[str] = []
            board.on("pageerror", lambda exc: errors.append(str(exc)))
            board.goto(f"http://127.0.0.1:{server.port}/")
            board.wait_for_selector("#board-map[data-loaded='1']", timeout=15000)
            expect(board.locator("#live-state")).to_have_attribute("data-state", "live", timeout=15000)
            # A hospital information system reports through the API (the same server process: no Redis needed).
            sent = httpx.post(f"http://127.0.0.1:{server.port}/api/facilities/ALA-PUSH/reports",
                              headers={"Authorization": f"Bearer {token}"}, timeout=10,
                              json={"reported_at": datetime.now(UTC).isoformat(), "ed_status": "diversion",
                                    "ed_status_reason": "MCI", "beds": [{"bed_type": "AdultICU", "staffed": 10,
                                                                         "occupied": 9}]})
            assert sent.status_code == 201, sent.text
            expect(board.locator("#board-map")).to_have_attribute("data-pushed", "ALA-PUSH:diversion",
                                                                  timeout=10000)
            ARTIFACTS.mkdir(exist_ok=True)
            board.screenshot(path=str(ARTIFACTS / "board-push.png"))
            assert errors == []
        finally:
            browser.close()

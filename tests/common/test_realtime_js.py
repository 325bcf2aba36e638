"""static/common/realtime.js in Debian's Chromium against a real server: replay, and reconnect after a restart."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser_helpers import CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.common.servers import publish_in_child, servers

SCRIPT = Path(__file__).resolve().parents[2] / "src/jedel/common/static/common/realtime.js"




@pytest.mark.browser
def test_browser_client_replays_and_reconnects_after_a_restart(request, tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("the browser client does not depend on the database: run on the SQLite pass only")
    browser_or_skip()
    from playwright.sync_api import sync_playwright

    env, _, session_key = request.getfixturevalue("world")  # only now: a skip costs no database
    assert publish_in_child(env(), 2) == [1, 2]
    with servers(env(), 1, tmp_path) as (server,), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(bypass_csp=True)  # the test drives the client with injected scripts
            context.add_cookies([{"name": "sessionid", "value": session_key, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            origin = f"http://127.0.0.1:{server.port}"
            page.goto(f"{origin}/static/common/realtime.js")  # any page of the server's origin will do
            page.add_script_tag(path=str(SCRIPT))
            page.evaluate("""() => {
                window.got = []; window.resets = []; window.states = [];
                JedelRealtime.subscribe("capacity", {after: 0, onEvent: (e) => got.push([e.seq, e.data.i]),
                    onReset: (s) => resets.push(s), onStatus: (s) => states.push(s)});
            }""")
            page.wait_for_function("window.got.length >= 2", timeout=10000)
            server.kill()
            assert publish_in_child(env(), 2) == [3, 4]  # while the server is down
            with servers(env(), 1, tmp_path, port=server.port):
                page.wait_for_function("window.got.length >= 4", timeout=20000)
                page.wait_for_timeout(200)
                assert page.evaluate("window.got") == [[1, 0], [2, 1], [3, 0], [4, 1]]
                assert page.evaluate("window.resets") == []
                states = page.evaluate("window.states")
                assert states[-1] == "live" and "offline" in states
        finally:
            browser.close()

"""In Debian's Chromium with the Content-Security-Policy enforced: no page of the site (board, facility page,
report form, sign-in, audit trail, API docs) triggers a single CSP violation, and they still work (the map
loads, the board's partials refresh, the language menu switches, Swagger UI renders)."""

from __future__ import annotations

import pytest
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.capacity.capacity_helpers import NATIONAL, make_facility, make_user, report

from jedel.capacity.services.reports import report_submit
from jedel.common.clock import utcnow

# Records violations in the page itself as well as what Chromium logs (Playwright's init script is injected
# through the DevTools protocol, so the policy does not block it).
WATCH = """document.addEventListener("securitypolicyviolation", function (e) {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});"""


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _session_cookie(client, user, live_server) -> dict[str, str]:
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_violates_the_content_security_policy(live_server, kz, settings, client):
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    settings.JEDEL_BOARD_POLL_SECONDS = 1
    facility = make_facility(kz["KZ-75"], "ALA-CSP-1", name_en="Almaty CSP Hospital")
    report_submit(actor=NATIONAL, facility=facility, source="web", data=report(utcnow(), minutes_ago=20))
    report_submit(actor=NATIONAL, facility=facility, source="web", data=report(utcnow(), minutes_ago=5,
                  bed_rows=(("AdultICU", 10, 8), ("MedicalSurgical", 40, 30))))
    national = make_user("ncc", "national_coordinator")
    manager = make_user("mgr", "facility_manager", facility=facility)

    ARTIFACTS.mkdir(exist_ok=True)
    console: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            anonymous = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            pages = []

            def open_page(context, path: str):
                page = context.new_page()
                page.add_init_script(WATCH)
                # CSP and Permissions-Policy complaints, and htmx's own when it may not evaluate a trigger filter.
                page.on("console", lambda m: console.append(f"{path}: {m.text}")
                        if any(word in m.text for word in ("Content Security Policy", "Permissions-Policy",
                                                           "htmx:")) else None)
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, path
                assert "script-src 'self'" in response.headers["content-security-policy"]
                pages.append((path, page))
                return page

            login = open_page(anonymous, "/accounts/login/")
            login.select_option("select[name=language]", "ru")  # the menu submits itself (site.js, no onchange)
            expect(login.locator("html")).to_have_attribute("lang", "ru")
            login.select_option("select[name=language]", "en")
            expect(login.locator("html")).to_have_attribute("lang", "en")
            docs = open_page(anonymous, "/api/docs")
            expect(docs.locator(".swagger-ui .info .title")).to_contain_text("Jedel API", timeout=15000)
            docs.locator(".opblock").first.wait_for()

            coordinator = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            coordinator.add_cookies([_session_cookie(client, national, live_server)])
            board = open_page(coordinator, "/")
            board.wait_for_selector("#board-map[data-loaded='1']", timeout=15000)
            board.wait_for_timeout(2500)  # a couple of htmx polls and a map refresh under the policy
            board.screenshot(path=str(ARTIFACTS / "csp-board.png"))
            open_page(coordinator, "/facilities/ALA-CSP-1/").locator(".chart").first.wait_for()
            open_page(coordinator, "/accounts/audit/")

            hospital = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            hospital.add_cookies([_session_cookie(client, manager, live_server)])
            form = open_page(hospital, "/facilities/ALA-CSP-1/report/")
            form.locator("form.report-form").wait_for()

            violations = {path: page.evaluate("window.__csp || []") for path, page in pages}
        finally:
            browser.close()
    assert violations == {path: [] for path, _ in pages}
    assert console == []

"""Family reunification and tag scanning in Debian's Chromium on a phone (390 × 844), in Russian.

A regional coordinator of Almaty searches «ЕЛКИНА» typed in capitals without ё: both Ёлкинas of real incidents
appear (the exercise's does not), the Almaty one with where she is now, the Astana one withheld; nothing is
wider than the phone. Then the scan page reads a tag through the camera (a stand-in BarcodeDetector and
Chromium's fake camera: headless Linux Chromium has no detector of its own) and registers that casualty.

Screenshots: test-artifacts/reunification-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip, sign_in
from tests.capacity.capacity_helpers import make_facility, make_user

from jedel.accounts.services import SYSTEM
from jedel.common.clock import utcnow
from jedel.incidents.models import Casualty
from jedel.incidents.services.casualties import casualty_move, casualty_register
from jedel.incidents.services.incidents import incident_declare

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 390, "height": 844}
FAKE_DETECTOR = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  constructor(options) { this.options = options; }
  async detect(source) { return [{rawValue: "SC-0042", format: "qr_code"}]; }
};
"""


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the ORM calls here are plain synchronous code."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def casualties(kz):
    hospital = make_facility(kz["KZ-75"], "ALA-RU", name_ru="Городская клиническая больница №4")
    now = utcnow() - timedelta(hours=2)

    def incident(title, iso, exercise=False):
        return incident_declare(actor=SYSTEM, title=title, kind="transport", scene_lat=43.2, scene_lon=76.8,
                                region_isos=[iso], is_exercise=exercise, now=now)

    almaty, astana = incident("ДТП на трассе Алматы — Бишкек", "KZ-75"), incident("Пожар в Астане", "KZ-71")
    drill = incident("Учение", "KZ-75", exercise=True)
    casualty_register(actor=SYSTEM, incident_id=almaty.pk, tag="A-17", name="Алёна Ёлкина", age_band="adult",
                      sex="female", description="Красное пальто, перелом левой руки", now=now)
    casualty_move(actor=SYSTEM, incident_id=almaty.pk, tag="A-17", status="in_transport", version=1,
                  destination_code=hospital.code, vehicle="103-07", now=now + timedelta(minutes=20))
    casualty_register(actor=SYSTEM, incident_id=astana.pk, tag="B-3", name="Ольга Ёлкина", age_band="older",
                      sex="female", now=now + timedelta(minutes=5))
    casualty_register(actor=SYSTEM, incident_id=drill.pk, tag="E-1", name="Ёлкина", now=now)
    make_user("coordinator", "regional_coordinator", region=kz["KZ-75"], password=PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)
    return {"almaty": almaty}


def _sign_in(page, url):
    sign_in(page, url, "coordinator", PASSWORD)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_finds_a_casualty_on_a_phone_in_russian(live_server, casualties):
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS + [
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"])
        context = browser.new_context(viewport=PHONE, locale="ru-RU", has_touch=True, is_mobile=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _sign_in(page, live_server.url)
        context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])

        page.goto(f"{live_server.url}/incidents/find/")
        assert page.locator("html").get_attribute("lang") == "ru"
        page.fill("input[name=name]", "ЕЛКИНА")
        page.select_option("select[name=sex]", "female")
        page.locator("#reunite-form button[type=submit]").tap()
        results = page.locator("#reunite-results article.found")
        expect(results).to_have_count(2)
        assert [results.nth(i).get_attribute("data-tag") for i in range(2)] == ["B-3", "A-17"]
        mine = page.locator('article.found[data-tag="A-17"] .whereabouts')
        expect(mine).to_contain_text("Городская клиническая больница №4")
        expect(mine).to_contain_text("103-07")
        expect(page.locator('article.found[data-tag="B-3"] .whereabouts.withheld')).to_have_count(1)
        assert page.locator(".badge.exercise").count() == 0  # the exercise's casualty is not among them
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for i in range(2):
            box = results.nth(i).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.screenshot(path=str(ARTIFACTS / "reunification-search-ru.png"), full_page=True)

        # Scanning: the camera starts, the (stand-in) detector reads SC-0042, the form registers it and opens it.
        page.add_init_script(FAKE_DETECTOR)
        incident = casualties["almaty"].pk
        page.goto(f"{live_server.url}/incidents/{incident}/scan/")
        start = page.locator("#scan-start")
        expect(start).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "reunification-scan-ru.png"), full_page=True)
        start.tap()
        page.wait_for_url(f"{live_server.url}/incidents/{incident}/casualties/SC-0042/")
        assert Casualty.objects.filter(incident_id=incident, tag="SC-0042").count() == 1
        assert errors == []
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_a_detector_the_scan_page_asks_for_the_tag(live_server, casualties):
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport=PHONE, locale="ru-RU", has_touch=True, is_mobile=True)
        page = context.new_page()
        page.add_init_script("delete window.BarcodeDetector;")
        _sign_in(page, live_server.url)
        incident = casualties["almaty"].pk
        page.goto(f"{live_server.url}/incidents/{incident}/scan/")
        expect(page.locator("#scan-status")).not_to_be_empty()
        expect(page.locator("#scan-start")).to_be_hidden()
        page.fill("input[name=tag]", "a-17")
        page.locator("#scan-form button[type=submit]").tap()
        page.wait_for_url(f"{live_server.url}/incidents/{incident}/casualties/A-17/")
        assert Casualty.objects.filter(incident_id=incident).count() == 1  # opened, not registered again
        browser.close()

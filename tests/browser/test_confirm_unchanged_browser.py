"""Issue 17, "less data entry", in Debian's Chromium: on a phone (390 × 844) in Russian a facility manager whose report
is overdue confirms "nothing changed" with one tap on the facility page (htmx); the status panel says so at once,
the overdue warning goes, and the board's card for the facility carries the confirmed-unchanged mark.

Screenshots: test-artifacts/confirm-unchanged-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip, sign_in
from tests.capacity.capacity_helpers import NATIONAL, make_facility, make_user, report

from jedel.capacity.models import CapacityReport
from jedel.capacity.services.reports import report_submit
from jedel.common.clock import utcnow

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the ORM calls here are plain synchronous code."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def overdue_hospital(kz, settings):
    settings.JEDEL_BOARD_POLL_SECONDS = 1
    hospital = make_facility(kz["KZ-75"], "ALA-CONF", interval=240, name_ru="Городская больница №7")
    report_submit(actor=NATIONAL, facility=hospital, source="web", now=utcnow() - timedelta(minutes=300),
                  data=report(utcnow(), minutes_ago=300, bed_rows=(("AdultICU", 12, 9), ("MedicalSurgical", 90, 60)),
                              ventilators_total=6, ventilators_in_use=2, oxygen_status="adequate"))
    make_user("manager", "facility_manager", facility=hospital, password=PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)
    return hospital


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_confirms_nothing_changed_in_one_tap_on_a_phone_in_russian(live_server, overdue_hospital):
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport=PHONE, locale="ru-RU", has_touch=True, is_mobile=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, live_server.url, "manager", PASSWORD)
        context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])

        page.goto(f"{live_server.url}/facilities/ALA-CONF/")
        assert page.locator("html").get_attribute("lang") == "ru"
        panel = page.locator("#current-status")
        expect(panel.locator(".warn-text")).to_have_count(1)  # overdue
        button = page.locator("#confirm-unchanged")
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 30
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "confirm-unchanged-before-ru.png"), full_page=True)

        url = page.url
        button.tap()
        expect(page.locator("#confirm-notice")).to_be_visible()
        assert page.url == url  # htmx: the panel changed, the page stayed
        expect(panel.locator(".confirmed-unchanged")).to_have_count(1)
        expect(panel.locator(".warn-text")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "confirm-unchanged-after-ru.png"), full_page=True)
        stored = CapacityReport.objects.filter(facility=overdue_hospital).order_by("-id").first()
        assert (stored.confirmed_unchanged, stored.source, stored.ventilators_total, stored.beds.count()) == (
            True, "web", 6, 2)

        # The board's card shows the confirmation beside its freshness, on screen.
        page.goto(f"{live_server.url}/")
        page.wait_for_selector("#board-map[data-loaded]", timeout=20000)
        card = page.locator('tr[data-code="ALA-CONF"]')
        card.scroll_into_view_if_needed()
        mark = card.locator("td.col-updated .confirmed-unchanged")
        expect(mark).to_have_count(1)
        mark_box = mark.bounding_box()
        assert mark_box and mark_box["x"] >= 0 and mark_box["x"] + mark_box["width"] <= 390
        assert card.locator("td.col-available").inner_text().strip() == "33"  # 12 − 9 + 90 − 60, carried forward
        page.screenshot(path=str(ARTIFACTS / "confirm-unchanged-board-ru.png"), full_page=False)
        assert errors == []
        browser.close()

"""End to end in Debian's Chromium: a facility manager reports through the web form and the national board,
open in another tab, picks the new figures up on its next poll without a reload."""

from __future__ import annotations

import re

import pytest
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip, sign_in
from tests.capacity.capacity_helpers import NATIONAL, make_facility, make_user, report

from jedel.common.clock import utcnow
from jedel.facilities.models import Facility
from jedel.capacity.selectors.totals import national_totals
from jedel.capacity.services.reports import report_submit



@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the test body's ORM calls are still plain
    synchronous code, so Django's async-safety guard is relaxed for these tests only (and restored after)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"




def _kpi(page, name: str) -> int:
    return int(re.sub(r"\D", "", page.locator(f'[data-kpi="{name}"]').inner_text()))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_report_reaches_the_national_board(live_server, kz, settings):
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    settings.JEDEL_BOARD_POLL_SECONDS = 2
    now = utcnow()
    mine = make_facility(kz["KZ-75"], "ALA-CITY-1", name_en="Almaty City Hospital No. 1")
    report_submit(actor=NATIONAL, facility=mine, source="web",
                  data=report(now, minutes_ago=30, bed_rows=(("AdultICU", 12, 10), ("MedicalSurgical", 120, 100))))
    # One regional hospital in a dozen regions, occupancy from 45 % to 97 %, so the choropleth has contrast.
    for i, (iso, occupied) in enumerate([("KZ-71", 31), ("KZ-79", 39), ("KZ-10", 18), ("KZ-11", 27), ("KZ-15", 35),
                                         ("KZ-23", 39), ("KZ-27", 26), ("KZ-35", 38), ("KZ-39", 30), ("KZ-43", 22),
                                         ("KZ-47", 36), ("KZ-55", 29)]):
        hospital = make_facility(kz[iso], f"{iso}-RH", kind="regional_multiprofile", synthetic=i % 2 == 0)
        report_submit(actor=NATIONAL, facility=hospital, source="demo", data=report(
            now, minutes_ago=5 + 7 * i, bed_rows=(("AdultICU", 10, min(occupied // 4, 10)),
                                                  ("MedicalSurgical", 40, occupied)),
            ed_status="diversion" if i == 4 else "open", ed_status_reason="Full" if i == 4 else ""))
    make_facility(kz["KZ-19"], "KON-AMB", kind="ambulance_station")
    make_facility(kz["KZ-62"], "KZO-CDH", kind="central_district")  # never reported: overdue
    make_user("manager", "facility_manager", facility=mine, password=PASSWORD)
    before = national_totals(now).all_beds.available
    facilities = Facility.objects.count()

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
        errors: list[str] = []
        board = context.new_page()
        board.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(board, live_server.url, "manager", PASSWORD)
        board.wait_for_selector(f"#board-map[data-loaded='{facilities}']", timeout=15000)
        assert _kpi(board, "available") == before
        expect(board.locator("#region-totals")).to_contain_text("Almaty")

        form = context.new_page()
        form.goto(f"{live_server.url}/facilities/ALA-CITY-1/report/")
        form.fill("input[name=beds-0-occupied]", "4")      # Adult ICU 12 staffed: 8 available (was 2)
        form.fill("input[name=beds-3-occupied]", "130")    # Medical/surgical 120 staffed: refused
        form.click("form.report-form button[type=submit]")
        expect(form.locator("tr.row-error")).to_contain_text("Occupied beds exceed staffed beds.")
        form.fill("input[name=beds-3-occupied]", "90")     # 30 available (was 20)
        form.select_option("select[name=ed_status]", "diversion")
        form.fill("input[name=ed_status_reason]", "Trauma team busy with an MCI")
        form.click("form.report-form button[type=submit]")
        form.wait_for_url(f"{live_server.url}/facilities/ALA-CITY-1/")
        expect(form.locator(".messages")).to_contain_text("Report saved")
        expect(form.locator('[data-bed="AdultICU"]')).to_have_text("8")
        expect(form.locator("#current-status")).to_contain_text("Trauma team busy")
        assert form.locator(".chart polyline").count() == 2
        form.close()

        # No reload: the totals partial polls every 2 s.
        after = before - 2 - 20 + 8 + 30
        expect(board.locator('[data-kpi="available"]')).to_have_text(f"{after:,}", timeout=10000)
        expect(board.locator('tr[data-code="ALA-CITY-1"]')).to_contain_text("On diversion")
        board.locator("#map-updated").wait_for()
        board.locator("#region-totals").get_by_role("link", name="Almaty", exact=True).click()
        expect(board.locator("#region-panel")).to_contain_text("Almaty City Hospital No. 1")
        board.wait_for_timeout(2500)  # one more map refresh, so the markers show the diversion too
        board.evaluate("window.scrollTo(0, 0)")
        board.screenshot(path=str(ARTIFACTS / "board.png"), full_page=True)
        assert errors == []
        browser.close()
    assert (ARTIFACTS / "board.png").stat().st_size > 20_000

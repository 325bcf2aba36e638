"""The board as people use it (issue 7), in Debian's Chromium over the synthetic demo network (855 facilities,
~80 of them in Almaty): phones at 390 × 844 and desktops at 1024 px in Russian and Kazakh fit the screen; the
map clusters, zooms to a clicked region, separates the regions' colours and keeps an open popup across
refreshes; the table's page is in the address and Back returns to it.

Screenshots: test-artifacts/board-use-*.png."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip, sign_in
from tests.capacity.capacity_helpers import make_user

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 390, "height": 844}
CODE = "DEMO-75-001"  # the demo's Almaty multi-profile hospital


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the ORM calls here are plain synchronous code."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(kz, settings):
    from jedel.demo.network import demo_network_generate

    settings.JEDEL_BOARD_POLL_SECONDS = 1
    demo_network_generate(history=2)
    from jedel.facilities.models import Facility

    make_user("manager", "facility_manager", facility=Facility.objects.get(code=CODE), password=PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)


def _browser(pw):
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


def _signed_in(browser, live_server, viewport, language):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server.url, "manager", PASSWORD)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return page, errors


def _board(page, live_server, query=""):
    page.goto(f"{live_server.url}/{query}")
    page.wait_for_selector("#board-map[data-loaded]", timeout=20000)


@contextmanager
def _on_the_board(live_server, viewport, language):
    """Chromium, signed in as the Almaty manager in `language`, on the loaded board: yields (page, errors)."""
    browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = _browser(pw)
        try:
            page, errors = _signed_in(browser, live_server, viewport, language)
            _board(page, live_server)
            yield page, errors
        finally:
            browser.close()


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_board_facility_and_report_form_fit_the_screen(live_server, demo):
    for language in ("ru", "kk", "en"):
        with _on_the_board(live_server, PHONE, language) as (page, errors):
            assert _scroll_width(page) <= 390, f"board scrolls sideways in {language}"
            # The map fills the width and its legend starts folded, so it covers only a corner.
            map_box = page.locator("#board-map").bounding_box()
            legend_box = page.locator(".legend").bounding_box()
            assert map_box["width"] >= 340 and map_box["x"] + map_box["width"] <= 390
            assert not page.locator(".legend").evaluate("d => d.open")
            assert legend_box["height"] * legend_box["width"] < 0.1 * map_box["height"] * map_box["width"]
            # Each facility is one card; its key figures are on screen, not in a column off to the right.
            card = page.locator("tr[data-code]").first
            card.scroll_into_view_if_needed()
            for column in ("col-name", "col-ed", "col-available", "col-occupancy", "col-updated"):
                box = card.locator(f"td.{column}").bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (language, column)
            page.screenshot(path=str(ARTIFACTS / f"board-use-phone-board-{language}.png"), full_page=True)

            page.goto(f"{live_server.url}/facilities/{CODE}/")
            assert _scroll_width(page) <= 390, f"facility page scrolls sideways in {language}"
            available = page.locator('#beds-table [data-bed="MedicalSurgical"]').bounding_box()
            assert available["x"] + available["width"] <= 390
            page.screenshot(path=str(ARTIFACTS / f"board-use-phone-facility-{language}.png"), full_page=True)

            page.goto(f"{live_server.url}/facilities/{CODE}/report/")
            assert _scroll_width(page) <= 390, f"report form scrolls sideways in {language}"
            for field in ("bed_type", "staffed", "occupied", "available", "surge_24h"):
                box = page.locator(f"[name=beds-0-{field}]").bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (language, field)
            page.screenshot(path=str(ARTIFACTS / f"board-use-phone-report-{language}.png"), full_page=True)
            assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_poll_updates_the_phone_cards_in_place_without_detaching_their_cells(live_server, demo):
    """The defect behind the Kazakh phone card "without a box": each poll swapped the whole table in, so a cell
    measured between two calls was already detached. Polls now change only the cells whose content changed."""
    from playwright.sync_api import expect

    from jedel.capacity.services.reports import report_submit
    from jedel.common.clock import utcnow
    from jedel.facilities.models import Facility
    from tests.capacity.capacity_helpers import NATIONAL, report

    with _on_the_board(live_server, PHONE, "kk") as (page, errors):
        card = page.locator("tr[data-code]").first
        code = card.get_attribute("data-code")
        page.evaluate("""() => { window.polls = 0;
            document.body.addEventListener('htmx:afterRequest', () => { window.polls += 1; });
            const row = document.querySelector('tr[data-code]');
            for (const td of row.querySelectorAll('td')) { td.seenBefore = true; } }""")
        page.wait_for_function("() => window.polls >= 3", timeout=15000)
        seen = "row => [...row.querySelectorAll('td')].map(td => td.seenBefore === true)"
        assert card.evaluate(seen) == [True] * 9
        # New figures reach the card on the next poll, in the cells that were there before.
        report_submit(actor=NATIONAL, facility=Facility.objects.get(code=code), source="api",
                      data=report(utcnow(), minutes_ago=1, bed_rows=(), ventilators_total=77, ventilators_in_use=0))
        expect(card.locator("td.col-ventilators")).to_contain_text("77", timeout=15000)
        assert card.evaluate(seen) == [True] * 9
        assert card.locator("td.col-available").bounding_box() is not None
        assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_at_1024_px_in_russian_and_kazakh_every_column_is_on_screen(live_server, demo):
    for language in ("ru", "kk"):
        with _on_the_board(live_server, {"width": 1024, "height": 800}, language) as (page, errors):
            assert _scroll_width(page) <= 1024
            # No table scrolls inside its frame either: Available, Occupancy and Last update are all visible.
            overflowing = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
                .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.querySelector('table').id || 'board')""")
            assert overflowing == []
            wrap = page.locator(".board-table-wrap").bounding_box()
            for column in ("available", "occupancy", "updated"):
                box = page.locator(f"th.col-{column}").bounding_box()
                assert box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1, (language, column)
            page.locator("#facilities").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"board-use-1024-{language}.png"))
            assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_clusters_zooms_to_a_region_separates_colours_and_keeps_a_popup_open(live_server, demo):
    from playwright.sync_api import expect

    with _on_the_board(live_server, {"width": 1280, "height": 900}, "ru") as (page, errors):
        page.wait_for_selector(".cluster")
        counts = [int(n) for n in page.locator(".cluster span").all_inner_texts()]
        # Almaty's ~80 facilities are one cluster with its count, not a blob of overlapping dots.
        assert max(counts) >= 50 and sum(counts) <= 855
        # Five colour classes of four regions each (quantiles of the regions' occupancy), and the legend says so.
        assert page.locator("#board-map").get_attribute("data-region-colours") == "5"
        legend = page.locator(".legend")
        assert legend.evaluate("d => d.open") and legend.locator(".legend-class").count() == 5
        assert re.fullmatch(r"\d+,\d–\d+,\d %", legend.locator(".legend-class").first.inner_text().strip())
        page.screenshot(path=str(ARTIFACTS / "board-use-map-ru.png"))
        legend.locator("summary").click()
        assert not legend.evaluate("d => d.open")

        # A click on a region (on the land, not on a marker) zooms to it and lists its facilities.
        zoom_before = page.evaluate("JedelBoard.map.getZoom()")
        point = page.evaluate("""() => {
            const map = JedelBoard.map, box = document.getElementById('board-map').getBoundingClientRect();
            for (const [lat, lon] of [[48.5, 72.0], [47.0, 70.5], [49.0, 75.5], [46.5, 73.5], [48.0, 68.5]]) {
              const p = map.latLngToContainerPoint([lat, lon]);
              const el = document.elementFromPoint(box.left + p.x, box.top + p.y);
              if (el && el.tagName === 'CANVAS') return {x: box.left + p.x, y: box.top + p.y};
            }
            return null; }""")
        assert point, "no free spot of land found in Karaganda region"
        page.mouse.click(point["x"], point["y"])
        expect(page.locator("#board-map")).to_have_attribute("data-selected", "KZ-35")
        expect(page.locator("#region-panel")).to_contain_text("Карагандинская область")
        page.wait_for_timeout(600)
        assert page.evaluate("JedelBoard.map.getZoom()") > zoom_before
        page.screenshot(path=str(ARTIFACTS / "board-use-map-region-ru.png"))

        # An open popup survives the map's refreshes (every second here).
        page.evaluate(f"() => {{ JedelBoard.map.setView(JedelBoard.marker('{CODE}').getLatLng(), 13, {{animate: false}}); }}")
        page.wait_for_timeout(500)
        at = page.evaluate(f"""() => {{ const box = document.getElementById('board-map').getBoundingClientRect();
            const p = JedelBoard.map.latLngToContainerPoint(JedelBoard.marker('{CODE}').getLatLng());
            return {{x: box.left + p.x, y: box.top + p.y}}; }}""")
        page.mouse.click(at["x"], at["y"])
        expect(page.locator(".leaflet-popup")).to_contain_text(CODE)
        stamp = page.locator("#map-updated").inner_text()
        expect(page.locator("#map-updated")).not_to_have_text(stamp, timeout=5000)
        page.wait_for_timeout(1500)
        assert page.locator(".leaflet-popup").count() == 1
        page.screenshot(path=str(ARTIFACTS / "board-use-map-popup-ru.png"))
        assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_table_page_and_sort_are_in_the_address_and_back_returns(live_server, demo):
    from playwright.sync_api import expect

    with _on_the_board(live_server, PHONE, "ru") as (page, errors):
        first_on_page_1 = page.locator("tr[data-code]").first.get_attribute("data-code")
        page.locator(".pager a").last.click()  # "Далее →"
        expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
        expect(page.locator("tr[data-code]").first).not_to_have_attribute("data-code", first_on_page_1)
        first_on_page_2 = page.locator("tr[data-code]").first.get_attribute("data-code")
        # A bookmark of this address shows the same page.
        url = page.url
        page.go_back()
        expect(page).not_to_have_url(re.compile(r"page=2"))
        expect(page.locator("tr[data-code]").first).to_have_attribute("data-code", first_on_page_1)
        page.wait_for_selector("#board-map[data-loaded]", timeout=20000)  # a live map, not a dead snapshot
        page.goto(url)
        expect(page.locator("tr[data-code]").first).to_have_attribute("data-code", first_on_page_2)

        # The "Available beds" header sorts the most first on its first click.
        page.locator("th.col-available a.sort").click()
        expect(page).to_have_url(re.compile(r"sort=-available"))
        figures = [int(re.sub(r"\D", "", t) or 0) for t in page.locator("td.col-available").all_inner_texts()[:5]]
        assert figures == sorted(figures, reverse=True) and figures[0] > 100

        # The overdue KPI card leads to the overdue list.
        page.goto(f"{live_server.url}/")
        page.locator('a.kpi:has([data-kpi="overdue"])').click()
        expect(page).to_have_url(re.compile(r"overdue=on"))
        assert page.locator("#id_overdue").is_checked()
        page.screenshot(path=str(ARTIFACTS / "board-use-phone-overdue-ru.png"))
        assert errors == []

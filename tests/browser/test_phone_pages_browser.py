"""The pages of incidents, preparedness and notices on a 390 px phone in Kazakh and Russian: none scrolls sideways.

Long Kazakh facility names and a row of action links are what pushed pages wider than the screen (a select sized
to its longest option; the incident page's links not wrapping), so the data here has both.
"""

from __future__ import annotations

import pytest
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip, sign_in
from tests.capacity.capacity_helpers import make_facility, make_user

from jedel.accounts.services import SYSTEM

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 390, "height": 844}
LONG_KK = "Алматы қаласының көпбейінді қалалық клиникалық ауруханасы (жедел медициналық көмек орталығы)"


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def pages(kz):
    """An incident with a casualty in Almaty, a long-named hospital, the HSI instruments; the pages to open."""
    from jedel.cli.preparedness import SHIPPED
    from jedel.incidents.services.casualties import casualty_register
    from jedel.incidents.services.incidents import incident_declare
    from jedel.preparedness.services.instruments import instruments_load

    for i in range(3):
        make_facility(kz["KZ-75"], f"ALA-LONG-{i}", name_kk=LONG_KK, name_ru=LONG_KK, name_en=LONG_KK)
    instruments_load([(p.name, p.read_text(encoding="utf-8")) for p in sorted(SHIPPED.glob("*.json"))])
    incident = incident_declare(actor=SYSTEM, title="Көктем базарындағы жарылыс", kind="explosion", scene_lat=43.25,
                                scene_lon=76.9, region_isos=["KZ-75"])
    casualty_register(actor=SYSTEM, incident_id=incident.pk, tag="PH-1")
    user = make_user("phone-ncc", "national_coordinator", password=PASSWORD)
    base = f"/incidents/{incident.pk}"
    return user, ["/incidents/", "/incidents/declare/", f"{base}/", f"{base}/board/", f"{base}/casualties/new/",
                  f"{base}/casualties/PH-1/", f"{base}/walk-ins/?hospital=ALA-LONG-0", f"{base}/tags/",
                  f"{base}/scan/", "/incidents/find/", "/preparedness/", "/notices/", "/notices/rosters/"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_page_scrolls_sideways_on_a_phone(live_server, pages, language):
    browser_or_skip()
    from playwright.sync_api import sync_playwright

    user, paths = pages
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
            page = context.new_page()
            sign_in(page, live_server.url, user.username, PASSWORD)
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            widths = {}
            for path in paths:
                response = page.goto(f"{live_server.url}{path}", wait_until="networkidle")
                assert response is not None and response.status == 200, path
                assert page.locator("html").get_attribute("lang") == language, path
                widths[path] = page.evaluate("document.documentElement.scrollWidth")
            page.goto(f"{live_server.url}{paths[2]}")
            page.screenshot(path=str(ARTIFACTS / f"phone-incident-{language}.png"), full_page=True)
            assert {p: w for p, w in widths.items() if w > PHONE["width"]} == {}
        finally:
            browser.close()

"""In Debian's Chromium: a facility manager edits the emergency response plan (an action marked done without
evidence is refused and marked, then saved with it), sees completeness change and the activation page; the plan,
activation, plans, training, reserve and region pages have no sideways scroll at 390 px and at 1024 px in Kazakh
and Russian. No CSP violation. Screenshots: test-artifacts/prep-plan-*.png."""

from __future__ import annotations

import pytest

from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.capacity.capacity_helpers import make_user
from tests.preparedness.test_preparedness_browser import WATCH


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_edit_plan_then_pages_fit_phones_and_tablets(live_server, hospitals, client):
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    a = hospitals["A"]
    client.force_login(make_user("plan-browser-mgr", "facility_manager", facility=a))
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    ARTIFACTS.mkdir(exist_ok=True)
    pages = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            desk.add_cookies([cookie])
            page = desk.new_page()
            page.add_init_script(WATCH)
            pages.append(page)
            page.goto(f"{live_server.url}/preparedness/plans/{a.pk}/")
            expect(page.locator("#plan-completeness")).to_have_text("0 %")
            page.select_option("select[name='status:1.1']", "done")
            page.fill("input[name='role-0-role']", "Incident commander")
            page.fill("input[name='role-0-name']", "Chief physician A. Nurlanov")
            page.fill("input[name='role-0-phone']", "+7 727 000 0001")
            page.fill("input[name='review_due_on']", "2027-06-30")
            page.click("#save-plan")
            expect(page.locator("#item-1\\.1")).to_have_class("hsi-item has-error")
            page.locator("#item-1\\.1").screenshot(path=str(ARTIFACTS / "prep-plan-1-evidence-required.png"))
            page.fill("textarea[name='evidence:1.1']", "Order No. 41 of 12.01.2026")
            expect(page.locator("input[name='review_due_on']")).to_have_value("2027-06-30")  # kept when refused
            page.click("#save-plan")
            expect(page.locator(".message.success")).to_have_text("The plan is saved as a new version.")
            # One of 7 actions of component 1 done: 1/7 / 9 = 1.6 % → 2 %.
            expect(page.locator("#plan-completeness")).to_have_text("2 %")
            page.screenshot(path=str(ARTIFACTS / "prep-plan-2-saved.png"), full_page=False)
            page.click("text=Activation and call-down list")
            expect(page.locator("#call-down")).to_contain_text("Chief physician A. Nurlanov")
            page.screenshot(path=str(ARTIFACTS / "prep-plan-3-activation.png"), full_page=True)

            paths = [f"/preparedness/plans/{a.pk}/", f"/preparedness/plans/{a.pk}/activation/", "/preparedness/plans/",
                     "/preparedness/training/", "/preparedness/reserve/", "/preparedness/regions/KZ-75/",
                     "/preparedness/"]
            for lang in ("kk", "ru"):
                for width in (390, 1024):
                    ctx = browser.new_context(viewport={"width": width, "height": 844}, locale="en-GB",
                                              is_mobile=width < 500, has_touch=width < 500)
                    ctx.add_cookies([cookie, {"name": "django_language", "value": lang, "url": live_server.url}])
                    small = ctx.new_page()
                    small.add_init_script(WATCH)
                    pages.append(small)
                    for path in paths:
                        small.goto(f"{live_server.url}{path}")
                        expect(small.locator("html")).to_have_attribute("lang", lang)
                        scroll = small.evaluate("document.documentElement.scrollWidth")
                        if width == 390:
                            name = path.strip("/").replace("/", "-") or "root"
                            small.screenshot(path=str(ARTIFACTS / f"prep-plan-4-phone-{lang}-{name}.png"))
                        assert scroll <= width, f"{lang} {width}: {path} scrolls sideways ({scroll} px)"
            violations = [v for p in pages for v in p.evaluate("window.__csp || []")]
        finally:
            browser.close()
    assert violations == []

"""The walk-in page in Debian's Chromium on a phone (390 × 844): a clinician at the door registers a red walk-in
with one tap (the tag is shown), switches to counting and counts three yellow; a second submit of a form being
sent is cancelled (static/incidents/walkin.js: a double tap at the door counts one person once). Every button is a big tap target and nothing is wider than the phone.

Screenshots: test-artifacts/walkins-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.accounts.services import SYSTEM
from jedel.common.clock import utcnow
from jedel.incidents.models import Casualty, WalkInCount
from jedel.incidents.services.incidents import incident_declare
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip, sign_in
from tests.capacity.capacity_helpers import make_facility, make_user

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 390, "height": 844}
MIN_TAP_PX = 48  # WCAG 2.5.5 target size (44 CSS px) with a margin, as Material's 48 dp


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the ORM calls here are plain synchronous code."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def door(kz):
    hospital = make_facility(kz["KZ-75"], "ALA-4")
    make_user("door", "clinician", facility=hospital, password=PASSWORD)
    incident = incident_declare(actor=SYSTEM, title="Market explosion", kind="explosion", scene_lat=43.25,
                                scene_lon=76.9, region_isos=["KZ-75"], now=utcnow() - timedelta(minutes=10))
    ARTIFACTS.mkdir(exist_ok=True)
    return incident


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clinician_registers_and_counts_walk_ins_on_a_phone(live_server, door):
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True, is_mobile=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, live_server.url, "door", PASSWORD)

        page.goto(f"{live_server.url}/incidents/{door.pk}/walk-ins/")
        buttons = page.locator(".walkin-button")
        expect(buttons).to_have_count(4)
        for i in range(4):
            box = buttons.nth(i).bounding_box()
            assert box and box["height"] >= MIN_TAP_PX and box["width"] >= 140 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "walkins-one-by-one.png"), full_page=True)
        page.locator(".walkin-button.walkin-immediate").tap()
        expect(page.locator("body")).to_contain_text("Walk-in registered: tag W-ALA-4-1, Immediate (red).")
        assert Casualty.objects.get(incident=door, tag="W-ALA-4-1").status == "arrived"

        page.locator(".walkin-mode", has_text="Count only").tap()
        page.wait_for_url("**mode=count")
        steps = page.locator(".walkin-step")
        expect(steps).to_have_count(12)  # +1, +3, +5 for each of the four categories
        for i in range(12):
            box = steps.nth(i).bounding_box()
            assert box and box["height"] >= MIN_TAP_PX and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator(".walkin-counter.walkin-delayed .walkin-step", has_text="+3").tap()
        expect(page.locator("body")).to_contain_text("+3 Delayed (yellow) counted.")
        page.screenshot(path=str(ARTIFACTS / "walkins-count.png"), full_page=True)
        # A second submit of a form already being sent is cancelled (synthetic events: nothing is sent).
        cancelled = page.evaluate("""() => {
            const form = document.querySelector(".walkin-counter.walkin-minimal form");
            const first = new Event("submit", {cancelable: true}), second = new Event("submit", {cancelable: true});
            form.dispatchEvent(first);
            form.dispatchEvent(second);
            return [first.defaultPrevented, second.defaultPrevented];
        }""")
        assert cancelled == [False, True]
        assert list(WalkInCount.objects.filter(incident=door).values_list("category", "delta")) == [("delayed", 3)]
        assert errors == []
        browser.close()

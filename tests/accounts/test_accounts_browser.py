"""The audit trail and account pages in a real browser, in Russian on a 390 px phone and on a desktop:
screenshots in test-artifacts/, and the page never scrolls sideways (wide tables scroll inside their box)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.accounts.services import SYSTEM, audit_record
from jedel.accounts.signin import sign_in
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from tests.accounts.hashers import HASHERS
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.browser_helpers import sign_in as sign_in_form
from tests.capacity.capacity_helpers import make_facility, make_user

PASSWORD = "correct-horse-battery-9"
pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_audit_and_account_pages_on_a_phone_and_a_desktop(live_server, kz, settings):
    browser_or_skip()
    from playwright.sync_api import sync_playwright

    settings.PASSWORD_HASHERS = HASHERS
    hospital = make_facility(kz["KZ-75"], "BRW-1")
    make_user("nat", "national_coordinator", password=PASSWORD)
    make_user("nurse", "clinician", facility=hospital, password=PASSWORD)
    now = utcnow()
    audit_record(actor=SYSTEM, action="facility_update", object_type="facility", object_id="BRW-1",
                 region_id=hospital.region_id, changes={"reporting_interval_min": [240, 10080],
                                                        "capabilities": [["ct"], ["ct", "mri", "cath_lab"]]},
                 now=now - timedelta(minutes=5))
    for _ in range(6):
        with pytest.raises(DomainError):
            sign_in(username="nurse", password="wrong", client="198.51.100.7")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        for name, viewport in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})):
            context = browser.new_context(viewport=viewport, locale="ru-RU")
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_in_form(page, live_server.url, "nat", PASSWORD)
            for path in ("audit", "users", "tokens"):
                page.goto(f"{live_server.url}/accounts/{path}/")
                page.screenshot(path=str(ARTIFACTS / f"accounts-{path}-{name}-ru.png"), full_page=True)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{path} scrolls sideways on {name}: {width}px"
            page.goto(f"{live_server.url}/accounts/audit/")
            text = page.inner_text("main")
            assert "reporting_interval_min: 240 → 10080" in text and "nurse" in text
            assert errors == []
            context.close()
        browser.close()

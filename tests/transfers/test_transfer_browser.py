"""In Debian's Chromium: a district hospital requests the transfer of a ventilated patient (NCCEM decides), the
NCCEM dispatcher sends the request to the top-ranked centre, the receiving centre accepts, the dispatcher picks the
helicopter, the crew departs with the patient, and the national map shows the patient in motion. The transfer page
the national picture, the dispatcher's page, statistics, the request form and the inbox at 390 px in Kazakh and
Russian have no sideways scroll. No CSP violation on any page.
Screenshots: test-artifacts/transfer-*.png."""

from __future__ import annotations

import pytest

from jedel.transfers.models import Transfer
from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, browser_or_skip
from tests.capacity.capacity_helpers import make_user
from tests.transfers.helpers import asset

WATCH = """document.addEventListener("securitypolicyviolation", function (e) {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});"""


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _cookie(user, url):
    from django.test import Client

    client = Client()  # one client per person: a second login on one client would end the first session
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ventilated_patient_by_helicopter_to_the_centre_on_the_national_map(live_server, live_net):
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    net, url = live_net, live_server.url
    heli = asset("HELI-BR", "helicopter", net["AIR"], night=True)  # night-capable: the test runs at any hour
    cookies = {"doctor": _cookie(make_user("tb-doctor", "clinician", facility=net["D"]), url),
               "centre": _cookie(make_user("tb-centre", "facility_manager", facility=net["H1"]), url),
               "nccem": _cookie(make_user("tb-nccem", "national_coordinator"), url)}
    ARTIFACTS.mkdir(exist_ok=True)
    pages = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            def page_as(who, width=1280, lang=None):
                ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
                ctx.add_cookies([cookies[who]] + ([{"name": "django_language", "value": lang, "url": url}]
                                                  if lang else []))
                p = ctx.new_page()
                p.add_init_script(WATCH)
                pages.append(p)
                return p

            doctor = page_as("doctor")
            doctor.goto(f"{url}/transfers/new/")
            doctor.fill("input[name=reference]", "BR-1")
            doctor.select_option("select[name=urgency]", "emergency")
            doctor.fill("textarea[name=diagnosis]", "Severe TBI, GCS 6, intubated")
            doctor.check("input[name=ventilated]")
            doctor.select_option("select[name=bed_type]", "AdultICU")
            doctor.check("input[name=capabilities][value=neurosurgery]")
            doctor.screenshot(path=str(ARTIFACTS / "transfer-1-request.png"), full_page=True)
            doctor.click("#submit-transfer")
            expect(doctor.locator("#transfer-state")).to_have_text("Requested")
            transfer = Transfer.objects.get(reference="BR-1")
            assert (transfer.ventilated, transfer.needs, transfer.destination_id) == (True, ["ventilator"], None)

            nccem = page_as("nccem")
            nccem.goto(f"{url}/transfers/{transfer.pk}/")
            first = nccem.locator("#destinations tbody tr").first
            expect(first).to_contain_text("Hospital T-H1")  # 144.6 min by road, before T-H2
            nccem.screenshot(path=str(ARTIFACTS / "transfer-2-ranked-destinations.png"), full_page=True)
            first.locator("button").click()

            centre = page_as("centre")
            centre.goto(f"{url}/transfers/inbox/")
            centre.click("text=BR-1")
            centre.click("#accept-transfer")
            expect(centre.locator("#transfer-state")).to_have_text("Accepted")

            nccem.goto(f"{url}/transfers/{transfer.pk}/")
            row = nccem.locator("#dispatch tr[data-kind=helicopter]", has_text="HELI-BR")
            expect(row).to_contain_text("47 min")  # 15 + 31.8 min flight to the patient (test_dispatch.py)
            nccem.screenshot(path=str(ARTIFACTS / "transfer-3-dispatch-options.png"), full_page=True)
            row.locator("button").click()
            expect(nccem.locator("#transfer-state")).to_have_text("Transport arranged")
            nccem.click("#mission-step")  # at the patient
            nccem.click("#mission-step")  # departed with the patient
            expect(nccem.locator("#transfer-state")).to_have_text("Departed")
            heli.refresh_from_db()
            assert heli.status == "on_mission"

            nccem.goto(f"{url}/transfers/national/")
            nccem.wait_for_selector("#transfers-map[data-markers='1']", timeout=15000)
            expect(nccem.locator(".transfer-marker.state-departed")).to_have_count(1)
            expect(nccem.locator("#moving-count")).to_have_text("1")
            expect(nccem.locator("#national-live")).to_contain_text("BR-1")
            nccem.screenshot(path=str(ARTIFACTS / "transfer-4-national-map.png"), full_page=True)

            for lang in ("kk", "ru"):
                for who, path, name in (("nccem", f"/transfers/{transfer.pk}/", "detail"),
                                        ("nccem", "/transfers/national/", "national"),
                                        ("nccem", "/transfers/dispatch/", "dispatch"),
                                        ("nccem", "/transfers/stats/", "stats"),
                                        ("doctor", "/transfers/new/", "request"),
                                        ("centre", "/transfers/inbox/", "inbox")):
                    phone = page_as(who, width=390, lang=lang)
                    phone.goto(f"{url}{path}")
                    expect(phone.locator("html")).to_have_attribute("lang", lang)
                    width = phone.evaluate("document.documentElement.scrollWidth")
                    phone.screenshot(path=str(ARTIFACTS / f"transfer-5-{name}-{lang}.png"), full_page=True)
                    assert width <= 390, f"{lang} {path}: the page scrolls sideways ({width} px)"
            violations = [v for p in pages for v in p.evaluate("window.__csp || []")]
        finally:
            browser.close()
    assert violations == []

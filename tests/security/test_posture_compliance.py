"""Security posture (versioned) and the compliance of mandated facilities, by region: hand-counted tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from jedel.common.errors import Conflict, PermissionDenied
from jedel.security.compliance import compliance_by_region, compliance_facilities
from jedel.security.services.panic import button_create
from jedel.security.services.posture import PostureInput, button_tested, posture_save
from tests.capacity.capacity_helpers import make_facility
from tests.security.conftest import p

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def postures(site):
    officer, national = p(site["people"]["officer_a"]), p(site["people"]["national"])
    make_facility(site["almaty"], "SEC-D", kind="polyclinic")  # not mandated: never listed
    posture_save(actor=officer, facility_id=site["A"].pk, version=0, now=NOW, data=PostureInput(
        post_24_7=True, cctv_cameras=12, er_cctv_covered=True, body_cameras=4, staff_count=850,
        last_audit_on=date(2026, 9, 1)))
    for location in ("ER triage desk", "Ward 3"):
        b, _ = button_create(actor=officer, facility_id=site["A"].pk, location=location, now=NOW - timedelta(days=40))
        button_tested(actor=officer, button_id=b.pk, now=NOW - timedelta(days=10))
    posture_save(actor=national, facility_id=site["B"].pk, version=0, now=NOW,
                 data=PostureInput(post_24_7=False, cctv_cameras=0, er_cctv_covered=False, body_cameras=0))
    button_create(actor=national, facility_id=site["C"].pk, location="Delivery room")  # never tested
    return site


def test_gaps_per_mandated_facility(postures):
    rows = compliance_facilities(p(postures["people"]["national"]), now=NOW)
    assert [(r.facility.code, r.gaps) for r in rows] == [
        ("SEC-C", ("no_posture", "buttons_untested")),           # KZ-71 sorts before KZ-75
        ("SEC-A", ()),
        ("SEC-B", ("no_post", "no_cctv", "no_buttons"))]


def test_by_region_and_total(postures):
    regions, total = compliance_by_region(compliance_facilities(p(postures["people"]["national"]), now=NOW))
    assert [(r.iso_code, r.mandated, r.compliant, r.share, r.gaps) for r in regions] == [
        ("KZ-71", 1, 0, 0.0, {"no_posture": 1, "no_post": 0, "no_cctv": 0, "no_buttons": 0, "buttons_untested": 1}),
        ("KZ-75", 2, 1, 0.5, {"no_posture": 0, "no_post": 1, "no_cctv": 1, "no_buttons": 1, "buttons_untested": 0})]
    assert (total.mandated, total.compliant, total.share) == (3, 1, 0.333)


def test_a_button_test_older_than_90_days_is_a_gap(postures):
    later = NOW + timedelta(days=81)  # the tests were 10 days before NOW: 91 days old then
    rows = {r.facility.code: r.gaps for r in compliance_facilities(p(postures["people"]["national"]), now=later)}
    assert rows["SEC-A"] == ("buttons_untested",)


def test_the_regional_lead_sees_the_own_region_only(postures):
    rows = compliance_facilities(p(postures["people"]["lead"]), now=NOW)
    assert [r.facility.code for r in rows] == ["SEC-A", "SEC-B"]


def test_posture_is_versioned_and_scoped(site):
    officer = p(site["people"]["officer_a"])
    data = PostureInput(post_24_7=True, cctv_cameras=3, er_cctv_covered=False, body_cameras=0)
    assert posture_save(actor=officer, facility_id=site["A"].pk, version=0, data=data, now=NOW).version == 1
    with pytest.raises(Conflict):
        posture_save(actor=officer, facility_id=site["A"].pk, version=0, data=data, now=NOW)
    assert posture_save(actor=officer, facility_id=site["A"].pk, version=1, data=data, now=NOW).version == 2
    with pytest.raises(Conflict):
        posture_save(actor=officer, facility_id=site["A"].pk, version=1, data=data, now=NOW)
    with pytest.raises(PermissionDenied):
        posture_save(actor=officer, facility_id=site["B"].pk, version=0, data=data, now=NOW)


def test_compliance_api_and_page(postures):
    client = Client()
    client.force_login(postures["people"]["viewer"])
    body = client.get("/api/security/compliance").json()
    assert (body["total"]["mandated"], body["total"]["compliant"]) == (3, 1)
    assert [(f["code"], f["gaps"]) for f in body["facilities"]][0] == ("SEC-C", ["no_posture", "buttons_untested"])
    page = client.get("/security/compliance/").content.decode()
    assert 'data-code="SEC-B"' in page and 'data-code="SEC-A"' not in page and "No 24/7 post" in page
    got = client.get(f"/api/security/posture/{postures['A'].pk}").json()
    assert (got["version"], got["cctv_cameras"], got["live_buttons"], got["staff_count"]) == (1, 12, 2, 850)


def test_the_facility_security_page_registers_tests_and_revokes_buttons(site):
    client = Client()
    client.force_login(site["people"]["officer_a"])
    url = f"/security/facility/{site['A'].pk}/"
    r = client.post(url, {"version": "0", "post_24_7": "on", "cctv_cameras": "6", "body_cameras": "2"})
    assert r.status_code == 302
    client.post(f"{url}buttons/", {"action": "create", "location": "ER triage desk"})
    page = client.get(url).content.decode()
    assert 'id="new-token"' in page and "jpb_" in page
    assert 'id="new-token"' not in client.get(url).content.decode()  # shown once
    from jedel.security.models import PanicButton, SecurityPosture

    button = PanicButton.objects.get()
    client.post(f"{url}buttons/", {"action": "test", "button": str(button.pk)})
    client.post(f"{url}buttons/", {"action": "revoke", "button": str(button.pk)})
    button.refresh_from_db()
    assert button.last_tested_at is not None and button.revoked_at is not None
    assert (SecurityPosture.objects.get().cctv_cameras, SecurityPosture.objects.get().post_24_7) == (6, True)
    nurse = Client()
    nurse.force_login(site["people"]["nurse_a"])
    assert nurse.get(url).status_code == 403


def test_the_compliance_trend_from_daily_snapshots(postures):
    from jedel.security.compliance import compliance_trend
    from jedel.security.models import ComplianceSnapshot, PanicButton
    from jedel.security.services.snapshots import compliance_snapshot_take

    national = p(postures["people"]["national"])
    compliance_snapshot_take(NOW)
    compliance_snapshot_take(NOW)  # the same day again: replaced, not added
    assert ComplianceSnapshot.objects.count() == 2  # KZ-71 and KZ-75
    later = NOW + timedelta(days=31)
    posture_save(actor=national, facility_id=postures["C"].pk, version=0, now=later, data=PostureInput(
        post_24_7=True, cctv_cameras=5, er_cctv_covered=True, body_cameras=1))
    button_tested(actor=national, button_id=PanicButton.objects.get(facility=postures["C"]).pk, now=later)
    compliance_snapshot_take(later)
    assert [(t.on_date, t.mandated, t.compliant) for t in compliance_trend(national)] == [
        (date(2026, 12, 3), 3, 1), (date(2027, 1, 3), 3, 2)]
    assert [(t.mandated, t.compliant) for t in compliance_trend(p(postures["people"]["lead"]))] == [(2, 1), (2, 1)]
    client = Client()
    client.force_login(postures["people"]["viewer"])
    assert "03.01.2027" in client.get("/security/compliance/").content.decode()

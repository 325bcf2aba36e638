"""Training pages: record a session, issue certificates (a bad expiry marks its row and saves nothing), the report,
the personnel reserve and the region's coordinators, through the forms."""

from __future__ import annotations

import pytest
from django.test import Client

from jedel.preparedness.models import Certificate, Course, Participant, RegionCoordinator, ReserveMember
from tests.capacity.capacity_helpers import make_user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager(hospitals):
    Course.objects.create(code="MCM-1", title="Mass casualty management", kind="course", competency="mcm")
    return _client(make_user("trp-mgr", "facility_manager", facility=hospitals["A"]))


def _record(manager, hospitals) -> int:
    r = manager.post("/preparedness/training/sessions/", {
        "course": Course.objects.get().pk, "facility": hospitals["A"].pk, "starts_on": "2026-03-10",
        "ends_on": "2026-03-12", "trainer": "WHO CO", "participants": "A. Bekova; Nurse\nB. Sadykov\n\n"})
    assert r.status_code == 302, r.content.decode()[:500]
    return int(r["Location"].rstrip("/").split("/")[-1])


def test_record_a_session_and_issue_certificates(manager, hospitals):
    pk = _record(manager, hospitals)
    a, b = Participant.objects.order_by("pk")
    assert [(p.name, p.role, p.facility_id) for p in (a, b)] == [("A. Bekova", "Nurse", hospitals["A"].pk),
                                                                 ("B. Sadykov", "", hospitals["A"].pk)]
    bad = manager.post(f"/preparedness/training/sessions/{pk}/certificates/", {
        f"number:{a.pk}": "MCM-1", f"issued_on:{a.pk}": "2026-03-12", f"expires_on:{a.pk}": "2029-03-12",
        f"number:{b.pk}": "MCM-2", f"issued_on:{b.pk}": "2026-03-12", f"expires_on:{b.pk}": "2026-03-01"})
    assert bad.status_code == 422
    page = bad.content.decode()
    assert f'<tr id="participant-{b.pk}" class="has-error">' in page
    assert "A certificate cannot expire before it was issued." in page
    assert Certificate.objects.count() == 0
    ok = manager.post(f"/preparedness/training/sessions/{pk}/certificates/", {
        f"number:{a.pk}": "MCM-1", f"issued_on:{a.pk}": "2026-03-12", f"expires_on:{a.pk}": "2029-03-12",
        f"number:{b.pk}": "", f"issued_on:{b.pk}": ""})
    assert ok.status_code == 302
    assert list(Certificate.objects.values_list("number", "participant__name")) == [("MCM-1", "A. Bekova")]
    page = manager.get("/preparedness/training/").content.decode()
    # Facility A: one person with a valid MCM certificate; triage and incident command not covered.
    assert (f'<tr id="training-{hospitals["A"].pk}"><td data-label="Facility"><a href="/preparedness/plans/'
            f'{hospitals["A"].pk}/">Hospital PR-A</a></td><td data-label="Trained staff">1</td>') in page


def test_reserve_add_filter_and_availability(manager, hospitals):
    r = manager.post("/preparedness/reserve/add/", {"name": "F. Kim", "profession": "Anaesthetist",
                                                    "facility": hospitals["A"].pk, "competencies": ["triage", "cbrn"]})
    assert r.status_code == 302
    member = ReserveMember.objects.get()
    assert member.competencies == ["triage", "cbrn"]
    assert "F. Kim" in manager.get("/preparedness/reserve/?competency=triage").content.decode()
    assert "F. Kim" not in manager.get("/preparedness/reserve/?competency=mcm").content.decode()
    manager.post(f"/preparedness/reserve/{member.pk}/", {"version": "1", "availability": "unavailable"})
    assert ReserveMember.objects.get().availability == "unavailable"


def test_regional_coordinator_names_coordinator_and_deputies(hospitals, kz):
    rc = _client(make_user("trp-rc", "regional_coordinator", region=kz["KZ-75"]))
    r = rc.post("/preparedness/training/coordinators/", {
        "region": kz["KZ-75"].pk, "people": "Zh. Abenov; +7 727 111 1111; abenov@example.kz\nK. Sultanova; +7 727 2"})
    assert r.status_code == 302
    assert list(RegionCoordinator.objects.values_list("position", "name", "phone")) == [
        (0, "Zh. Abenov", "+7 727 111 1111"), (1, "K. Sultanova", "+7 727 2")]
    page = rc.get("/preparedness/training/").content.decode()
    assert "<strong>Coordinator</strong> · Zh. Abenov" in page
    assert rc.post("/preparedness/training/coordinators/", {"region": kz["KZ-71"].pk,
                                                             "people": "X"}).status_code == 403


def test_a_clinician_gets_no_training_pages(hospitals):
    medic = _client(make_user("trp-medic", "clinician", facility=hospitals["A"]))
    assert medic.get("/preparedness/training/").status_code == 403
    assert medic.get("/preparedness/reserve/").status_code == 403

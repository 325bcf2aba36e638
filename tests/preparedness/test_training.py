"""Training registry and personnel reserve over the API: courses, sessions, certificates (bad expiry refused whole),
the training report worked by hand, the reserve with stale writes, regional coordinators."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.preparedness.models import Certificate, Participant, RegionCoordinator, TrainingSession
from tests.capacity.capacity_helpers import make_user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def national(db):
    return _client(make_user("tr-ncc", "national_coordinator"))


@pytest.fixture
def courses(national):
    out = {}
    for code, title, kind, comp in [("MCM-1", "Mass casualty management", "course", "mcm"),
                                    ("TRI-1", "Hospital triage", "course", "triage"),
                                    ("ICS-1", "Hospital incident command", "course", "incident_command"),
                                    ("EX-TT", "Earthquake tabletop", "exercise", "mcm")]:
        r = _send(national, "post", "/api/preparedness/courses", {"code": code, "title": title, "kind": kind,
                                                                 "competency": comp, "validity_months": 36})
        assert r.status_code == 201, r.content
        out[code] = r.json()["id"]
    return out


def _session(client, course, facility, people, starts="2026-03-10", ends="2026-03-12"):
    r = _send(client, "post", "/api/preparedness/training/sessions",
              {"course": course, "facility": facility.pk, "starts_on": starts, "ends_on": ends, "trainer": "WHO CO",
               "participants": people})
    assert r.status_code == 201, r.content
    return r.json()


def _certify(client, session, rows):
    return _send(client, "post", f"/api/preparedness/training/sessions/{session['id']}/certificates",
                 {"certificates": rows})


def test_a_duplicate_course_code_is_a_conflict(national, courses):
    r = _send(national, "post", "/api/preparedness/courses",
              {"code": "MCM-1", "title": "Again", "kind": "course", "competency": "mcm"})
    assert (r.status_code, r.json()["detail"][0]["code"]) == (409, "duplicate_course")


def test_only_the_national_coordinator_adds_courses(hospitals):
    rc = _client(make_user("tr-rc", "regional_coordinator", region=hospitals["A"].region))
    r = _send(rc, "post", "/api/preparedness/courses", {"code": "X", "title": "X", "kind": "course",
                                                        "competency": "mcm"})
    assert r.status_code == 403


def test_a_certificate_expiring_before_it_was_issued_is_refused_and_none_is_written(national, courses, hospitals):
    s = _session(national, courses["MCM-1"], hospitals["A"], [{"name": "A. Bekova", "role": "Nurse"},
                                                              {"name": "B. Sadykov", "role": "Surgeon"}])
    p1, p2 = (p["id"] for p in s["participants"])
    r = _certify(national, s, [{"participant": p1, "number": "MCM-001", "issued_on": "2026-03-12",
                                "expires_on": "2029-03-12"},
                               {"participant": p2, "number": "MCM-002", "issued_on": "2026-03-12",
                                "expires_on": "2026-03-11"}])
    assert r.status_code == 422
    assert [(d["code"], d["loc"][-3:]) for d in r.json()["detail"]] == [
        ("expires_before_issued", ["certificates", 1, "expires_on"])]
    assert Certificate.objects.count() == 0


def test_session_dates_and_unknown_participants_are_field_errors(national, courses, hospitals):
    r = _send(national, "post", "/api/preparedness/training/sessions",
              {"course": courses["MCM-1"], "facility": hospitals["A"].pk, "starts_on": "2026-03-12",
               "ends_on": "2026-03-10", "participants": [{"name": "A"}]})
    assert (r.status_code, r.json()["detail"][0]["code"]) == (422, "session_dates")
    s = _session(national, courses["MCM-1"], hospitals["A"], [{"name": "A. Bekova"}])
    r = _certify(national, s, [{"participant": 999999, "number": "N", "issued_on": "2026-03-12"}])
    assert (r.status_code, r.json()["detail"][0]["code"]) == (422, "participant_not_found")
    r = _certify(national, s, [{"participant": s["participants"][0]["id"], "number": "N", "issued_on": "2026-03-01"}])
    assert (r.status_code, r.json()["detail"][0]["code"]) == (422, "issued_before_session")
    assert TrainingSession.objects.count() == 1 and Certificate.objects.count() == 0


def test_training_report_counts_people_with_valid_certificates_and_required_coverage(national, courses, hospitals):
    # Facility A: two people certified in MCM (valid), one of them also in incident command (valid), one person in
    # triage whose certificate expired on 2026-06-30 (before today, 2026-12-03 in the tests' clock or later).
    mcm = _session(national, courses["MCM-1"], hospitals["A"], [{"name": "A. Bekova"}, {"name": "B. Sadykov"}])
    ics = _session(national, courses["ICS-1"], hospitals["A"], [{"name": "a.  bekova"}])   # same person
    tri = _session(national, courses["TRI-1"], hospitals["A"], [{"name": "C. Nurova"}], "2023-06-01", "2023-06-02")
    # Facility C (Astana): one triage certificate without expiry.
    tri_c = _session(national, courses["TRI-1"], hospitals["C"], [{"name": "D. Aliyev"}])
    for s, number, expires in [(mcm, "M", "2099-01-01"), (ics, "I", "2099-01-01"), (tri, "T", "2026-06-30"),
                               (tri_c, "TC", None)]:
        rows = [{"participant": p["id"], "number": f"{number}{n}", "issued_on": s["ends_on"], "expires_on": expires}
                for n, p in enumerate(s["participants"])]
        assert _certify(national, s, rows).status_code == 201
    report = national.get("/api/preparedness/training/report").json()
    assert report["required"] == ["mcm", "triage", "incident_command"]
    facilities = {f["facility"]: f for f in report["facilities"]}
    a, b, c = (facilities[hospitals[k].pk] for k in "ABC")
    # A: 2 distinct people (Bekova counted once); MCM and incident command covered, triage expired: 2 of 3.
    assert (a["trained"], a["covered"], a["required"]) == (2, 2, 3)
    assert a["by_competency"] == {"mcm": 2, "triage": 0, "incident_command": 1}
    assert (b["trained"], b["covered"]) == (0, 0)
    assert (c["trained"], c["covered"], c["coverage"]) == (1, 1, pytest.approx(1 / 3))
    regions = {r["label"]: r for r in report["regions"]}
    almaty = regions[hospitals["A"].region.name]
    # KZ-75: A and B → 2 trained, covered 2 of 2 × 3 = 6 pairs.
    assert (almaty["trained"], almaty["covered"], almaty["required"]) == (2, 2, 6)
    assert almaty["coverage"] == pytest.approx(1 / 3)


def test_participants_of_another_facility_count_there(national, courses, hospitals):
    s = _session(national, courses["MCM-1"], hospitals["A"], [{"name": "E. Omarov", "facility": hospitals["B"].pk}])
    _certify(national, s, [{"participant": s["participants"][0]["id"], "number": "X1", "issued_on": "2026-03-12"}])
    assert Participant.objects.get().facility_id == hospitals["B"].pk
    report = national.get("/api/preparedness/training/report").json()
    facilities = {f["facility"]: f["trained"] for f in report["facilities"]}
    assert (facilities[hospitals["A"].pk], facilities[hospitals["B"].pk]) == (0, 1)


def test_reserve_filters_by_competency_and_availability_and_refuses_stale_writes(national, hospitals):
    manager = _client(make_user("tr-mgr", "facility_manager", facility=hospitals["A"]))
    body = {"facility": hospitals["A"].pk, "name": "F. Kim", "profession": "Anaesthetist",
            "competencies": ["trauma_care", "triage"], "phone": "+7 701 000 0000"}
    member = _send(manager, "post", "/api/preparedness/reserve", body).json()
    _send(manager, "post", "/api/preparedness/reserve", {**body, "name": "G. Li", "competencies": ["cbrn"]})
    names = [m["name"] for m in manager.get("/api/preparedness/reserve?competency=triage").json()]
    assert names == ["F. Kim"]
    r = _send(manager, "patch", f"/api/preparedness/reserve/{member['id']}", {"version": 1,
                                                                             "availability": "unavailable"})
    assert (r.status_code, r.json()["version"]) == (200, 2)
    stale = _send(manager, "patch", f"/api/preparedness/reserve/{member['id']}", {"version": 1,
                                                                                 "availability": "available"})
    assert (stale.status_code, stale.json()["detail"][0]["code"]) == (409, "stale_version")
    assert [m["name"] for m in manager.get("/api/preparedness/reserve?availability=available").json()] == ["G. Li"]
    bad = _send(manager, "post", "/api/preparedness/reserve", {**body, "competencies": ["juggling"]})
    assert bad.status_code == 422
    other = _send(manager, "post", "/api/preparedness/reserve", {**body, "facility": hospitals["B"].pk})
    assert other.status_code == 403


def test_region_coordinator_and_deputies_in_call_order(hospitals, kz):
    rc = _client(make_user("tr-rc75", "regional_coordinator", region=kz["KZ-75"]))
    people = [{"name": "Coordinator Zh. Abenov", "phone": "+7 727 111 1111"}, {"name": "Deputy K. Sultanova"},
              {"name": "Deputy M. Ivanov"}]
    r = _send(rc, "put", f"/api/preparedness/coordinators/{kz['KZ-75'].pk}", {"people": people})
    assert r.status_code == 200, r.content
    assert [(c["position"], c["deputy"], c["name"]) for c in r.json()] == [
        (0, False, "Coordinator Zh. Abenov"), (1, True, "Deputy K. Sultanova"), (2, True, "Deputy M. Ivanov")]
    r = _send(rc, "put", f"/api/preparedness/coordinators/{kz['KZ-75'].pk}", {"people": people[:1]})
    assert RegionCoordinator.objects.count() == 1
    assert _send(rc, "put", f"/api/preparedness/coordinators/{kz['KZ-71'].pk}", {"people": people}).status_code == 403
    manager = _client(make_user("tr-mgr-c", "facility_manager", facility=hospitals["A"]))
    assert [c["name"] for c in manager.get("/api/preparedness/coordinators").json()] == ["Coordinator Zh. Abenov"]


def test_a_nul_in_a_coordinator_is_a_422_and_changes_nothing(hospitals, kz):
    """Found by the OpenAPI fuzzer on PostgreSQL, which cannot store NUL: the answer was a 500."""
    rc = _client(make_user("tr-rc75-nul", "regional_coordinator", region=kz["KZ-75"]))
    url = f"/api/preparedness/coordinators/{kz['KZ-75'].pk}"
    for person in ({"name": "A", "email": "\x00P"}, {"name": "A", "phone": "1\x00"}, {"name": "A\x00"}):
        r = _send(rc, "put", url, {"people": [person]})
        assert r.status_code == 422, r.content
        assert r.json()["detail"][0]["loc"][-1] in {"email", "phone", "name"}
    assert RegionCoordinator.objects.count() == 0

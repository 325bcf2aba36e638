"""HSI assessments over the API: exact index and category, bad input refused whole, remediation, comparison.

The expected index is worked by hand from the shipped instrument's weights (item 2: 12.5 %, item 4: 7.5 %,
item 3.1: 25 %, item 3.3.1: 3.125 %, module-4 items equal) and written out below.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.accounts.models import AuditEvent
from jedel.preparedness.models import HsiAssessment, HsiRating, RemediationTask
from tests.capacity.capacity_helpers import make_user

SHORT = [
    {"item": "1", "level": "not_applicable", "justification": "No earthquake or flood has hit this site."},
    {"item": "2", "level": "low", "evidence": "Built 1968; no seismic retrofit (passport of the building)."},
    {"item": "4", "level": "high"},
    {"item": "3.1", "level": "high"},
    {"item": "3.3.1", "level": "average"},
    {"item": "4.1.1", "level": "low"},
    {"item": "4.2.1", "level": "average"},
]
# Module 2: rated 12.5 + 7.5 = 20; crude (12.5·0.25 + 7.5·1)/20 = 0.53125; adjusted (0.53125 − 0.25)/0.75 = 0.375.
# Module 3: rated 25 + 3.125 = 28.125; crude (3.125·0.5 + 25)/28.125 = 17/18; adjusted 25/27.
# Module 4: one low, one average of equal weight: crude 0.375; adjusted 1/6.
# Overall: 0.5·0.375 + 0.3·25/27 + 0.2/6 = 0.498611… → 0.50 → category B.
EXPECTED_MODULES = {"2": 0.375, "3": 25 / 27, "4": 1 / 6}
EXPECTED_INDEX = 0.1875 + 0.3 * 25 / 27 + 0.2 / 6


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def manager(hospitals):
    return _client(make_user("prep-mgr", "facility_manager", facility=hospitals["A"]))


@pytest.fixture
def assessment_id(manager, hospitals):
    r = _post(manager, "/api/preparedness/hsi", {"facility": hospitals["A"].pk, "assessed_on": "2026-11-02",
                                                 "evaluators": ["A. Seitkali", "D. Omarova"]})
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_create_then_rate_gives_the_hand_computed_index_and_category(manager, assessment_id):
    r = _post(manager, f"/api/preparedness/hsi/{assessment_id}/ratings", {"ratings": SHORT})
    assert r.status_code == 200, r.content
    page = r.json()
    got = {m["code"]: m["safety_index"] for m in page["module_results"]}
    assert got == pytest.approx(EXPECTED_MODULES, abs=1e-12)
    assert page["assessment"]["safety_index"] == pytest.approx(EXPECTED_INDEX, abs=1e-12)
    assert page["assessment"]["category"] == "B"
    assert page["assessment"]["category_meaning"].startswith("Patients, staff and the hospital's ability")
    assert (page["assessment"]["rated_count"], page["assessment"]["item_count"]) == (7, 68)
    m2 = page["module_results"][0]
    assert (m2["low_pct"], m2["average_pct"], m2["high_pct"], m2["not_applicable"]) == (62.5, 0.0, 37.5, ["1"])
    stored = HsiAssessment.objects.get(pk=assessment_id)
    assert (round(stored.safety_index, 6), stored.category) == (0.498611, "B")
    assert HsiRating.objects.get(assessment_id=assessment_id, item__code="2").evidence.startswith("Built 1968")


def test_partial_ratings_leave_the_index_open(manager, assessment_id):
    r = _post(manager, f"/api/preparedness/hsi/{assessment_id}/ratings", {"ratings": SHORT[:3]})
    assert r.json()["assessment"]["safety_index"] is None
    assert r.json()["assessment"]["category"] is None


@pytest.mark.parametrize("bad,field,code", [
    ({"item": "4", "level": "excellent"}, ["body", "data", "ratings", 1, "level"], None),
    ({"item": "999", "level": "low"}, ["ratings", 1, "item"], "unknown_item"),
    ({"item": "4", "level": "not_applicable"}, ["ratings", 1, "justification"], "justification_required"),
    ({"item": "2", "level": "high"}, ["ratings", 1, "item"], "duplicate_item"),
])
def test_bad_ratings_are_refused_whole(manager, assessment_id, bad, field, code):
    r = _post(manager, f"/api/preparedness/hsi/{assessment_id}/ratings",
              {"ratings": [{"item": "2", "level": "low"}, bad]})
    assert r.status_code == 422, r.content
    detail = r.json()["detail"]
    assert detail[0]["loc"] == field
    if code:
        assert detail[0]["code"] == code
    assert HsiRating.objects.filter(assessment_id=assessment_id).count() == 0


def test_a_module_that_does_not_exist_is_refused(manager, hospitals):
    r = _post(manager, "/api/preparedness/hsi", {"facility": hospitals["A"].pk, "assessed_on": "2026-11-02",
                                                 "evaluators": ["X"], "modules": ["2", "9", "1"]})
    assert r.status_code == 422
    assert [(d["code"], d["loc"]) for d in r.json()["detail"]] == [("unknown_module", ["modules", 1]),
                                                                 ("unknown_module", ["modules", 2])]
    assert HsiAssessment.objects.count() == 0


def test_a_single_module_assessment_counts_only_its_items(manager, hospitals):
    r = _post(manager, "/api/preparedness/hsi", {"facility": hospitals["A"].pk, "assessed_on": "2026-11-02",
                                                 "evaluators": ["X"], "modules": ["4"]})
    assert r.json()["item_count"] == 42
    rated = _post(manager, f"/api/preparedness/hsi/{r.json()['id']}/ratings", {"ratings": [{"item": "2",
                                                                                           "level": "low"}]})
    assert rated.json()["detail"][0]["code"] == "unknown_item"


def test_remediation_tasks_come_from_low_rated_items_once(manager, assessment_id):
    _post(manager, f"/api/preparedness/hsi/{assessment_id}/ratings", {"ratings": SHORT})
    r = _post(manager, f"/api/preparedness/hsi/{assessment_id}/remediation",
              {"owner": "Chief engineer", "due_on": "2027-03-01"})
    assert r.status_code == 201, r.content
    assert [(t["item"], t["owner"], t["due_on"], t["status"]) for t in r.json()] == [
        ("2", "Chief engineer", "2027-03-01", "open"), ("4.1.1", "Chief engineer", "2027-03-01", "open")]
    again = _post(manager, f"/api/preparedness/hsi/{assessment_id}/remediation",
                  {"owner": "Chief engineer", "due_on": "2027-03-01"})
    assert again.json() == []
    task = RemediationTask.objects.get(item__code="2")
    patched = manager.patch(f"/api/preparedness/remediation/{task.pk}", json.dumps({"status": "in_progress"}),
                            content_type="application/json")
    assert patched.json()["status"] == "in_progress"
    bad = manager.patch(f"/api/preparedness/remediation/{task.pk}", json.dumps({"status": "finished"}),
                        content_type="application/json")
    assert bad.status_code == 422
    assert AuditEvent.objects.filter(action="manage_remediation").count() == 3


def test_due_date_before_the_assessment_is_refused(manager, assessment_id):
    _post(manager, f"/api/preparedness/hsi/{assessment_id}/ratings", {"ratings": SHORT})
    r = _post(manager, f"/api/preparedness/hsi/{assessment_id}/remediation", {"owner": "X", "due_on": "2026-01-01"})
    assert (r.status_code, r.json()["detail"][0]["loc"]) == (422, ["due_on"])
    assert RemediationTask.objects.count() == 0


def test_comparison_of_two_assessments_of_one_facility(manager, hospitals, assessment_id):
    _post(manager, f"/api/preparedness/hsi/{assessment_id}/ratings", {"ratings": SHORT})
    later = _post(manager, "/api/preparedness/hsi", {"facility": hospitals["A"].pk, "assessed_on": "2027-05-20",
                                                     "evaluators": ["A. Seitkali"]}).json()["id"]
    improved = [dict(r) for r in SHORT]
    improved[1] = {"item": "2", "level": "average"}   # module 2: (12.5·0.5 + 7.5)/20 = 0.6875 → adjusted 0.583333
    _post(manager, f"/api/preparedness/hsi/{later}/ratings", {"ratings": improved})
    r = manager.get(f"/api/preparedness/hsi/{later}/compare/{assessment_id}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["earlier"]["id"], body["later"]["id"]) == (assessment_id, later)
    assert body["module_changes"] == pytest.approx({"2": 0.6875 / 0.75 - 0.25 / 0.75 - 0.375, "3": 0.0, "4": 0.0},
                                                   abs=1e-12)
    assert body["index_change"] == pytest.approx(0.5 * (7 / 12 - 0.375), abs=1e-12)
    assert body["changed_items"] == [{"item": "2", "title": "Hospital built and/or repaired using current safety "
                                                            "standards", "before": "low", "after": "average"}]


def test_comparison_across_facilities_is_refused(hospitals, assessment_id):
    national = _client(make_user("prep-ncc", "national_coordinator"))
    other = _post(national, "/api/preparedness/hsi", {"facility": hospitals["C"].pk, "assessed_on": "2026-11-03",
                                                      "evaluators": ["Y"]}).json()["id"]
    r = national.get(f"/api/preparedness/hsi/{assessment_id}/compare/{other}")
    assert (r.status_code, r.json()["detail"][0]["code"]) == (422, "different_facility")


def test_lists_are_narrowed_to_the_viewers_scope(manager, hospitals, assessment_id):
    regional = _client(make_user("prep-rc", "regional_coordinator", region=hospitals["C"].region))
    _post(regional, "/api/preparedness/hsi", {"facility": hospitals["C"].pk, "assessed_on": "2026-11-03",
                                              "evaluators": ["Y"]})
    assert [a["facility_code"] for a in manager.get("/api/preparedness/hsi").json()] == ["PR-A"]
    assert [a["facility_code"] for a in regional.get("/api/preparedness/hsi").json()] == ["PR-C"]
    national = _client(make_user("prep-ncc", "national_coordinator"))
    assert sorted(a["facility_code"] for a in national.get("/api/preparedness/hsi").json()) == ["PR-A", "PR-C"]


def test_readiness_counts_latest_categories_per_region(manager, hospitals, assessment_id):
    _post(manager, f"/api/preparedness/hsi/{assessment_id}/ratings", {"ratings": SHORT})
    _post(manager, f"/api/preparedness/hsi/{assessment_id}/remediation", {"owner": "X", "due_on": "2026-11-10"})
    national = _client(make_user("prep-ncc", "national_coordinator"))
    rows = {r["iso_code"]: r for r in national.get("/api/preparedness/readiness").json()}
    assert len(rows) == 20
    almaty = rows["KZ-75"]
    assert (almaty["facilities"], almaty["assessed"], almaty["categories"], almaty["open_tasks"]) == (
        2, 1, {"A": 0, "B": 1, "C": 0}, 2)
    assert almaty["mean_index"] == pytest.approx(EXPECTED_INDEX, abs=1e-12)
    assert (almaty["coverage"], almaty["overdue_tasks"]) == (0.5, 2)  # due 2026-11-10, before any run
    assert rows["KZ-71"]["assessed"] == 0 and rows["KZ-71"]["mean_index"] is None

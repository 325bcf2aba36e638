"""Hospital emergency response plans over the API: completeness, evidence rule, versions, stale writes."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.preparedness.models import EmergencyPlan, PlanItemState, PlanVersion
from tests.capacity.capacity_helpers import make_user

PLAN = {
    "version": 0, "review_due_on": "2027-06-30",
    "items": [
        {"item": "1.1", "status": "done", "evidence": "Order No. 41 of 12.01.2026 on the incident command group"},
        {"item": "1.2", "status": "in_progress"},
        {"item": "5.1", "status": "done", "evidence": "Surge capacity table, annex 3"},
        {"item": "9.6", "status": "missing"},
    ],
    "activation_levels": [{"level": "1", "name": "Alert", "trigger": "MCI declared within 50 km"},
                          {"level": "2", "name": "Partial activation", "trigger": "more than 10 red casualties"}],
    "command_roles": [{"role": "Incident commander", "name": "Chief physician", "phone": "+7 727 000 0001",
                       "deputy": "Deputy chief physician"},
                      {"role": "Safety officer", "name": "Head of security"}],
    "surge": {"beds_2h": 25, "beds_24h": 60},
    "note": "First version",
}
# Component 1 has 7 items: (1 + 0.5)/7; component 5 has 5 items: 1/5; the other seven components 0.
# Overall = mean over the nine components = (1.5/7 + 1/5)/9.
EXPECTED = {"1": 1.5 / 7, "5": 0.2}
EXPECTED_OVERALL = (1.5 / 7 + 0.2) / 9


@pytest.fixture
def manager(hospitals):
    client = Client()
    client.force_login(make_user("plan-mgr", "facility_manager", facility=hospitals["A"]))
    return client


def _put(client, facility, body):
    return client.put(f"/api/preparedness/plans/{facility.pk}", json.dumps(body), content_type="application/json")


def test_save_then_read_with_completeness_per_component_and_overall(manager, hospitals):
    r = _put(manager, hospitals["A"], PLAN)
    assert r.status_code == 200, r.content
    plan = r.json()
    scores = {c["code"]: c["completeness"] for c in plan["components"]}
    assert len(scores) == 9
    assert scores == pytest.approx({**{c: 0.0 for c in "123456789"}, **EXPECTED}, abs=1e-12)
    assert plan["completeness"] == pytest.approx(EXPECTED_OVERALL, abs=1e-12)
    assert (plan["version"], plan["review_overdue"], plan["surge"]) == (1, False, {"beds_2h": 25, "beds_24h": 60})
    assert [r["role"] for r in plan["command_roles"]] == ["Incident commander", "Safety officer"]
    assert plan["components"][0]["items"][0]["status"] == "done"
    assert plan["components"][0]["key"] == "command_and_control"
    assert manager.get(f"/api/preparedness/plans/{hospitals['A'].pk}").json() == plan


def test_done_without_evidence_is_refused_and_nothing_written(manager, hospitals):
    body = {**PLAN, "items": [*PLAN["items"], {"item": "3.1", "status": "done"}]}
    r = _put(manager, hospitals["A"], body)
    assert r.status_code == 422
    assert [(d["code"], d["loc"]) for d in r.json()["detail"]] == [("evidence_required", ["items", 4, "evidence"])]
    assert EmergencyPlan.objects.count() == PlanItemState.objects.count() == 0


@pytest.mark.parametrize("item,code", [({"item": "10.1", "status": "done", "evidence": "x"}, "unknown_item"),
                                       ({"item": "1.1", "status": "missing"}, "duplicate_item")])
def test_unknown_or_repeated_items_are_refused(manager, hospitals, item, code):
    r = _put(manager, hospitals["A"], {**PLAN, "items": [*PLAN["items"], item]})
    assert (r.status_code, r.json()["detail"][0]["code"]) == (422, code)
    assert EmergencyPlan.objects.count() == 0


def test_bad_status_is_a_field_error(manager, hospitals):
    r = _put(manager, hospitals["A"], {**PLAN, "items": [{"item": "1.1", "status": "finished"}]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-3:] == ["items", 0, "status"]


def test_versions_are_kept_and_a_stale_write_is_refused(manager, hospitals):
    _put(manager, hospitals["A"], PLAN)
    second = {**PLAN, "version": 1, "items": [{"item": "1.1", "status": "done", "evidence": "Order No. 41"}],
              "note": "Annual review"}
    assert _put(manager, hospitals["A"], second).json()["version"] == 2
    stale = _put(manager, hospitals["A"], {**PLAN, "version": 1})
    assert (stale.status_code, stale.json()["detail"][0]["code"]) == (409, "stale_version")
    versions = manager.get(f"/api/preparedness/plans/{hospitals['A'].pk}/versions").json()
    assert [(v["number"], v["note"]) for v in versions] == [(2, "Annual review"), (1, "First version")]
    assert versions[0]["completeness"] == pytest.approx((1 / 7) / 9, abs=1e-12)
    assert PlanVersion.objects.get(number=1).snapshot["items"]["5.1"] == ["done", "Surge capacity table, annex 3"]


def test_a_facility_without_a_plan_is_not_found(manager, hospitals):
    r = manager.get(f"/api/preparedness/plans/{hospitals['A'].pk}")
    assert (r.status_code, r.json()["detail"][0]["code"]) == (404, "plan_not_found")


def test_readiness_counts_plans_and_overdue_reviews(manager, hospitals):
    _put(manager, hospitals["A"], {**PLAN, "review_due_on": "2026-01-31"})
    national = Client()
    national.force_login(make_user("plan-ncc", "national_coordinator"))
    almaty = {r["iso_code"]: r for r in national.get("/api/preparedness/readiness").json()}["KZ-75"]
    assert (almaty["plans"], almaty["plans_overdue"]) == (1, 1)

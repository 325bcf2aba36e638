"""POST /api/distribution/plan and POST /api/triage/{method}: exact plans, published triage cases, coded 422s."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from datetime import timedelta

import pytest
from tests.capacity.capacity_helpers import make_facility, make_user

from jedel.accounts.services import SYSTEM, token_create
from jedel.common.clock import utcnow
from jedel.core.survival import category_survival_model

PLAN = "/api/distribution/plan"


@pytest.fixture
def api(client, kz):
    """A client signed in as a clinician of a hospital in Almaty (the engines are open to every role)."""
    facility = make_facility(kz["KZ-75"], "API-HOME")
    client.force_login(make_user("doc", "clinician", facility=facility))
    return client


def _post(client, path, body, **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(path, data, content_type="application/json", headers=headers)


def _error(response, status=422):
    assert response.status_code == status, response.content[:500]
    return [(d["code"], d.get("loc")) for d in response.json()["detail"]]


# --- an exact plan against brute force ---------------------------------------------------------------------

SITES = ["S1", "S2"]
HOSPITALS = ["H1", "H2", "H3"]
MINUTES = [[10, 65, 70],   # S1 -> H1, H2, H3
           [50, 15, 45]]   # S2
CAPACITY = {"H1": {"immediate": 1, "delayed": 1, "minimal": 0},
            "H2": {"immediate": 1, "delayed": 0, "minimal": 1},
            "H3": {"immediate": 1, "delayed": 2, "minimal": 0}}
CASUALTIES = [("a1", "S1", "immediate"), ("a2", "S1", "immediate"), ("a3", "S1", "delayed"),
              ("b0", "S2", "immediate"), ("b1", "S2", "immediate"), ("b2", "S2", "delayed"), ("b3", "S2", "delayed"), ("b4", "S2", "minimal")]
PROBLEM = {
    "survival_model": "category",
    "sites": [{"id": s} for s in SITES],
    "casualties": [{"id": i, "site": s, "category": c} for i, s, c in CASUALTIES],
    "hospitals": [{"id": h, "capacity": CAPACITY[h]} for h in HOSPITALS],
    "travel_time_min": {"sites": SITES, "hospitals": HOSPITALS, "minutes": MINUTES},
}


def brute_force_optimum():
    """Every assignment of each casualty to a hospital or nowhere, within the one-hour capacities: the least
    expected deaths, and the (site, category, hospital) counts of every assignment reaching it."""
    model = category_survival_model()
    kind = {k: i for i, k in enumerate(model.kinds)}

    def death(category, minutes):
        return float(model.death_probability(kind[category], minutes))

    best, argbest = float("inf"), []
    for choice in itertools.product([None, *HOSPITALS], repeat=len(CASUALTIES)):
        used = Counter((h, c) for h, (_, _, c) in zip(choice, CASUALTIES) if h is not None)
        if any(n > CAPACITY[h][c] for (h, c), n in used.items()):
            continue
        total = sum(death(c, model.horizon_min if h is None else MINUTES[SITES.index(s)][HOSPITALS.index(h)])
                    for h, (_, s, c) in zip(choice, CASUALTIES))
        counts = Counter((s, c, h) for h, (_, s, c) in zip(choice, CASUALTIES))
        if total < best - 1e-12:
            best, argbest = total, [counts]
        elif abs(total - best) <= 1e-12 and counts not in argbest:
            argbest.append(counts)
    return best, argbest


def test_plan_is_the_brute_force_optimum(api):
    best, optima = brute_force_optimum()
    assert len(optima) == 1  # the instance has one optimum up to swapping interchangeable casualties
    response = _post(api, PLAN, PROBLEM)
    assert response.status_code == 200, response.content[:500]
    plan = response.json()
    assert plan["expected_deaths"] == pytest.approx(best, abs=1e-9)
    by_id = {a["casualty"]: a["hospital"] for a in plan["assignments"]}
    assert Counter((s, c, by_id[i]) for i, s, c in CASUALTIES) == optima[0]
    assert (plan["policy"], plan["n_casualties"], plan["n_unassigned"]) == ("optimal", 8, 1)
    assert plan["loads"] == {
        "H1": {"immediate": 1, "delayed": 1, "minimal": 0, "expectant": 0},
        "H2": {"immediate": 1, "delayed": 0, "minimal": 1, "expectant": 0},
        "H3": {"immediate": 1, "delayed": 2, "minimal": 0, "expectant": 0},
    }


def test_a_baseline_policy_on_request(api):
    plan = _post(api, f"{PLAN}?policy=nearest", PROBLEM).json()
    assert plan["policy"] == "nearest"
    best, _ = brute_force_optimum()
    assert plan["expected_deaths"] > best + 1e-6  # capacity-blind nearest is worse on this instance


# --- triage -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("findings", "category", "rule"), [
    # Benson, Koenig, Schultz. Prehosp Disaster Med 1996;11(2):117-124.
    ({"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34}, "immediate",
     "START: not walking → breathing → RR 34/min > 30 → IMMEDIATE"),
    ({"can_walk": True}, "minimal", "START: walking → MINIMAL"),
    ({"can_walk": False, "breathing": False, "breathing_after_airway_opening": False}, "dead",
     "START: not walking → not breathing → still apnoeic after airway opening → DEAD"),
])
def test_published_start_cases(api, findings, category, rule):
    response = _post(api, "/api/triage/start", {"findings": findings})
    assert response.status_code == 200, response.content[:500]
    assert response.json() == {"category": category, "method": "start", "rule": rule, "missing": []}


def test_rpm_through_the_api(api):
    """Sacco et al. 2005: RR 28/min codes 3, pulse 130/min codes 3, GCS motor 5 codes 3."""
    body = {"findings": {"respiratory_rate_per_min": 28, "pulse_rate_per_min": 130, "gcs_motor": 5}}
    out = _post(api, "/api/triage/rpm", body).json()
    assert (out["method"], out["rpm"], out["missing"]) == ("rpm", 9, [])


def test_triage_with_a_facility_token(client, kz):
    facility = make_facility(kz["KZ-75"], "API-HIS")
    _, raw = token_create(actor=SYSTEM, name="his", facility_id=facility.pk)
    response = _post(client, "/api/triage/auto", {"findings": {"age_years": 5, "can_walk": True}},
                     Authorization=f"Bearer {raw}")
    assert (response.status_code, response.json()["method"]) == (200, "jumpstart")


def test_triage_errors(api):
    assert _error(_post(api, "/api/triage/triage-o-matic", {"findings": {}}), 404) == [
        ("unknown_triage_method", ["method"])]
    assert _error(_post(api, "/api/triage/start", {"findings": {"respiratory_rate_per_min": 150}})) == [
        ("invalid_triage_request", ["findings", "respiratory_rate_per_min"])]
    assert _error(_post(api, "/api/triage/start", {"findings": {"walks": True}})) == [
        ("invalid_triage_request", ["findings", "walks"])]
    assert _error(_post(api, "/api/triage/start", {"findings": {}, "options": {"rr_low_threshold": 40}})) == [
        ("invalid_triage_request", ["options", "rr_low_threshold"])]
    assert _error(_post(api, "/api/triage/start", [1, 2])) == [("invalid_triage_request", [])]


def test_anonymous_is_refused(client, kz):
    assert _error(_post(client, "/api/triage/start", {"findings": {}}), 401) == [("not_authenticated", None)]
    assert _error(_post(client, PLAN, PROBLEM), 401) == [("not_authenticated", None)]


# --- distribution errors ------------------------------------------------------------------------------------


def test_problem_errors_have_a_code_and_the_field_path(api):
    unknown_site = {**PROBLEM, "casualties": [{"id": "x", "site": "S9", "category": "immediate"}]}
    assert _error(_post(api, PLAN, unknown_site)) == [("invalid_problem", ["casualties", 0, "site"])]
    negative = {**PROBLEM, "hospitals": [{"id": "H1", "capacity": {"immediate": -1}}]}
    assert _error(_post(api, PLAN, negative)) == [("invalid_problem", ["hospitals", 0, "capacity", "immediate"])]
    short_row = {**PROBLEM, "travel_time_min": {"sites": SITES, "hospitals": HOSPITALS, "minutes": [[1, 2, 3], [4]]}}
    assert _error(_post(api, PLAN, short_row)) == [("invalid_problem", ["travel_time_min", "minutes", 1])]
    two = {"casualties": [{"id": "c", "site": "S1", "category": "purple"}], "hospitalz": []}
    assert _error(_post(api, PLAN, two)) == [("invalid_problem", ["casualties", 0, "category"]),
                                             ("invalid_problem", ["hospitals"]),
                                             ("invalid_problem", ["hospitalz"])]
    assert _error(_post(api, PLAN, [PROBLEM])) == [("invalid_problem", [])]
    # Not JSON at all: refused by the API's body parser, like every endpoint's (400, not the engine's 422).
    assert _error(_post(api, PLAN, "{not json"), 400) == [("http_error", None)]


def test_oversized_problems_are_refused(api):
    many = {"casualties": [{"id": "c", "lat": 43.2, "lon": 76.9, "category": "minimal", "count": 10_001}],
            "hospitals": []}
    assert _error(_post(api, PLAN, many)) == [("problem_too_large", ["casualties"])]


def test_query_errors(api):
    assert _error(_post(api, f"{PLAN}?region=KZ-75", PROBLEM)) == [("region_without_live", ["region"])]
    assert _error(_post(api, f"{PLAN}?live=true&region=KZ-99", {"casualties": []})) == [
        ("unknown_region", ["region"])]
    assert _error(_post(api, f"{PLAN}?live=true", PROBLEM)) == [("hospitals_with_live", ["hospitals"])]
    assert _error(_post(api, f"{PLAN}?policy=fastest", PROBLEM))[0][0] == "invalid"


# --- a live plan from reports submitted here ----------------------------------------------------------------


def _report(client, facility, *, minutes_ago=5, **mci):
    _, raw = token_create(actor=SYSTEM, name=f"his-{facility.code}", facility_id=facility.pk)
    body = {"reported_at": (utcnow() - timedelta(minutes=minutes_ago)).isoformat(),
            "beds": [{"bed_type": "AdultICU", "staffed": 10, "occupied": 5}], **mci}
    response = _post(client, f"/api/facilities/{facility.code}/reports", body, Authorization=f"Bearer {raw}")
    assert response.status_code == 201, response.content[:500]


def test_live_plan_uses_the_reports_just_submitted(api, kz):
    ala = kz["KZ-75"]
    near = make_facility(ala, "LIVE-NEAR", interval=60, has_burns=True)
    far = make_facility(ala, "LIVE-FAR", interval=60, has_burns=True)
    far.lat, far.lon = near.lat + 0.3, near.lon + 0.3  # about 40 km further
    far.save()
    stale = make_facility(ala, "LIVE-STALE", interval=60, has_burns=True)
    make_facility(kz["KZ-71"], "LIVE-ASTANA", has_burns=True)
    _report(api, near, mci_immediate_per_hour=2, mci_delayed_per_hour=0, mci_minimal_per_hour=5)
    _report(api, far, mci_immediate_per_hour=3, mci_delayed_per_hour=1, mci_minimal_per_hour=0)
    _report(api, stale, minutes_ago=90, mci_immediate_per_hour=50)  # overdue: its figures are not used
    problem = {"travel": {"mode": "road", "road_class": "urban"},
               "casualties": [{"id": "burn", "lat": near.lat, "lon": near.lon, "category": "immediate",
                               "needs": ["burns"], "count": 4},
                              {"id": "walk", "lat": near.lat, "lon": near.lon, "category": "minimal", "count": 2}]}

    plan = _post(api, f"{PLAN}?live=true&region=KZ-75", problem).json()

    assert {h: (v["immediate"], v["minimal"]) for h, v in plan["loads"].items()} == {
        "LIVE-FAR": (2, 0), "LIVE-NEAR": (2, 2)}  # API-HOME never reported, LIVE-STALE overdue
    near_ids = {a["casualty"] for a in plan["assignments"] if a["hospital"] == "LIVE-NEAR"}
    assert near_ids >= {"walk#1", "walk#2"} and plan["n_unassigned"] == 0

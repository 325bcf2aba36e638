"""JSON problem in (`parse_problem`) and plan out (`plan_to_json`): exact values and exact messages."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from jedel.core.distribution import (
    DistributionProblem,
    PlanOut,
    ProblemIn,
    build_problem,
    parse_problem,
    plan_to_json,
    solve,
)
from jedel.core.errors import FieldError
from jedel.core.survival import CareCategory
from jedel.core.vocabulary import Capability

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "distribution-problem.json"

# One immediate place; RPM 3 and RPM 9 compete for it (Sacco table): optimal takes RPM 9 -> 0.10 + 0.948.
SMALL: dict[str, Any] = {
    "casualties": [{"id": "a", "site": "S1", "rpm": 3}, {"id": "b", "site": "S1", "rpm": 9}],
    "sites": [{"id": "S1"}],
    "hospitals": [{"id": "H1", "capacity": {"immediate": 1}}],
    "travel_time_min": {"sites": ["S1"], "hospitals": ["H1"], "minutes": [[10]]},
}
AT = {"lat": 43.0, "lon": 76.0}


def test_example_file() -> None:
    problem = parse_problem(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert isinstance(problem, DistributionProblem)
    ids = [c.casualty_id for c in problem.casualties]
    assert len(ids) == 18
    assert ids[2:6] == ["T-003#1", "T-003#2", "T-003#3", "T-003#4"]
    assert problem.site_ids == ("CCP-Medeu", "CCP-Alatau", "CCP-Turksib", "@43.26,76.93")
    assert problem.planning_horizon_h == 2 and problem.max_transport_min == 90.0
    assert problem.casualties[5].needs == frozenset()
    kid = problem.casualties[ids.index("T-005")]
    assert kid.needs == frozenset({Capability.PAEDIATRIC_SURGERY})
    child = problem.hospitals[2]
    assert child.capabilities == frozenset({Capability.PAEDIATRIC_SURGERY, Capability.BURNS})
    assert dict(child.capacity_by_category) == {
        CareCategory.IMMEDIATE: 1,
        CareCategory.DELAYED: 2,
        CareCategory.MINIMAL: 2,
        CareCategory.EXPECTANT: 0,
    }
    assert problem.travel_time_min.shape == (4, 4) and np_all_finite(problem.travel_time_min)


def np_all_finite(values: Any) -> bool:
    return all(math.isfinite(v) for v in values.ravel())


def test_old_need_name_is_mapped() -> None:
    old = {
        **SMALL,
        "casualties": [{"id": "k", "site": "S1", "category": "delayed", "needs": ["paediatric", "burns"]}],
        "hospitals": [{"id": "H1", "capabilities": ["paediatric"], "capacity": {"delayed": 1}}],
    }
    problem = parse_problem(old)
    assert problem.casualties[0].needs == frozenset({Capability.PAEDIATRIC_SURGERY, Capability.BURNS})
    assert problem.hospitals[0].capabilities == frozenset({Capability.PAEDIATRIC_SURGERY})


def test_model_then_build_is_parse() -> None:
    model = ProblemIn.model_validate(SMALL)
    assert model.casualties[1].rpm == 9 and model.hospitals[0].capacity.immediate == 1
    assert build_problem(model).site_ids == parse_problem(SMALL).site_ids == ("S1",)


def test_comments_and_integer_ids() -> None:
    problem = parse_problem({
        **SMALL,
        "_about": "x",
        "sites": [{"id": "S1", "_note": 1}],
        "hospitals": [{"id": 7, "capacity": {"immediate": 1}}],
        "travel_time_min": {"sites": ["S1"], "hospitals": [7], "minutes": [[None]]},
    })
    assert problem.hospitals[0].hospital_id == "7"
    assert problem.travel_time_min[0, 0] == math.inf


def test_road_times_from_coordinates() -> None:
    problem = parse_problem({
        "travel": {"mode": "road", "road_class": "rural"},
        "casualties": [{"id": "a", "lat": 43.25249, "lon": 76.9115, "category": "delayed"}],
        "hospitals": [{"id": "Astana", "lat": 51.1801, "lon": 71.44598, "capacity": {"delayed": 1}}],
    })
    assert problem.travel_time_min[0, 0] == pytest.approx(972.7114534 * 1.3, rel=1e-8)  # 60 km/h


SITE_XY = [{"id": "S1", **AT}]
HOSP_XY = [{"id": "H1", **AT}]
KNOWN = "burns, paediatric_surgery, neurosurgery, cath_lab, obstetric, dialysis, helipad, ct, mri, laboratory"
CATEGORIES = "immediate, delayed, minimal, expectant"


def cas(*casualties: dict[str, Any], **one: Any) -> dict[str, Any]:
    """SMALL with these casualties (or one casualty ``a`` at S1 with the given members)."""
    return {**SMALL, "casualties": list(casualties) or [{"id": "a", "site": "S1", **one}]}


def hosp(*hospitals: dict[str, Any], **one: Any) -> dict[str, Any]:
    """SMALL with these hospitals (or one hospital ``H1`` with the given members)."""
    return {**SMALL, "hospitals": list(hospitals) or [{"id": "H1", **one}]}


def matrix(sites: list[str], hospitals: list[str], minutes: list[list[Any]]) -> dict[str, Any]:
    return {**SMALL, "travel_time_min": {"sites": sites, "hospitals": hospitals, "minutes": minutes}}


def by_road(**travel: Any) -> dict[str, Any]:
    return {**SMALL, "travel_time_min": None, "sites": SITE_XY, "hospitals": HOSP_XY, "travel": travel}


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ([], "problem: must be a JSON object"),
        ({"casualties": []}, "hospitals: required"),
        ({**SMALL, "max_transport": 60}, "max_transport: unknown field"),
        (hosp(capacty={}), "hospitals[0].capacty: unknown field"),
        (hosp({"id": "H0"}, {"id": "H1", "capacity": {"immediate": -3}}),
         "hospitals[1].capacity.immediate: must be >= 0"),
        (hosp(capacity={"immediate": 1.5}), "hospitals[0].capacity.immediate: must be an integer"),
        (hosp(capacity={"dead": 1}), "hospitals[0].capacity.dead: unknown field"),
        (hosp(capabilities=["burns", "xray"]),
         f"hospitals[0].capabilities[1]: unknown capability 'xray' (expected one of {KNOWN})"),
        (hosp({"id": "H1"}, {"id": "H1"}), "hospitals[1].id: duplicate id 'H1'"),
        (hosp(lat=43.0), "hospitals[0].lon: required"),
        (cas(category="red"),
         f"casualties[0].category: unknown category 'red' (expected one of {CATEGORIES})"),
        (cas(category="dead"),
         f"casualties[0].category: unknown category 'dead' (expected one of {CATEGORIES})"),
        (cas({"id": "a", "site": "S2", "rpm": 4}), "casualties[0].site: unknown site 'S2'"),
        (cas(rpm=40), "casualties[0].rpm: must be in 0..12, got 40"),
        (cas(rpm=True), "casualties[0].rpm: must be an integer"),
        (cas(), "casualties[0].category: either category or rpm is required"),
        (cas(rpm=3, count=0), "casualties[0].count: must be >= 1"),
        (cas({"id": "", "site": "S1", "rpm": 3}), "casualties[0].id: must be a non-empty string"),
        (cas({"id": False, "site": "S1", "rpm": 3}), "casualties[0].id: must be a non-empty string"),
        (cas({"id": "a", "lat": 100, "lon": 3, "rpm": 3}), "casualties[0].lat: must be in [-90, 90]"),
        (cas({"id": "a", "lat": 10, "rpm": 3}), "casualties[0].lon: required"),
        (cas({"id": "a", "rpm": 3}), "casualties[0].lat: required (or give site)"),
        (cas(rpm=3, needs="burns"), "casualties[0].needs: must be a list"),
        (cas(rpm=3, needs=["burns", "xray"]),
         f"casualties[0].needs[1]: unknown need 'xray' (expected one of {KNOWN})"),
        (cas({"id": "x", "site": "S1", "rpm": 3}, {"id": "a", "site": "S1", "rpm": 3, "count": 2},
             {"id": "a#2", "site": "S1", "rpm": 3}),
         "casualties[2].id: duplicate id 'a#2'"),  # index of the input list, not of the expanded one
        ({**SMALL, "sites": [{"id": "S1"}, {"id": "S1"}]}, "sites[1].id: duplicate id 'S1'"),
        (matrix(["S1"], ["H1"], [[1, 2]]), "travel_time_min.minutes[0]: expected 1 values, got 2"),
        (matrix(["S1"], ["H1"], []), "travel_time_min.minutes: expected 1 rows, got 0"),
        (matrix(["S1"], ["H1"], [[math.nan]]), "travel_time_min.minutes[0][0]: must be a finite number"),
        (matrix(["S1"], ["H1"], [[-1]]), "travel_time_min.minutes[0][0]: must be >= 0"),
        (matrix(["S1"], ["H2"], [[1]]), "travel_time_min: column id 'H1' not in the matrix"),
        (matrix(["S1", "S1"], ["H1"], [[1], [2]]), "travel_time_min.sites: ids must be unique"),
        ({**SMALL, "max_transport_min": -5}, "max_transport_min: must be >= 0"),
        ({**SMALL, "untreated_horizon_min": "6h"}, "untreated_horizon_min: must be a finite number"),
        ({**SMALL, "planning_horizon_h": 2.5}, "planning_horizon_h: must be an integer"),
        ({**SMALL, "planning_horizon_h": "2"}, "planning_horizon_h: must be an integer"),
        ({**SMALL, "planning_horizon_h": 0}, "planning_horizon_h: must be in 1..48, got 0"),
        ({**SMALL, "survival_model": "weibull"},
         "survival_model: must be one of rpm, category, not 'weibull'"),
        ({**SMALL, "travel": 5}, "travel: must be a JSON object"),
        ({**SMALL, "travel": {"mode": "car"}},
         "travel.mode: must be one of road, helicopter, fixed_wing, not 'car'"),
        ({**SMALL, "travel_time_min": None},
         "sites: site 'S1' needs lat and lon when no travel_time_min is given"),
        ({**SMALL, "travel_time_min": None, "sites": SITE_XY},
         "hospitals[0].lat: required when no travel_time_min is given"),
        (by_road(detour_factor=0.5), "travel.detour_factor: must be >= 1, got 0.5"),
        (by_road(speed_kmh=0), "travel.speed_kmh: must be a finite number > 0, got 0.0"),
    ],
)
def test_bad_input_names_the_field(problem: object, message: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_problem(problem)
    assert str(info.value) == message
    assert f"{info.value.path}: {info.value.reason}" == message


def test_plan_of_small_problem_exact() -> None:
    counts = {"immediate": 1, "delayed": 0, "minimal": 0, "expectant": 0}
    assert plan_to_json(solve(parse_problem(SMALL))) == {
        "policy": "optimal",
        "planning_horizon_h": 1,
        "expected_deaths": 1.048,
        "expected_survivors": 0.952,
        "n_casualties": 2,
        "n_unassigned": 1,
        "n_overflow": 0,
        "assignments": [
            {
                "casualty": "a",
                "hospital": None,
                "travel_time_min": None,
                "slot": None,
                "time_to_care_min": None,
                "death_probability": 0.948,
                "reason_code": "capacity_full",
                "reason": "capacity for immediate full at all 1 feasible hospital(s)",
            },
            {
                "casualty": "b",
                "hospital": "H1",
                "travel_time_min": 10.0,
                "slot": 0,
                "time_to_care_min": 10.0,
                "death_probability": pytest.approx(0.10, abs=1e-12),
                "reason_code": "max_gain",
                "reason": "gain 0.848 expected survivors vs unassigned",
            },
        ],
        "loads": {"H1": counts},
        "slot_loads": {"H1": [counts]},
        "overflow": {},
        "groups": [
            {"site": "S1", "kind": "3", "category": "immediate", "needs": [], "count": 1, "flows": [],
             "unassigned": 1, "expected_deaths": 0.948},
            {"site": "S1", "kind": "9", "category": "immediate", "needs": [], "count": 1,
             "flows": [{"hospital": "H1", "slot": 0, "count": 1}], "unassigned": 0,
             "expected_deaths": pytest.approx(0.10, abs=1e-12)},
        ],
    }


def test_plan_overflow_unreachable_and_needs() -> None:
    problem = {
        "casualties": [
            {"id": "a", "site": "S1", "category": "immediate", "count": 2},
            {"id": "k", "site": "S1", "category": "delayed", "needs": ["burns", "paediatric"]},
        ],
        "sites": [{"id": "S1"}],
        "hospitals": [
            {"id": "H1", "capacity": {"immediate": 1}},
            {"id": "H2", "capacity": {"delayed": 1}, "capabilities": ["paediatric_surgery", "burns"]},
        ],
        "travel_time_min": {"sites": ["S1"], "hospitals": ["H1", "H2"], "minutes": [[10, None]]},
    }
    plan = plan_to_json(solve(parse_problem(problem), "nearest"))
    assert plan["overflow"] == {"H1": {"immediate": 1, "delayed": 0, "minimal": 0, "expectant": 0}}
    assert (plan["n_unassigned"], plan["n_overflow"]) == (2, 1)
    assert [(a["casualty"], a["hospital"], a["slot"], a["reason_code"]) for a in plan["assignments"]] == [
        ("a#1", "H1", 0, "nearest_feasible"),
        ("a#2", "H1", None, "queue_beyond_horizon"),
        ("k", None, None, "beyond_max_transport"),
    ]
    assert plan["groups"][-1]["needs"] == ["burns", "paediatric_surgery"]
    assert json.loads(json.dumps(plan, allow_nan=False)) == plan  # strict JSON: no NaN or Infinity
    assert PlanOut.model_validate(plan).n_casualties == 3

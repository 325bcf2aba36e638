"""`jedel distribute` through Typer's CliRunner on a fresh app (jedel.cli.main is not imported)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jedel.cli.distribute import register

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "distribution-problem.json"


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    register(app)
    return app


RUNNER = CliRunner()

# One immediate bed; RPM 3 and RPM 9 compete for it (Sacco table): optimal takes RPM 9 -> 0.10 + 0.948.
SMALL = {
    "casualties": [{"id": "a", "site": "S1", "rpm": 3}, {"id": "b", "site": "S1", "rpm": 9}],
    "sites": [{"id": "S1"}],
    "hospitals": [{"id": "H1", "capacity": {"immediate": 1}}],
    "travel_time_min": {"sites": ["S1"], "hospitals": ["H1"], "minutes": [[10]]},
}


def run(tmp_path: Path, problem: object, *args: str):
    path = tmp_path / "problem.json"
    path.write_text(problem if isinstance(problem, str) else json.dumps(problem), encoding="utf-8")
    return RUNNER.invoke(make_app(), ["distribute", str(path), *args])


def test_small_problem_exact(tmp_path: Path) -> None:
    result = run(tmp_path, SMALL, "--exact")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["expected_deaths"] == pytest.approx(0.10 + 0.948, abs=1e-12)
    assert [(a["casualty"], a["hospital"], a["reason_code"]) for a in out["assignments"]] == [
        ("a", None, "capacity_full"),
        ("b", "H1", "max_gain"),
    ]
    assert out["loads"]["H1"]["immediate"] == 1 and out["n_unassigned"] == 1
    assert out["slot_loads"]["H1"] == [{"immediate": 1, "delayed": 0, "minimal": 0, "expectant": 0}]
    assert out["assignments"][1]["slot"] == 0 and out["assignments"][1]["time_to_care_min"] == 10
    assert out["planning_horizon_h"] == 1 and out["overflow"] == {} and out["n_overflow"] == 0
    nearest = json.loads(run(tmp_path, SMALL, "--policy", "nearest", "--exact").stdout)
    assert nearest["expected_deaths"] == pytest.approx(0.77 + 0.948, abs=1e-12)
    # today's practice sends b to H1 too, where it is not admitted within the hour: reported as overflow
    assert nearest["overflow"] == {"H1": {"immediate": 1, "delayed": 0, "minimal": 0, "expectant": 0}}
    assert nearest["assignments"][1]["hospital"] == "H1" and nearest["assignments"][1]["slot"] is None


def test_planning_horizon_spreads_capacity_over_hours(tmp_path: Path) -> None:
    # One immediate place per hour for 2 hours. a (RPM 3) first: 0.77 at 10 min, and b (RPM 9) waits for
    # the second hour: RPM 8 at 60 min, 0.16 -> 0.93. The other way round: 0.10 + RPM 3 at 60 min (RPM 0,
    # 0.948) = 1.048. With a single hour only b was worth the place (0.10 + 0.948).
    out = json.loads(run(tmp_path, {**SMALL, "planning_horizon_h": 2}, "--exact").stdout)
    assert out["planning_horizon_h"] == 2 and out["n_unassigned"] == 0
    assert [(a["casualty"], a["slot"], a["time_to_care_min"]) for a in out["assignments"]] == [
        ("a", 0, 10),
        ("b", 1, 60),
    ]
    assert out["expected_deaths"] == pytest.approx(0.77 + 0.16, abs=1e-12)
    assert [len(v) for v in out["slot_loads"].values()] == [2]
    assert out["groups"][1]["flows"] == [{"hospital": "H1", "slot": 1, "count": 1}]


def test_example_file_all_policies(tmp_path: Path) -> None:
    results = {}
    for policy in ("optimal", "nearest", "nearest_available", "proportional"):
        out_file = tmp_path / f"{policy}.json"
        result = RUNNER.invoke(
            make_app(), ["distribute", str(EXAMPLE), "--policy", policy, "--output", str(out_file)]
        )
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        results[policy] = json.loads(out_file.read_text(encoding="utf-8"))
    assert results["optimal"]["n_casualties"] == 18  # counts expanded: 1+1+4+1+1+6+2+1+1
    assert results["optimal"]["n_unassigned"] == 0
    for policy in ("nearest", "nearest_available", "proportional"):
        assert results["optimal"]["expected_deaths"] <= results[policy]["expected_deaths"]
        assert results[policy]["planning_horizon_h"] == 2
    ids = {a["casualty"]: a["hospital"] for a in results["optimal"]["assignments"]}
    assert ids["T-005"] == "H-CHILD"  # the only hospital with paediatric surgery
    assert ids["T-002"] in {"H-CITY-1", "H-CHILD"}  # burns


def test_coordinates_without_matrix_use_road_times(tmp_path: Path) -> None:
    problem = {
        "travel": {"mode": "road", "road_class": "rural"},
        "casualties": [{"id": "a", "lat": 43.25249, "lon": 76.9115, "category": "delayed"}],
        "hospitals": [{"id": "Astana", "lat": 51.1801, "lon": 71.44598, "capacity": {"delayed": 1}}],
    }
    out = json.loads(run(tmp_path, problem, "--exact").stdout)
    assert out["assignments"][0]["travel_time_min"] == pytest.approx(972.7114534 * 1.3, rel=1e-8)  # 60 km/h
    assert json.loads(run(tmp_path, problem).stdout)["assignments"][0]["travel_time_min"] == 1264.5  # for people


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (
            "{not json",
            "problem.json: invalid JSON: Expecting property name enclosed in double quotes "
            "(line 1, column 2)",
        ),
        ("[]", "problem: must be a JSON object"),
        ({"casualties": []}, "hospitals: required"),
        (
            {**SMALL, "hospitals": [{"id": "H0"}, {"id": "H1", "capacity": {"immediate": -3}}]},
            "hospitals[1].capacity.immediate: must be >= 0",
        ),
        (
            {**SMALL, "casualties": [{"id": "a", "site": "S1", "category": "red"}]},
            "casualties[0].category: unknown category 'red' (expected one of immediate, delayed, minimal, "
            "expectant)",
        ),
        (
            {**SMALL, "casualties": [{"id": "a", "site": "S2", "rpm": 4}]},
            "casualties[0].site: unknown site 'S2'",
        ),
        (
            {**SMALL, "casualties": [{"id": "a", "site": "S1", "rpm": 40}]},
            "casualties[0].rpm: must be in 0..12, got 40",
        ),
        (
            {**SMALL, "travel_time_min": {"sites": ["S1"], "hospitals": ["H1"], "minutes": [[1, 2]]}},
            "travel_time_min.minutes[0]: expected 1 values, got 2",
        ),
        (
            json.dumps(SMALL).replace("[[10]]", "[[NaN]]"),
            "travel_time_min.minutes[0][0]: must be a finite number",
        ),
        ({**SMALL, "max_transport_min": -5}, "max_transport_min: must be >= 0"),
        ({**SMALL, "planning_horizon_h": 2.5}, "planning_horizon_h: must be an integer"),
        ({**SMALL, "planning_horizon_h": 0}, "planning_horizon_h: must be in 1..48, got 0"),
        (
            {**SMALL, "travel_time_min": None},
            "sites: site 'S1' needs lat and lon when no travel_time_min is given",
        ),
        (
            {**SMALL, "travel_time_min": {"sites": ["S1"], "hospitals": ["H2"], "minutes": [[1]]}},
            "travel_time_min: column id 'H1' not in the matrix",
        ),
        ({**SMALL, "max_transport": 60}, "max_transport: unknown field"),
        ({**SMALL, "hospitals": [{"id": "H1", "capacty": {}}]}, "hospitals[0].capacty: unknown field"),
    ],
)
def test_bad_input_one_line_exit_2(tmp_path: Path, problem: object, message: str) -> None:
    result = run(tmp_path, problem)
    assert result.exit_code == 2
    prefix = f"error: {tmp_path}/" if message.startswith("problem.json") else "error: "
    assert result.stderr.splitlines() == [prefix + message], result.stderr
    assert "Traceback" not in result.output


def test_old_need_name_still_accepted(tmp_path: Path) -> None:
    problem = {
        **SMALL,
        "casualties": [{"id": "kid", "site": "S1", "category": "delayed", "needs": ["paediatric"]}],
        "hospitals": [
            {"id": "H1", "capacity": {"delayed": 1}},
            {"id": "H2", "capacity": {"delayed": 1}, "capabilities": ["paediatric_surgery"]},
        ],
        "travel_time_min": {"sites": ["S1"], "hospitals": ["H1", "H2"], "minutes": [[5, 30]]},
    }
    out = json.loads(run(tmp_path, problem).stdout)
    assert out["assignments"][0]["hospital"] == "H2"
    assert out["groups"][0]["needs"] == ["paediatric_surgery"]


def test_bad_policy_and_missing_file(tmp_path: Path) -> None:
    result = run(tmp_path, SMALL, "--policy", "fastest")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "error: --policy: must be one of optimal, nearest, nearest_available, proportional, not 'fastest'"
    )
    missing = RUNNER.invoke(make_app(), ["distribute", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: ") and "cannot read" in missing.stderr


# -- issue 7: every error of a bad file is listed; figures are rounded for people ---------------------------------


def test_every_schema_error_is_listed(tmp_path: Path) -> None:
    bad = {**SMALL, "casualties": [{"id": "a", "site": "S1", "category": "red"}, {"id": "b", "site": "S1", "rpm": 40},
                                   {"id": "c", "site": "S1", "rpm": "x"}],
           "hospitals": [{"id": "H1", "capacity": {"immediate": -3}}], "max_transport_min": -5, "foo": 1}
    result = run(tmp_path, bad)
    assert result.exit_code == 2
    assert sorted(result.stderr.splitlines()) == sorted([
        "error: max_transport_min: must be >= 0",
        "error: casualties[0].category: unknown category 'red' (expected one of immediate, delayed, minimal, "
        "expectant)",
        "error: casualties[1].rpm: must be in 0..12, got 40",
        "error: casualties[2].rpm: must be an integer",
        "error: hospitals[0].capacity.immediate: must be >= 0",
        "error: foo: unknown field",
    ])


def test_every_site_and_casualty_error_is_listed(tmp_path: Path) -> None:
    bad = {**SMALL, "sites": [{"id": "S1"}, {"id": "S1", "lat": 4}],
           "casualties": [{"id": "a", "site": "S2", "category": "immediate"}, {"id": "b", "site": "S1"},
                          {"id": "c", "site": "S9", "rpm": 3}, {"id": "d", "rpm": 3}]}
    result = run(tmp_path, bad)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: sites[1].id: duplicate id 'S1'",
        "error: sites[1].lon: required",
        "error: casualties[0].site: unknown site 'S2'",
        "error: casualties[1].category: either category or rpm is required",
        "error: casualties[2].site: unknown site 'S9'",
        "error: casualties[3].lat: required (or give site)",
    ]


def test_a_long_error_list_is_capped_with_a_count(tmp_path: Path) -> None:
    bad = {**SMALL, "casualties": [{"id": f"c{i}", "site": "S1", "rpm": 99} for i in range(60)]}
    lines = run(tmp_path, bad).stderr.splitlines()
    assert len(lines) == 51
    assert lines[0] == "error: casualties[0].rpm: must be in 0..12, got 99"
    assert lines[-1] == "error: ... and 10 more problems"


def test_figures_are_rounded_for_people(tmp_path: Path) -> None:
    exact = json.loads(RUNNER.invoke(make_app(), ["distribute", str(EXAMPLE), "--exact"]).stdout)
    shown = json.loads(RUNNER.invoke(make_app(), ["distribute", str(EXAMPLE)]).stdout)
    assert exact["expected_deaths"] != round(exact["expected_deaths"], 2)  # the example does need rounding
    assert shown["expected_deaths"] == round(exact["expected_deaths"], 2)
    assert shown["expected_survivors"] == round(exact["expected_survivors"], 2)
    for e, p in zip(exact["assignments"], shown["assignments"], strict=True):
        assert p["travel_time_min"] == round(e["travel_time_min"], 1)
        assert p["time_to_care_min"] == round(e["time_to_care_min"], 1)
        assert p["death_probability"] == round(e["death_probability"], 3)
        assert (p["casualty"], p["hospital"], p["slot"]) == (e["casualty"], e["hospital"], e["slot"])
    assert [g["expected_deaths"] for g in shown["groups"]] == [round(g["expected_deaths"], 2) for g in exact["groups"]]
    assert "19.090981014970815" not in json.dumps(shown)

"""`jedel simulate` through Typer's CliRunner on a fresh app (jedel.cli.main is not imported)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from jedel.cli.simulate import register
from jedel.core.simulation import POLICIES, scenario_input, shipped_scenario, simulate

RUNNER = CliRunner()
# Listed hospitals (no registry needed): 15 immediate, 25 delayed, 50 minimal living casualties.
SHIPPED = "atyrau_refinery_blast"
METRICS = [
    "deaths", "critical_deaths", "no_care_deaths", "uncapacitated_deaths", "averted_share",
    "time_to_care_mean_min.immediate", "time_to_care_mean_min.delayed", "time_to_care_mean_min.minimal",
    "ambulance_utilisation", "unserved",
]

BAD = """\
name: Broken
time_of_day: "25:00"
hazard:
  kind: explosion
  location: {lat: 143.2, lon: 51.9}
  casualties: {immediate: 1, delayed: 0, minimal: 0, dead: 0}
  age_mix: {child: 0, adult: 1, older: 0}
release:
  - {minutes: 0, share: 1}
ambulances:
  - {station: S, lat: 47.1, lon: 51.9, count: 1}
hospitals:
  - {code: H, lat: 47.1, lon: 51.9, beds: {MedicalSurgical: 10}}
"""


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    register(app)
    return app


def run(*args: str, env: dict[str, str] | None = None):
    return RUNNER.invoke(make_app(), ["simulate", *args], env=env)


def test_json_equals_the_simulator_called_directly() -> None:
    result = run(SHIPPED, "--policy", "nearest_available", "--replications", "4", "--seed", "11", "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert sorted(out) == sorted(["scenario", "source", "policy", "seed", "replications", "version", "casualties",
                                  "ambulances", "hospitals", "metrics"])
    assert (out["policy"], out["seed"], out["replications"], out["source"]) == ("nearest_available", 11, 4, SHIPPED)
    assert out["casualties"] == {"immediate": 15, "delayed": 25, "minimal": 50}  # the YAML's, dead left out
    assert (out["ambulances"], out["hospitals"]) == (15, 2)  # 10 + 2 + 2 + 1 road ambulances in the YAML
    assert list(out["metrics"]) == METRICS
    # independently: scenario draws from default_rng(seed), then simulate() with the same seed
    inp = scenario_input(shipped_scenario(SHIPPED), rng=np.random.default_rng(11))
    summary = simulate(inp, POLICIES["nearest_available"], seed=11, replications=4)
    for name in METRICS:
        e = summary.estimates[name]
        expected = {k: None if math.isnan(v) else v for k, v in
                    {"mean": e.mean, "low": e.low, "high": e.high}.items()}
        assert out["metrics"][name] == {**expected, "n": e.n}, name
    assert out["metrics"]["deaths"]["n"] == 4


def test_same_seed_same_json_other_seed_other_figures() -> None:
    args = (SHIPPED, "--replications", "3", "--json")
    first, second = run(*args, "--seed", "5"), run(*args, "--seed", "5")
    assert first.exit_code == 0 and first.stdout == second.stdout
    other = json.loads(run(*args, "--seed", "6").stdout)["metrics"]
    assert other != json.loads(first.stdout)["metrics"]


def test_table_lists_every_metric() -> None:
    result = run(SHIPPED, "--replications", "2", env={"COLUMNS": "200"})  # wide enough for unwrapped labels
    assert result.exit_code == 0, result.stderr
    for label in ("deaths with no care (upper bound)", "share of avoidable deaths averted",
                  "mean time to definitive care, immediate (min)", "unserved casualties"):
        assert label in result.stdout
    assert "15 immediate, 25 delayed, 50 minimal casualties" in " ".join(result.stdout.split())


def test_invalid_scenario_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = run(str(path), "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: bad.yaml:2: time_of_day: must be a time \"HH:MM\" (00:00..23:59), got '25:00'",
        "error: bad.yaml:5: hazard.location.lat: must be in -90..90, got 143.2",
        "error: bad.yaml: the scenario is invalid; nothing was simulated",
    ]
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    lines = run(str(broken)).stderr.splitlines()
    assert lines[0].startswith("error: broken.yaml:2: scenario: not valid YAML") and len(lines) == 2


@pytest.mark.parametrize(("args", "message"), [
    (("--policy", "fastest"), "error: --policy: must be one of nearest, nearest_available, rpm_greedy, optimal, not 'fastest'"),
    (("--replications", "0"), "error: --replications: must be at least 1, not 0"),
])
def test_bad_options_one_line(args: tuple[str, ...], message: str) -> None:
    result = run(SHIPPED, *args)
    assert result.exit_code == 2 and result.stderr.splitlines() == [message]


def test_unknown_scenario_one_line(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nothing.yaml"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: scenario: '{tmp_path / 'nothing.yaml'}' is neither a shipped scenario (almaty_bishkek_bus_crash, "
        "almaty_earthquake_night, atyrau_refinery_blast, petropavl_spring_flood, shymkent_market_explosion) "
        "nor a file"]


@pytest.mark.django_db
def test_registry_scenario_without_hospitals_one_line() -> None:
    result = run("shymkent_market_explosion", "--replications", "1")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: the scenario takes hospitals from the registry, and no hospital there has a current capacity "
        "report with receiving capacity; report capacity or list hospitals in the scenario"]


def test_registry_scenario_uses_the_live_board(kz) -> None:
    from django.utils import timezone
    from tests.capacity.capacity_helpers import NATIONAL, make_facility, report

    from jedel.capacity.services.reports import report_submit
    from jedel.core.simulation import ReceivingHospital

    now = timezone.now()
    shymkent = make_facility(kz["KZ-79"], "SHY-TEST")
    report_submit(actor=NATIONAL, facility=shymkent, source="api", now=now,
                  data=report(now, minutes_ago=5, mci_immediate_per_hour=2, mci_delayed_per_hour=3,
                              mci_minimal_per_hour=5))
    result = run("shymkent_market_explosion", "--replications", "2", "--seed", "4", "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["hospitals"] == 1
    # 2 + 3 + 5 = 10 patients an hour at 60 min a patient: 10 treatment slots, no admissions limit
    hospital = ReceivingHospital("SHY-TEST", "", float(shymkent.lat), float(shymkent.lon), 10, None)
    inp = scenario_input(shipped_scenario("shymkent_market_explosion"), rng=np.random.default_rng(4),
                         hospitals=[hospital])
    summary = simulate(inp, POLICIES["nearest"], seed=4, replications=2)
    assert out["metrics"]["deaths"]["mean"] == summary.estimates["deaths"].mean
    assert out["metrics"]["ambulance_utilisation"]["mean"] == summary.estimates["ambulance_utilisation"].mean


def test_earthquake_casualties_from_the_shipped_towns(tmp_path: Path) -> None:
    from importlib import resources

    from jedel.core.simulation import earthquake_impact, parse_scenario, parse_towns_csv

    text = BAD.replace('"25:00"', '"02:30"').replace(
        BAD[BAD.index("hazard:"):BAD.index("release:")],
        "hazard: {kind: earthquake, epicentre: {lat: 43.1, lon: 76.8}, magnitude: 6.5, depth_km: 15}\n")
    path = tmp_path / "quake.yaml"
    path.write_text(text, encoding="utf-8")
    result = run(str(path), "--replications", "1", "--json")
    assert result.exit_code == 0, result.stderr
    towns = parse_towns_csv(resources.files("jedel.geo.data").joinpath("kz_cities_geonames.csv").read_text("utf-8"))
    impact = earthquake_impact(parse_scenario(text).hazard, towns)  # type: ignore[arg-type]
    # each category's expected injured, rounded half up
    assert json.loads(result.stdout)["casualties"] == {
        "immediate": math.floor(impact.immediate + 0.5), "delayed": math.floor(impact.delayed + 0.5),
        "minimal": math.floor(impact.minimal + 0.5)}
    assert impact.immediate > 1  # the check above is not about an empty scenario

"""`jedel sweep`, and `jedel simulate --plot / --workers`, through Typer's CliRunner on a fresh app."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from jedel.core.simulation import POLICIES, parse_scenario, scenario_input, simulate, with_fleet
from tests.cli.test_simulate_cli import make_app

RUNNER = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"
# Two stations (2 and 1 ambulances), one listed hospital: no registry needed.
SCENARIO = """\
name: Small blast
time_of_day: "10:00"
hazard:
  kind: explosion
  location: {lat: 47.10, lon: 51.90}
  casualties: {immediate: 6, delayed: 8, minimal: 10, dead: 0}
  age_mix: {child: 0, adult: 1, older: 0}
release:
  - {minutes: 0, share: 1}
ambulances:
  - {station: A, lat: 47.12, lon: 51.88, count: 2}
  - {station: B, lat: 47.05, lon: 51.95, count: 1}
hospitals:
  - {code: H, lat: 47.11, lon: 51.92, beds: {MedicalSurgical: 40}}
"""


def run(*args: str):
    return RUNNER.invoke(make_app(), list(args), env={"JEDEL_DASK_SCHEDULER": ""})


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_json_rows_are_fleet_times_policy(scenario: Path) -> None:
    result = run("sweep", str(scenario), "--fleet", "1,3,6", "--policy", "nearest,rpm_greedy",
                 "--replications", "3", "--seed", "4", "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["scenario"], out["seed"], out["replications"], out["hospitals"]) == ("Small blast", 4, 3, 1)
    assert [(r["fleet"], r["policy"], r["replan_min"]) for r in out["rows"]] == [
        (1, "nearest", None), (1, "rpm_greedy", None), (3, "nearest", None), (3, "rpm_greedy", None),
        (6, "nearest", None), (6, "rpm_greedy", None)]
    assert set(out["rows"][0]["metrics"]["deaths"]) == {"mean", "low", "high", "n"}
    # independently: the scenario's draws from default_rng(seed), 6 ambulances split 4 + 2, then simulate()
    inp = with_fleet(scenario_input(parse_scenario(SCENARIO), rng=np.random.default_rng(4)), 6)
    assert list(inp.station_ambulances) == [4, 2]  # type: ignore[call-overload]
    direct = simulate(inp, POLICIES["rpm_greedy"], seed=4, replications=3).estimates["deaths"]
    expected = {"mean": direct.mean, "low": direct.low, "high": direct.high, "n": 3}
    assert out["rows"][5]["metrics"]["deaths"] == expected


def test_table_has_one_line_per_combination(scenario: Path) -> None:
    result = RUNNER.invoke(make_app(), ["sweep", str(scenario), "--fleet", "2,5", "--replications", "2"],
                           env={"COLUMNS": "200", "JEDEL_DASK_SCHEDULER": ""})
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if " nearest " in line]
    assert [line.split("│")[1].strip() for line in lines] == ["2", "5"]
    assert "Small blast: 2 combinations, 2 replications each, seed 1" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--fleet", "4,x"), "error: --fleet: give whole numbers of at least 1, separated by commas, not '4,x'"),
    (("--fleet", "0"), "error: --fleet: give whole numbers of at least 1, separated by commas, not '0'"),
    (("--policy", "nearest,fastest"),
     f"error: --policy: must be one of {', '.join(POLICIES)}, not 'fastest'"),
    (("--replan-interval", "-5"),
     "error: --replan-interval: give numbers greater than 0, separated by commas, not '-5'"),
    (("--workers", "-1"), "error: --workers: must be 0 or more, not -1"),
])
def test_bad_option_one_line(scenario: Path, args: tuple[str, ...], message: str) -> None:
    result = run("sweep", str(scenario), *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [message]


def test_sweep_plot_one_box_per_combination(scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "sweep.svg"
    result = run("sweep", str(scenario), "--fleet", "1,3", "--policy", "nearest,nearest_available",
                 "--replications", "4", "--json", "--plot", str(out))
    assert result.exit_code == 0, result.stderr
    root = ET.parse(out).getroot()
    boxes = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "box"]
    assert [b.get("data-label") for b in boxes] == [
        "1 ambulances\nnearest", "1 ambulances\nnearest_available", "3 ambulances\nnearest",
        "3 ambulances\nnearest_available"]
    assert all(b.get("data-n") == "4" for b in boxes)
    labels = [e.text for e in root.iter(f"{SVG}text") if "axis-label" in (e.get("class") or "")]
    assert labels == ["road ambulances and policy", "deaths per replication"]


def test_simulate_plot_policy_and_bounds(scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "deaths.svg"
    result = run("simulate", str(scenario), "--replications", "5", "--seed", "2", "--json",
                 "--plot", str(out))
    assert result.exit_code == 0, result.stderr
    boxes = [e for e in ET.parse(out).getroot().iter(f"{SVG}rect") if e.get("class") == "box"]
    assert [b.get("data-label") for b in boxes] == [
        "nearest", "no care (upper bound)", "uncapacitated care (lower bound)"]
    inp = scenario_input(parse_scenario(SCENARIO), rng=np.random.default_rng(2))
    runs = simulate(inp, POLICIES["nearest"], seed=2, replications=5).replications
    deaths = [float(r.dead.sum()) for r in runs]
    assert boxes[0].get("data-median") == f"{np.median(deaths):.6g}"
    assert boxes[0].get("data-max") == f"{max(deaths):.6g}"


def test_simulate_plot_unwritable_path_one_line(scenario: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "deaths.svg"
    result = run("simulate", str(scenario), "--replications", "1", "--plot", str(target))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: {target}: cannot write: No such file or directory"]


def test_simulate_on_two_workers_prints_the_same_json(scenario: Path) -> None:
    args = ("simulate", str(scenario), "--policy", "rpm_greedy", "--replications", "6", "--seed", "3",
            "--json")
    in_process, on_dask = run(*args), run(*args, "--workers", "2")
    assert on_dask.exit_code == 0, on_dask.stderr
    assert on_dask.stdout == in_process.stdout


def test_unreachable_scheduler_one_line(scenario: Path) -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = RUNNER.invoke(make_app(), ["simulate", str(scenario), "--replications", "2"],
                               env={"JEDEL_DASK_SCHEDULER": "tcp://127.0.0.1:1"})
    assert result.exit_code == 2 and result.stdout == ""
    assert [line for line in result.stderr.splitlines() if line] == [  # the progress bar leaves a blank line
        "error: the Dask cluster cannot run the simulation: Timed out trying to connect to tcp://127.0.0.1:1 "
        "after 1 s"]

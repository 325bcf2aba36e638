"""Replications on Dask equal the single-process simulator bit for bit; sweeps; the SVG box plot.

One local cluster of 2 worker processes serves the whole module (starting one costs seconds).
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pytest

from jedel.core.simulation import POLICIES, simulate
from jedel.core.simulation.inputs import RoadSpeeds, SimulationInput
from jedel.core.simulation.outcomes import Estimate, ReplicationResult
from jedel.core.simulation.plots import box_plot_svg
from jedel.core.simulation.scaleout import (
    open_client,
    policy_for,
    simulate_distributed,
    sweep,
    sweep_combinations,
    with_fleet,
)

SVG = "{http://www.w3.org/2000/svg}"


def _case(n: int = 50) -> SimulationInput:
    rng = np.random.default_rng(11)
    return SimulationInput(
        scene_lat_deg=[43.25, 43.31], scene_lon_deg=[76.90, 76.95], casualty_scene=rng.integers(0, 2, n),
        casualty_release_min=rng.choice([0.0, 30.0, 90.0], n), casualty_rpm=rng.integers(0, 13, n),
        station_lat_deg=[43.20, 43.40], station_lon_deg=[76.80, 77.00], station_ambulances=[2, 1],
        hospital_lat_deg=[43.22, 43.35, 43.60], hospital_lon_deg=[76.85, 76.90, 77.20],
        hospital_servers=[1, 2, 2], hospital_treatment_mean_min=[60.0, 45.0, 90.0], hospital_beds=[6, 20, 20],
        loading_min=8.0, handover_min=10.0, horizon_min=360.0,
        speeds=RoadSpeeds(city_centre_lat_deg=43.25, city_centre_lon_deg=76.92, urban_radius_km=12.0),
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with open_client(workers=2) as c:
        yield c


def _same(a: ReplicationResult, b: ReplicationResult) -> bool:
    """Every field equal, arrays element by element (NaN where the other has NaN), dtypes too."""
    for f in dataclasses.fields(ReplicationResult):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                return False
        elif x != y:
            return False
    return True


def _same_estimates(a: Mapping[str, Estimate], b: Mapping[str, Estimate]) -> bool:
    """Equal names, counts and figures (NaN, e.g. no treated casualty of a category, equal to NaN)."""
    return a.keys() == b.keys() and all(
        a[k].n == b[k].n
        and np.array_equal([a[k].mean, a[k].low, a[k].high], [b[k].mean, b[k].low, b[k].high], equal_nan=True)
        for k in a)


def test_distributed_equals_local_bit_for_bit(client: Any) -> None:
    inp = _case()
    local = simulate(inp, POLICIES["rpm_greedy"], seed=5, replications=9)
    remote = simulate_distributed(inp, "rpm_greedy", 9, 5, client=client, chunk=2)
    assert len(remote.replications) == 9
    assert all(_same(a, b) for a, b in zip(local.replications, remote.replications, strict=True))
    assert _same_estimates(remote.estimates, local.estimates)
    # the 9 replications differ from each other: the comparison above is not between copies of one run
    assert len({r.treatment_start_min.tobytes() for r in local.replications}) == 9


def test_given_indices_come_back_in_the_order_asked(client: Any) -> None:
    inp = _case()
    picked = [7, 0, 3]
    local = simulate(inp, POLICIES["nearest"], seed=2, replications=picked)
    remote = simulate_distributed(inp, "nearest", picked, 2, client=client, chunk=1)
    assert all(_same(a, b) for a, b in zip(local.replications, remote.replications, strict=True))


def test_a_scheduler_address_reaches_the_same_cluster(client: Any) -> None:
    inp = _case()
    address = client.scheduler.address
    remote = simulate_distributed(inp, "nearest_available", 4, 8, scheduler=address)
    local = simulate(inp, POLICIES["nearest_available"], seed=8, replications=4)
    assert all(_same(a, b) for a, b in zip(local.replications, remote.replications, strict=True))


@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_chunking_does_not_change_results(chunk: int) -> None:
    inp = _case()
    reference = simulate(inp, POLICIES["nearest"], seed=3, replications=7)
    # in process: the same chunks as on a cluster
    chunked = simulate_distributed(inp, "nearest", 7, 3, workers=0, chunk=chunk)
    assert all(_same(a, b) for a, b in zip(reference.replications, chunked.replications, strict=True))


def test_progress_reaches_the_total_once_per_chunk(client: Any) -> None:
    calls: list[tuple[int, int]] = []
    simulate_distributed(_case(20), "nearest", 10, 1, client=client, chunk=4,
                         progress=lambda done, total: calls.append((done, total)))
    # chunks of 4, 4 and 2 replications finish in any order: 3 calls, growing, the last at 10 of 10
    assert len(calls) == 3 and calls[-1] == (10, 10)
    assert all(t == 10 for _, t in calls) and [d for d, _ in calls] == sorted({d for d, _ in calls})
    in_process: list[tuple[int, int]] = []
    simulate_distributed(_case(20), "nearest", 10, 1, workers=0, chunk=4,
                         progress=lambda done, total: in_process.append((done, total)))
    assert in_process == [(4, 10), (8, 10), (10, 10)]


def test_with_fleet_splits_by_largest_remainder() -> None:
    inp = _case()  # stations hold 2 and 1 ambulances
    # 7 x (2/3, 1/3) = (4.67, 2.33): whole parts 4 and 2, the one left to the larger remainder
    assert list(with_fleet(inp, 7).station_ambulances) == [5, 2]  # type: ignore[call-overload]
    assert list(with_fleet(inp, 1).station_ambulances) == [1, 0]  # type: ignore[call-overload]
    assert np.array_equal(with_fleet(inp, 7).casualty_rpm, inp.casualty_rpm)
    with pytest.raises(ValueError, match="at least 1"):
        with_fleet(inp, 0)


def test_sweep_one_row_per_combination_equal_to_simulate(client: Any) -> None:
    base = _case(30)
    grid = {"fleet": [1, 4], "policy": ["nearest", "rpm_greedy"]}
    rows = sweep(lambda fleet: with_fleet(base, fleet), grid, replications=3, seed=6, client=client)
    assert [(r.parameters, r.policy, r.replan_min) for r in rows] == [
        ({"fleet": 1}, "nearest", None), ({"fleet": 1}, "rpm_greedy", None),
        ({"fleet": 4}, "nearest", None), ({"fleet": 4}, "rpm_greedy", None)]
    assert {"deaths", "critical_deaths", "averted_share", "ambulance_utilisation"} <= set(rows[0].estimates)
    for row in rows:
        fleet = int(row.parameters["fleet"])  # type: ignore[call-overload]
        direct = simulate(with_fleet(base, fleet), POLICIES[row.policy], seed=6, replications=3)
        assert row.deaths == tuple(float(r.dead.sum()) for r in direct.replications)
        assert _same_estimates(row.estimates, direct.estimates)
    # 1 ambulance loses more than 4
    assert rows[0].estimates["deaths"].mean > rows[2].estimates["deaths"].mean


class _Replanning:
    """A policy that takes a re-plan interval (as OptimalPolicy): nearest, remembering its interval."""

    def __init__(self, replan_min: float = 15.0) -> None:
        self.replan_min = replan_min

    def __call__(self, view):  # type: ignore[no-untyped-def]
        return POLICIES["nearest"](view)


def test_only_policies_that_replan_get_one_row_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(POLICIES, "replanning", _Replanning())
    grid = {"fleet": [2], "policy": ["nearest", "replanning"], "replan_min": [5.0, 30.0]}
    assert [(p, i) for _, p, i in sweep_combinations(grid)] == [
        ("nearest", None), ("replanning", 5.0), ("replanning", 30.0)]
    assert policy_for("replanning", 5.0).replan_min == 5.0
    assert policy_for("nearest", 5.0) is POLICIES["nearest"]
    base = _case(20)
    rows = sweep(lambda fleet: with_fleet(base, fleet), grid, replications=2, seed=1, workers=0)
    assert [(r.policy, r.replan_min) for r in rows] == [("nearest", None), ("replanning", 5.0),
                                                        ("replanning", 30.0)]


@pytest.mark.parametrize(("grid", "message"), [
    ({"fleet": [1]}, "'policy' is missing"),
    ({"fleet": [], "policy": ["nearest"]}, "fleet: give at least one value"),
    ({"policy": ["fastest"]}, "got 'fastest'"),
])
def test_bad_grid(grid: dict[str, list[object]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sweep(lambda **_: _case(5), grid, replications=1, seed=1, workers=0)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="chunk: must be at least 1"):
        simulate_distributed(_case(5), "nearest", 2, 1, workers=0, chunk=0)
    with pytest.raises(ValueError, match="policy: must be one of"):
        simulate_distributed(_case(5), "fastest", 2, 1, workers=0)
    with pytest.raises(ValueError, match="replications"):
        simulate_distributed(_case(5), "nearest", 0, 1, workers=0)


def test_box_plot_one_box_per_group_with_quartiles_and_axis_labels() -> None:
    svg = box_plot_svg([("nearest", [1, 2, 3, 4, 5]), ("rpm_greedy", [10, 20, float("nan")])],
                       title="Deaths & bounds", x_label="policy", y_label="deaths per replication")
    root = ET.fromstring(svg)
    boxes = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "box"]
    assert [b.get("data-label") for b in boxes] == ["nearest", "rpm_greedy"]
    # numpy linear quartiles: 1..5 -> 2, 3, 4; (10, 20) -> 12.5, 15, 17.5 (NaN left out)
    assert [(b.get("data-q1"), b.get("data-median"), b.get("data-q3"), b.get("data-n")) for b in boxes] == [
        ("2", "3", "4", "5"), ("12.5", "15", "17.5", "2")]
    # axis 0..20 (step 5) over 300 px from y = 340: 15 px a death; the first box spans 2..4 deaths
    assert (boxes[0].get("y"), boxes[0].get("height")) == ("280.00", "30.00")
    ticks = [e.text for e in root.iter(f"{SVG}text") if e.get("class") == "tick"]
    assert ticks == ["0", "5", "10", "15", "20"]
    texts = list(root.iter(f"{SVG}text"))
    labels = {e.get("class"): e.text for e in texts if "axis-label" in (e.get("class") or "")}
    assert labels == {"axis-label x": "policy", "axis-label y": "deaths per replication"}
    assert [e.text for e in root.iter(f"{SVG}text") if e.get("class") == "title"] == ["Deaths & bounds"]
    assert len([e for e in root.iter(f"{SVG}circle") if e.get("class") == "value"]) == 7


def test_box_plot_refuses_an_empty_group() -> None:
    with pytest.raises(ValueError, match="'nearest' has no value"):
        box_plot_svg([("nearest", [float("nan")])], title="t", x_label="x", y_label="y")

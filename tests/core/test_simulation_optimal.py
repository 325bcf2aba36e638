"""The ``optimal`` dispatch policy (re-planned exact trip assignment): a hand-solved case, comparison with the
baselines on seeded random cases (common random numbers), the uncapacitated bound, determinism.

Geometry as in test_simulation_simulator.py: every place on the meridian 0 deg E, detour factor 1 and 60 km/h,
so a km takes a minute. Sacco et al. (2005) survival with timely care by RPM (parameters.json): 3: 0.23,
9: 0.90, 8: 0.84, 10: 0.94; deterioration columns start at 30 min and step every 30 min.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from jedel.core.simulation import POLICIES, OptimalPolicy
from jedel.core.simulation.inputs import RoadSpeeds, SimulationInput
from jedel.core.simulation.policies import nearest
from jedel.core.simulation.simulator import replication_seed, simulate, simulate_replication

KM_PER_DEG = 6371.0088 * math.pi / 180.0
SPEED = RoadSpeeds(rural_kmh=60.0, detour_factor=1.0)  # 1 km = 1 minute


def _hand_case() -> SimulationInput:
    """One ambulance at the scene; H0 14 min north (1 slot, 60 min treatment), H1 25 min south (1 slot,
    45 min); casualties released at 0: c0 RPM 3, c1 RPM 9 (both immediate), c2 RPM 10 (delayed)."""
    return SimulationInput(
        scene_lat_deg=[0.0], scene_lon_deg=[0.0], casualty_scene=[0, 0, 0],
        casualty_release_min=[0.0, 0.0, 0.0],
        casualty_rpm=[3, 9, 10], station_lat_deg=[0.0], station_lon_deg=[0.0], station_ambulances=[1],
        hospital_lat_deg=[14.0 / KM_PER_DEG, -25.0 / KM_PER_DEG], hospital_lon_deg=[0.0, 0.0],
        hospital_servers=[1, 1], hospital_treatment_mean_min=[60.0, 45.0], treatment_time="fixed",
        speeds=SPEED, horizon_min=300.0,
    )


def test_hand_case_takes_the_optimal_order_and_hospitals() -> None:
    # Trip 1 leaves at 0: to H0 care at 14, to H1 at 25 (same 0-30 column); the ambulance is back at the scene
    # at 28 from H0. Trip 2 (pickup 28): H1 care 53; H0 arrive 42 but its slot is busy until 74. After H1 the
    # next pickup is at 78: H0 care 92 (free since 74) or H1 care 103 (free since 98).
    # Risks (1 - survival at the RPM of the care minute):
    #   c0 RPM 3: 14 -> 0.77; 53 -> RPM 1, 0.911; >= 60 RPM 0, dead.
    #   c1 RPM 9: <60 -> 0.10; 60-120 -> RPM 8, 0.16.   c2 RPM 10: <60 -> 0.06; 60-120 -> RPM 9, 0.10.
    # Best schedule: c0 -> H0 (14), c1 -> H1 (53), c2 -> H0 (92) or H1 (103): 0.77 + 0.10 + 0.10 = 0.97.
    # Others: c0, c2, c1 = 0.77 + 0.06 + 0.16 = 0.99; c1 second to H0 (74) = 0.77 + 0.16 + 0.10 = 1.03;
    # anyone before c0 leaves c0 at >= 0.911 and costs more than the 0.06 it can save.
    r = simulate_replication(_hand_case(), OptimalPolicy(), replication_seed(3, 0))
    assert r.dispatch_min == pytest.approx([0.0, 14.0, 53.0])
    assert list(r.hospital) == [0, 1, 1]  # c2: H1 forecast free at 98 (45 min from 53) vs H0 at 113 (60 min)
    assert r.treatment_start_min == pytest.approx([14.0, 53.0, 103.0])
    assert r.death_risk == pytest.approx([0.77, 0.10, 0.10])
    assert r.death_risk.sum() == pytest.approx(0.97)
    # nearest (START order, nearest hospital whatever its queue): c1 to H0, care 74 (0.16); c2 picked up at
    # 56, arrives at 70 behind c1, care 134 (RPM 8, 0.16): 1.09.
    base = simulate_replication(_hand_case(), nearest, replication_seed(3, 0))
    assert base.treatment_start_min == pytest.approx([14.0, 74.0, 134.0])
    assert base.death_risk.sum() == pytest.approx(1.09)
    # Uncapacitated bound: everyone cared for at 14 min: 0.77 + 0.10 + 0.06.
    assert r.uncapacitated_risk.sum() == pytest.approx(0.93)


def _random_case(seed: int, n: int = 60) -> SimulationInput:
    rng = np.random.default_rng(seed)
    return SimulationInput(
        scene_lat_deg=43.25 + 0.08 * rng.standard_normal(4),
        scene_lon_deg=76.90 + 0.08 * rng.standard_normal(4),
        casualty_scene=rng.integers(0, 4, n), casualty_release_min=rng.choice([0.0, 30.0, 90.0], n),
        casualty_rpm=rng.integers(1, 13, n), station_lat_deg=[43.20, 43.30], station_lon_deg=[76.85, 76.95],
        station_ambulances=[3, 2], hospital_lat_deg=43.25 + 0.06 * rng.standard_normal(3),
        hospital_lon_deg=76.92 + 0.06 * rng.standard_normal(3), hospital_servers=rng.integers(1, 4, 3),
        hospital_treatment_mean_min=rng.uniform(40.0, 90.0, 3), loading_min=8.0, handover_min=10.0,
        horizon_min=360.0,
        speeds=RoadSpeeds(city_centre_lat_deg=43.25, city_centre_lon_deg=76.92, urban_radius_km=12.0),
    )


@pytest.mark.parametrize("case_seed", [1, 2, 3])
def test_fewer_expected_deaths_than_every_baseline_and_above_the_bound(case_seed: int) -> None:
    inp = _random_case(case_seed)
    best = simulate(inp, OptimalPolicy(), seed=5, replications=8).estimates
    for name in ("nearest", "nearest_available", "rpm_greedy"):
        other = simulate(inp, POLICIES[name], seed=5, replications=8).estimates
        assert best["expected_deaths"].mean <= other["expected_deaths"].mean, name
    assert best["expected_deaths"].mean >= best["uncapacitated_expected_deaths"].mean


def test_deterministic_and_one_instance_serves_successive_runs() -> None:
    inp = _random_case(4)
    shared = POLICIES["optimal"]
    first = [simulate_replication(inp, shared, replication_seed(9, k)) for k in range(3)]
    fresh = [simulate_replication(inp, OptimalPolicy(), replication_seed(9, k)) for k in range(3)]
    for a, b in zip(first, fresh, strict=True):
        assert np.array_equal(a.hospital, b.hospital)
        assert np.array_equal(a.dispatch_min, b.dispatch_min, equal_nan=True)
        assert np.array_equal(a.outcome, b.outcome)


def test_bad_replan_interval() -> None:
    with pytest.raises(ValueError, match="replan_min: must be a finite number > 0, got 0"):
        OptimalPolicy(replan_min=0)


def test_no_trip_when_waiting_to_the_horizon_is_as_good() -> None:
    # RPM 12 stays 12 for the first hour (Sacco table, columns 0-1), so with a 50-minute horizon care at any
    # minute is worth 0.98 survival, exactly what waiting gives: no gain, no trip. nearest fetches it anyway.
    inp = SimulationInput(
        scene_lat_deg=[0.0], scene_lon_deg=[0.0], casualty_scene=[0], casualty_release_min=[0.0],
        casualty_rpm=[12], station_lat_deg=[0.0], station_lon_deg=[0.0], station_ambulances=[1],
        hospital_lat_deg=[10.0 / KM_PER_DEG], hospital_lon_deg=[0.0], hospital_servers=[1],
        hospital_treatment_mean_min=[30.0], speeds=SPEED, horizon_min=50.0,
    )
    idle = simulate_replication(inp, OptimalPolicy(), replication_seed(1, 0))
    assert np.isnan(idle.dispatch_min[0]) and idle.hospital[0] == -1
    assert idle.death_risk == pytest.approx([0.02])
    sent = simulate_replication(inp, nearest, replication_seed(1, 0))
    assert sent.dispatch_min == pytest.approx([0.0]) and sent.death_risk == pytest.approx([0.02])

"""MCI response simulator: hand-computed schedules, queueing theory, bounds, seeding and policies.

Geometry: every place lies on the meridian 0 deg E, so the great-circle distance between two of them is
``R x delta_lat x pi / 180`` with R = 6371.0088 km (IUGG mean radius). With detour factor 1 and 60 km/h a km
takes a minute. Survival and deterioration values are the Sacco et al. (2005) table as shipped
(``parameters.json``), written out below where used.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import t as student_t

from jedel.core.simulation.inputs import RoadSpeeds, SimulationInput, scenes_from_points
from jedel.core.simulation.outcomes import Outcome, estimate
from jedel.core.simulation.policies import POLICIES, nearest, nearest_available, rpm_greedy
from jedel.core.simulation.simulator import replication_seed, simulate, simulate_replication

KM_PER_DEG = 6371.0088 * math.pi / 180.0
SPEED = RoadSpeeds(rural_kmh=60.0, detour_factor=1.0)  # 1 km = 1 minute
# Sacco survival with timely care, by RPM (parameters.json, survival_probability_by_rpm)
SURVIVAL = {0: 0.052, 1: 0.089, 3: 0.23, 5: 0.49, 8: 0.84, 9: 0.90, 10: 0.94}


def _input(**kw: object) -> SimulationInput:
    base: dict[str, object] = dict(
        scene_lat_deg=[0.0], scene_lon_deg=[0.0], station_lat_deg=[0.0], station_lon_deg=[0.0],
        station_ambulances=[1], hospital_lat_deg=[0.0], hospital_lon_deg=[0.0], hospital_servers=[1],
        hospital_treatment_mean_min=[30.0], speeds=SPEED, treatment_time="fixed",
    )
    base.update(kw)
    return SimulationInput(**base)  # type: ignore[arg-type]


def _random_case(n: int = 40) -> SimulationInput:
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


def test_one_ambulance_two_casualties_round_trip_schedule() -> None:
    # Station at 0.0 deg, scene at 0.1 deg, hospital at 0.3 deg:
    # station->scene 0.1 deg, scene<->hospital 0.2 deg.
    d1, d2 = 0.1 * KM_PER_DEG, 0.2 * KM_PER_DEG  # minutes at 60 km/h
    loading, handover = 5.0, 10.0
    inp = _input(
        scene_lat_deg=[0.1], casualty_scene=[0, 0], casualty_release_min=[0.0, 0.0], casualty_rpm=[11, 5],
        hospital_lat_deg=[0.3], loading_min=loading, handover_min=handover, horizon_min=200.0,
    )
    r = simulate_replication(inp, nearest, replication_seed(1, 0))
    # START: casualty 1 (RPM 5, immediate) goes before casualty 0 (RPM 11, delayed).
    scene1 = d1
    hosp1 = scene1 + loading + d2
    start1 = hosp1 + handover
    scene0 = start1 + d2  # back from the hospital to the scene
    hosp0 = scene0 + loading + d2
    start0 = hosp0 + handover  # the slot is free again at start1 + 30 < start0
    assert r.dispatch_min == pytest.approx([start1, 0.0])
    assert r.scene_arrival_min == pytest.approx([scene0, scene1])
    assert r.hospital_arrival_min == pytest.approx([hosp0, hosp1])
    assert r.treatment_start_min == pytest.approx([start0, start1])
    assert start1 == pytest.approx(48.358, abs=1e-3) and start0 == pytest.approx(107.836, abs=1e-3)
    # RPM 5 at 48.4 min: first column (30-60 min) = 3 -> death 1 - 0.23; RPM 11 at 107.8 min: third column
    # (90-120 min) = 10 -> death 1 - 0.94.
    assert r.death_risk == pytest.approx([1 - SURVIVAL[10], 1 - SURVIVAL[3]])
    # Bounds for casualty 1: uncapacitated care after d2 = 22.2 min (RPM still 5); no care until 200 min:
    # RPM 5 is 0 from the fourth column (120 min) on -> certain death.
    assert r.uncapacitated_risk[1] == pytest.approx(1 - SURVIVAL[5])
    assert r.no_care_risk[1] == 1.0
    assert r.ambulance_busy_min == pytest.approx([start0])
    assert r.metrics()["ambulance_utilisation"] == pytest.approx(start0 / 200.0)
    assert set(r.outcome) <= {Outcome.TREATED_ALIVE, Outcome.TREATED_DEAD}


def test_hospital_queue_with_two_slots_and_fixed_arrivals() -> None:
    # Scene, station and hospital at one place, no loading or handover: patients join the queue at release.
    # 2 slots, 10 min each. Minimal (RPM 12) at 0, 0, 0, 4; delayed (RPM 10) at 6.
    # t=0: #0 and #1 start; #2 waits.  t=10: both slots free; the delayed #4 goes first, then #2 (FIFO).
    # t=20: #3 starts. Waits: 0, 0, 10, 16, 4.
    inp = _input(
        casualty_scene=[0] * 5, casualty_release_min=[0, 0, 0, 4, 6], casualty_rpm=[12, 12, 12, 12, 10],
        station_ambulances=[3], hospital_servers=[2], hospital_treatment_mean_min=[10.0],
    )
    r = simulate_replication(inp, nearest, replication_seed(0, 0))
    assert r.treatment_start_min == pytest.approx([0, 0, 10, 20, 10])
    assert r.treatment_start_min - r.release_min == pytest.approx([0, 0, 10, 16, 4])


def test_mmc_mean_wait_matches_erlang_c() -> None:
    # M/M/2 with lambda = 1/min, mean service 1.6 min (mu = 0.625): a = 1.6, rho = 0.8.
    # Erlang C = (a^2/2! * c/(c-a)) / (1 + a + a^2/2! * c/(c-a)) = 6.4 / 9.0;
    # Wq = C / (c mu - lambda) = 2.8444 min.
    a, c = 1.6, 2
    tail = a**c / math.factorial(c) * c / (c - a)
    erlang_c = tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)
    wq = erlang_c / (c * 0.625 - 1.0)
    assert wq == pytest.approx(2.8444, abs=1e-4)
    # Test-only Poisson arrivals; RPM 12 never reaches 0, so nobody leaves the queue.
    # 20 independent runs of 5000 arrivals, the first 500 dropped (start empty). The run means are nearly
    # normal, so the 99.9 % Student-t interval over 20 runs (t = 3.88) bounds the error.
    arrivals = np.random.default_rng(2024)
    n, runs, means = 5000, 20, []
    for k in range(runs):
        release = np.cumsum(arrivals.exponential(1.0, n))
        inp = _input(
            casualty_scene=np.zeros(n, dtype=int), casualty_release_min=release, casualty_rpm=np.full(n, 12),
            hospital_servers=[c], hospital_treatment_mean_min=[1.6], treatment_time="exponential",
            horizon_min=1e7,
        )
        r = simulate_replication(inp, nearest_available, replication_seed(7, k))
        assert r.count(Outcome.UNSERVED) == 0
        means.append(float((r.treatment_start_min - r.release_min)[500:].mean()))
    half = float(student_t.ppf(0.9995, runs - 1)) * float(np.std(means, ddof=1)) / math.sqrt(runs)
    assert abs(float(np.mean(means)) - wq) < half
    assert half < 0.2 * wq  # the run is long enough for the check to mean something


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_every_casualty_ends_in_exactly_one_state(name: str) -> None:
    inp = _random_case()
    r = simulate_replication(inp, POLICIES[name], replication_seed(5, 0))
    counts = [r.count(o) for o in Outcome]
    assert sum(counts) == inp.n_casualties == 40
    treated = (r.outcome == Outcome.TREATED_ALIVE) | (r.outcome == Outcome.TREATED_DEAD)
    assert np.array_equal(treated, np.isfinite(r.treatment_start_min))
    assert np.all(r.treatment_start_min[treated] <= 360.0)
    # Scene RPM 0 (START black) died before anything could happen, with no treatment.
    rpm0 = np.asarray(inp.casualty_rpm) == 0
    assert np.all(r.outcome[rpm0] == Outcome.DIED_WAITING)
    m = r.metrics()
    unserved_dead = int((r.no_care_dead & (r.outcome == Outcome.UNSERVED)).sum())
    assert m["deaths"] == counts[Outcome.TREATED_DEAD] + counts[Outcome.DIED_WAITING] + unserved_dead


def test_same_seed_same_results_and_replications_are_independent() -> None:
    inp = _random_case()
    batch = simulate(inp, rpm_greedy, seed=42, replications=6)
    again = simulate(inp, rpm_greedy, seed=42, replications=6)
    alone = simulate(inp, rpm_greedy, seed=42, replications=[4]).replications[0]
    direct = simulate_replication(inp, rpm_greedy, np.random.SeedSequence(42).spawn(6)[4])
    for field in ("outcome", "treatment_start_min", "hospital", "ambulance", "death_risk", "no_care_dead"):
        for a, b in zip(batch.replications, again.replications, strict=True):
            assert np.array_equal(getattr(a, field), getattr(b, field), equal_nan=field != "outcome")
        for other in (alone, direct):
            ref = getattr(batch.replications[4], field)
            assert np.array_equal(ref, getattr(other, field), equal_nan=field != "outcome")
    # Different replications draw differently (the survival uniforms differ).
    assert not np.array_equal(batch.replications[0].no_care_dead, batch.replications[1].no_care_dead)


def test_bounds_bracket_every_policy() -> None:
    inp = _random_case()
    for policy in POLICIES.values():
        for r in simulate(inp, policy, seed=3, replications=4).replications:
            m = r.metrics()
            assert m["uncapacitated_deaths"] <= m["deaths"] <= m["no_care_deaths"]
            assert m["uncapacitated_expected_deaths"] <= m["expected_deaths"] <= m["no_care_expected_deaths"]
            assert 0.0 <= m["averted_share"] <= 1.0


def test_nearest_overloads_a_one_slot_hospital() -> None:
    # Four RPM 8 (immediate) casualties at the scene at minute 0, four ambulances already there.
    # Hospital A: 0.05 deg north, 1 slot; hospital B: 0.1 deg south, 4 slots; both treat for 120 min.
    # nearest sends all four to A: care starts at tA, tA+120, tA+240 and the fourth dies in the queue when
    # RPM 8 reaches 0 (ninth column, 270 min). nearest_available sends the first to A, whose only slot is
    # then taken, and the other three to B (tB).
    ta, tb = 0.05 * KM_PER_DEG, 0.1 * KM_PER_DEG
    inp = _input(
        casualty_scene=[0] * 4, casualty_release_min=[0.0] * 4, casualty_rpm=[8] * 4, station_ambulances=[4],
        hospital_lat_deg=[0.05, -0.1], hospital_lon_deg=[0.0, 0.0], hospital_servers=[1, 4],
        hospital_treatment_mean_min=[120.0, 120.0], horizon_min=400.0,
    )
    near = simulate_replication(inp, nearest, replication_seed(9, 0))
    avail = simulate_replication(inp, nearest_available, replication_seed(9, 0))
    assert np.sort(near.treatment_start_min)[:3] == pytest.approx([ta, ta + 120, ta + 240])
    assert near.count(Outcome.DIED_WAITING) == 1
    assert np.sort(avail.treatment_start_min) == pytest.approx([ta, tb, tb, tb])
    # RPM 8 by column: 8 (0-30 min), ..., 5 (120-150), ..., 1 (240-270), 0 from 270.
    expected_near = (1 - SURVIVAL[8]) + (1 - SURVIVAL[5]) + (1 - SURVIVAL[1]) + 1.0
    expected_avail = 4 * (1 - SURVIVAL[8])
    assert near.death_risk.sum() == pytest.approx(expected_near)
    assert avail.death_risk.sum() == pytest.approx(expected_avail)


def test_rpm_greedy_fetches_the_casualty_who_loses_most_by_waiting() -> None:
    # One ambulance at the scene; hospital 0.1 deg away (d minutes) with 2 slots; no loading or handover.
    # Casualty 0: RPM 9, casualty 1: RPM 3, both immediate, both released at 0.
    # If fetched now, care starts at d (both keep their scene RPM); if fetched next, at 3d = 33.4 min
    # (first column): RPM 9 stays 9 (gain 0), RPM 3 becomes 1 (gain 0.23 - 0.089). START order takes
    # casualty 0 first; rpm_greedy takes casualty 1.
    d = 0.1 * KM_PER_DEG
    inp = _input(casualty_scene=[0, 0], casualty_release_min=[0.0, 0.0], casualty_rpm=[9, 3],
                 hospital_lat_deg=[0.1], hospital_servers=[2])
    start = simulate_replication(inp, nearest, replication_seed(0, 0))
    greedy = simulate_replication(inp, rpm_greedy, replication_seed(0, 0))
    assert start.treatment_start_min == pytest.approx([d, 3 * d])
    assert greedy.treatment_start_min == pytest.approx([3 * d, d])
    assert start.death_risk.sum() == pytest.approx((1 - SURVIVAL[9]) + (1 - SURVIVAL[1]))
    assert greedy.death_risk.sum() == pytest.approx((1 - SURVIVAL[9]) + (1 - SURVIVAL[3]))


def test_urban_speed_inside_the_city_disc() -> None:
    # City centre at 0 deg, radius 20 km; scene 0.1 deg (11.1 km, inside), hospital 0.3 deg (33.4 km,
    # outside):
    # the scene-hospital leg is rural (60 km/h); a hospital at 0.15 deg (16.7 km) is urban (30 km/h).
    speeds = RoadSpeeds(urban_kmh=30.0, rural_kmh=60.0, detour_factor=1.0, city_centre_lat_deg=0.0,
                        city_centre_lon_deg=0.0, urban_radius_km=20.0)
    for hosp_lat, minutes in ((0.3, 0.2 * KM_PER_DEG), (0.15, 0.05 * KM_PER_DEG * 2.0)):
        inp = _input(
            scene_lat_deg=[0.1], station_lat_deg=[0.1], casualty_scene=[0], casualty_release_min=[0.0],
            casualty_rpm=[12], hospital_lat_deg=[hosp_lat], speeds=speeds,
        )
        r = simulate_replication(inp, nearest, replication_seed(0, 0))
        assert r.hospital_arrival_min == pytest.approx([minutes])


def test_t_interval_by_hand() -> None:
    # values 1, 2, 3: mean 2, s = 1, t(0.975, 2) = 4.3027 -> 2 +- 4.3027 / sqrt(3) = 2 +- 2.4841
    e = estimate([1.0, 2.0, float("nan"), 3.0])
    assert (e.mean, e.n) == (2.0, 3)
    assert (e.low, e.high) == pytest.approx((2 - 2.48414, 2 + 2.48414), abs=1e-4)


def test_scenes_from_points_groups_identical_positions() -> None:
    lat, lon, idx = scenes_from_points([43.2, 43.3, 43.2], [76.9, 76.9, 76.9])
    assert lat.tolist() == [43.2, 43.3] and lon.tolist() == [76.9, 76.9] and idx.tolist() == [0, 1, 0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"casualty_rpm": [13]}, "casualty_rpm"),
        ({"casualty_rpm": [5.5]}, "casualty_rpm"),
        ({"casualty_scene": [1]}, "casualty_scene"),
        ({"casualty_release_min": [0.0, 1.0]}, "casualty_release_min"),
        ({"hospital_servers": [0]}, "hospital_servers"),
        ({"treatment_time": "lognormal"}, "treatment_time"),
        ({"horizon_min": -1.0}, "horizon_min"),
    ],
)
def test_bad_input_is_refused_with_the_field_name(change: dict[str, object], message: str) -> None:
    kw: dict[str, object] = {"casualty_scene": [0], "casualty_release_min": [0.0], "casualty_rpm": [12]}
    kw.update(change)
    with pytest.raises(ValueError, match=message):
        _input(**kw)

"""Scenario -> simulator input: casualty counts, release waves, RPM bands, hospitals and damage, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from jedel.core.distribution.model import Hospital
from jedel.core.simulation import (
    BridgeAssumptions,
    EarthquakeHazard,
    Point,
    ReceivingHospital,
    StartSplit,
    Town,
    earthquake_impact,
    hospitals_from_hourly_capacity,
    largest_remainder,
    parse_scenario,
    scenario_casualties,
    scenario_input,
)
from jedel.core.simulation.inputs import _category_of_rpm

TINY = """\
name: Tiny blast
time_of_day: "10:00"
hazard:
  kind: explosion
  location: {lat: 0.1, lon: 0.0}
  casualties: {immediate: 4, delayed: 3, minimal: 6, dead: 5}
  age_mix: {child: 0, adult: 1, older: 0}
release:
  - {minutes: 0, share: 0.6}
  - {minutes: 20, share: 0.25}
  - {minutes: 45, share: 0.15}
ambulances:
  - {station: A, lat: 0.0, lon: 0.0, count: 2}
  - {station: B, lat: 0.2, lon: 0.0, count: 1}
hospitals:
  - {code: H1, lat: 0.3, lon: 0, beds: {MedicalSurgical: 90, AdultICU: 15, OperatingRooms: 5}, damage: 0.4}
  - {code: H2, lat: 0.5, lon: 0, beds: {Pediatrics: 7}}
  - {code: H3, lat: 0.6, lon: 0, beds: {MedicalSurgical: 50, OperatingRooms: 2}, damage: 1}
"""
REGISTRY = TINY[: TINY.index("hospitals:")] + "hospitals: {from_registry: true}\n"


def test_largest_remainder_by_hand() -> None:
    # 13 x (0.6, 0.25, 0.15) = 7.8, 3.25, 1.95: floors 7, 3, 1 (11); the 2 left go to .95 and .8
    assert largest_remainder(13, [0.6, 0.25, 0.15]) == [8, 3, 2]
    # 10 in thirds: 3, 3, 3 and the one left to the first of the equal remainders
    assert largest_remainder(10, [1 / 3, 1 / 3, 1 / 3]) == [4, 3, 3]
    # 5 x (0.45, 0.45, 0.1) = 2.25, 2.25, 0.5: floors 2, 2, 0; the one left goes to the 0.5
    assert largest_remainder(5, [0.45, 0.45, 0.1]) == [2, 2, 1]
    assert largest_remainder(0, [0.5, 0.5]) == [0, 0]


def test_incident_counts_release_waves_and_rpm_bands() -> None:
    inp = scenario_input(parse_scenario(TINY), rng=np.random.default_rng(7))
    # the 5 dead are not simulated: 4 + 3 + 6 living, category by category
    assert inp.n_casualties == 13
    assert list(np.asarray(inp.casualty_category)) == [0] * 4 + [1] * 3 + [2] * 6
    assert list(np.asarray(inp.casualty_scene)) == [0] * 13
    assert list(np.asarray(inp.scene_lat_deg)) == [0.1] and list(np.asarray(inp.scene_lon_deg)) == [0.0]
    # waves: 8 at 0 min, 3 at 20, 2 at 45 (largest remainder, above)
    release = np.asarray(inp.casualty_release_min)
    assert sorted(release.tolist()) == [0.0] * 8 + [20.0] * 3 + [45.0] * 2
    # RPM bands (DEFAULT_CATEGORY_RPM_BANDS): immediate 3-9, delayed 10-11, minimal 12
    rpm = np.asarray(inp.casualty_rpm)
    assert all(3 <= r <= 9 for r in rpm[:4]) and all(10 <= r <= 11 for r in rpm[4:7])
    assert rpm[7:].tolist() == [12] * 6
    # ... so the category the simulator would derive from the RPM is the scenario's
    assert _category_of_rpm()[rpm].tolist() == np.asarray(inp.casualty_category).tolist()
    # stations as given; horizon 12 h after the last wave (45 + 720); default loading and handover 10 min
    assert np.asarray(inp.station_lat_deg).tolist() == [0.0, 0.2]
    assert np.asarray(inp.station_ambulances).tolist() == [2, 1]
    assert (inp.horizon_min, inp.loading_min, inp.handover_min) == (765.0, 10.0, 10.0)


def test_seeded_draws() -> None:
    scenario = parse_scenario(TINY)
    a = scenario_input(scenario, rng=np.random.default_rng(3))
    b = scenario_input(scenario, rng=np.random.default_rng(3))
    assert np.array_equal(a.casualty_rpm, b.casualty_rpm)
    assert np.array_equal(a.casualty_release_min, b.casualty_release_min)
    # over many seeds every RPM of the immediate band appears, and the release order changes
    seen = set()
    orders = set()
    for seed in range(60):
        inp = scenario_input(scenario, rng=np.random.default_rng(seed))
        seen |= set(np.asarray(inp.casualty_rpm)[:4].tolist())
        orders.add(tuple(np.asarray(inp.casualty_release_min).tolist()))
    assert seen == set(range(3, 10)) and len(orders) > 1


def test_hospital_damage() -> None:
    inp = scenario_input(parse_scenario(TINY), rng=np.random.default_rng(1),
                         assumptions=BridgeAssumptions(treatment_mean_min=45.0))
    # H1: beds 90 + 15 (operating rooms are not beds) x (1 - 0.4) = 63; slots: 5 rooms x 0.6 = 3
    # H2: intact, 7 beds, no operating room listed: 1 slot
    # H3: damage 1: no admission (closed), 1 slot kept so the input is valid
    assert np.asarray(inp.hospital_beds).tolist() == [63, 7, 0]
    assert np.asarray(inp.hospital_servers).tolist() == [3, 1, 1]
    assert np.asarray(inp.hospital_treatment_mean_min).tolist() == [45.0, 45.0, 45.0]
    assert np.asarray(inp.hospital_lat_deg).tolist() == [0.3, 0.5, 0.6]


def test_registry_hospitals_from_hourly_capacity() -> None:
    board = [
        Hospital("A", {"immediate": 4, "delayed": 8, "minimal": 20, "expectant": 5}, lat_deg=0.3, lon_deg=0.0),
        Hospital("B", {"immediate": 3}, name="B", lat_deg=0.4, lon_deg=0.0),
        Hospital("CLOSED", {"expectant": 5}, lat_deg=0.5, lon_deg=0.0),  # no treatment capacity
        Hospital("NOWHERE", {"immediate": 2}),  # no position
    ]
    # 32 per hour at 60 min a patient: 32 slots; 3 per hour: 3 slots; at 50 min: 32 x 50/60 = 26.7 -> 27, 2.5 -> 3
    assert [(h.code, h.treatment_slots, h.admissions) for h in hospitals_from_hourly_capacity(board)] == [
        ("A", 32, None), ("B", 3, None)]
    slow = hospitals_from_hourly_capacity(board, BridgeAssumptions(treatment_mean_min=50.0))
    assert [h.treatment_slots for h in slow] == [27, 3]
    inp = scenario_input(parse_scenario(REGISTRY), rng=np.random.default_rng(1),
                         hospitals=hospitals_from_hourly_capacity(board))
    assert inp.hospital_beds is None and np.asarray(inp.hospital_servers).tolist() == [32, 3]


def test_hospital_source_errors() -> None:
    one = (ReceivingHospital("X", "", 0.3, 0.0, 1, None),)
    with pytest.raises(ValueError, match="takes its hospitals from the registry"):
        scenario_input(parse_scenario(REGISTRY), rng=np.random.default_rng(1))
    with pytest.raises(ValueError, match="lists its own hospitals"):
        scenario_input(parse_scenario(TINY), rng=np.random.default_rng(1), hospitals=one)
    # a scenario's own "no limit" hospitals mixed with limited ones: the limit becomes the casualty count
    mixed = (ReceivingHospital("X", "", 0.3, 0.0, 1, None), ReceivingHospital("Y", "", 0.4, 0.0, 1, 2))
    inp = scenario_input(parse_scenario(REGISTRY), rng=np.random.default_rng(1), hospitals=mixed)
    assert np.asarray(inp.hospital_beds).tolist() == [13, 2]


def test_earthquake_casualties_over_towns() -> None:
    # A and B lie 0.05 deg north and south of the epicentre on its meridian: one distance, one MMI bin (8),
    # so one PAGER rate and deaths in proportion to population, 2 : 1. C is far away (MMI 1): no casualty.
    hazard = EarthquakeHazard(Point(43.0, 77.0), 7.0, 10.0, 3.0, StartSplit(0.2, 0.3, 0.5))
    towns = (Town("A", 43.05, 77.0, 200_000), Town("B", 42.95, 77.0, 100_000), Town("C", 50.0, 60.0, 1_000_000))
    impact = earthquake_impact(hazard, towns)
    # expected injured by category, rounded half up: 73.08 -> 73, 109.6 -> 110, 182.7 -> 183
    assert [round(x, 1) for x in (impact.immediate, impact.delayed, impact.minimal)] == [73.1, 109.6, 182.7]
    text = TINY.replace(TINY[TINY.index("hazard:"):TINY.index("release:")],
                        "hazard: {kind: earthquake, epicentre: {lat: 43.0, lon: 77.0}, magnitude: 7, depth_km: 10,"
                        " injured_split: {immediate: 0.2, delayed: 0.3, minimal: 0.5}}\n")
    scenario = parse_scenario(text)
    scenes, counts = scenario_casualties(scenario, towns)
    assert scenes == ((43.05, 77.0), (42.95, 77.0))
    # 73 x 2/3 = 48.67 | 24.33 -> 48 + 24, one left to A; 110: 73.33 | 36.67 -> one left to B; 183: 122 | 61
    assert {c.value: v for c, v in counts.items()} == {
        "immediate": [49, 24], "delayed": [73, 37], "minimal": [122, 61]}
    inp = scenario_input(scenario, rng=np.random.default_rng(5), towns=towns)
    assert inp.n_casualties == 73 + 110 + 183
    scene = np.asarray(inp.casualty_scene)
    assert (int(np.count_nonzero(scene == 0)), int(np.count_nonzero(scene == 1))) == (49 + 73 + 122, 24 + 37 + 61)
    with pytest.raises(ValueError, match="towns"):
        scenario_casualties(scenario)

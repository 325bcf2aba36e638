"""jedel.core.travel.missions: mission ETAs composed from the core leg models, hand-computed (no database).

Helicopter default: 220 km/h, route factor 1.05, 15 min dispatch, 600 km range. 100 km → 100 × 1.05 / 220 × 60 =
28.6364 min. Fixed-wing: 400 km/h → 100 km = 15.75 min, 45 min dispatch. Road (rural): 1.3 min per km.
"""

from __future__ import annotations

import math

import pytest

from jedel.core.travel import FIXED_WING, HELICOPTER, air_time_min
from jedel.core.travel.missions import (
    MissionEta,
    MissionParameters,
    fixed_wing_mission_min,
    flight_time_min,
    helicopter_mission_min,
    road_mission_min,
    with_daylight,
    within_daylight,
)


def test_flight_leg_matches_the_air_model_without_its_fixed_minutes():
    assert flight_time_min(100.0, HELICOPTER) == pytest.approx(28.6364, abs=1e-4)
    assert flight_time_min(100.0, HELICOPTER) == pytest.approx(float(air_time_min(100.0, HELICOPTER)) - 15.0)
    assert flight_time_min(601.0, HELICOPTER) == math.inf


def test_road_mission():
    eta = road_mission_min(base_to_origin_km=10.0, origin_to_dest_km=100.0)
    assert (eta.at_patient_min, eta.delivered_min, eta.feasible) == (pytest.approx(23.0), pytest.approx(173.0), True)


def test_helicopter_mission_and_its_range_per_leg():
    eta = helicopter_mission_min(base_to_origin_km=100.0, origin_to_dest_km=200.0, aircraft=HELICOPTER)
    assert eta.at_patient_min == pytest.approx(43.6364, abs=1e-4)           # 15 + 28.6364
    assert eta.delivered_min == pytest.approx(120.9091, abs=1e-4)           # + 20 + 57.2727
    assert helicopter_mission_min(base_to_origin_km=700.0, origin_to_dest_km=10.0,
                                  aircraft=HELICOPTER).reason == "out_of_range"


def test_fixed_wing_mission_with_airfield_road_legs():
    eta = fixed_wing_mission_min(base_to_origin_airfield_km=400.0, origin_airfield_to_origin_km=10.0,
                                 origin_airfield_to_dest_airfield_km=800.0, dest_airfield_to_dest_km=20.0,
                                 aircraft=FIXED_WING)
    assert eta.at_patient_min == pytest.approx(45 + 63.0 + 13.0)            # 121.0
    assert eta.delivered_min == pytest.approx(121.0 + 20 + 13.0 + 126.0 + 26.0)  # 306.0


def test_daylight_window():
    assert within_daylight(6.0, 60) and within_daylight(18.0, 120)
    assert not within_daylight(5.5, 10) and not within_daylight(18.5, 120)
    eta = MissionEta(40.0, 100.0)
    assert with_daylight(eta, start_hour_local=19.0, night_capable=False).reason == "night"
    assert with_daylight(eta, start_hour_local=19.0, night_capable=True).reason == ""
    with pytest.raises(ValueError):
        MissionParameters(day_start_hour=20, day_end_hour=6)

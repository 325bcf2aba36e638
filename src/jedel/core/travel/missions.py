"""Transport missions of an inter-facility transfer: minutes until the crew is at the patient and until the
patient is delivered, by road ambulance, helicopter or fixed-wing aircraft (with the airfield road legs).

Built on the leg models of :mod:`jedel.core.travel.modes` (``road_time_min``, ``AircraftParameters``); every
default here is an **assumption** to be replaced per deployment with dispatch data (no published Kazakhstan
figure was read). Times are minutes from the moment of dispatch; distances are great-circle kilometres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jedel.core.travel.modes import AircraftParameters, RoadClass, RoadParameters, road_time_min


@dataclass(frozen=True)
class MissionParameters:
    """Fixed times and the daylight window of a transfer mission.

    Attributes:
        road_preparation_min: minutes from dispatch until a road crew leaves its station. Assumption 10 min
            (a crew on standby; comparable to the 15 min an aircraft needs, see ``HELICOPTER``).
        handover_min: minutes at the sending hospital to hand over and package a critical patient (ventilator
            switched to the transport unit, lines secured). Assumption 20 min.
        day_start_hour: local hour from which a day-only (VFR) helicopter may fly. Assumption 6.0.
        day_end_hour: local hour by which a day-only helicopter must have delivered. Assumption 20.0
            (civil twilight in Kazakhstan ranges about 17:30-21:30 over the year; a fixed window is coarse).
    """

    road_preparation_min: float = 10.0
    handover_min: float = 20.0
    day_start_hour: float = 6.0
    day_end_hour: float = 20.0

    def __post_init__(self) -> None:
        for name in ("road_preparation_min", "handover_min"):
            value = getattr(self, name)
            if not (value >= 0 and math.isfinite(value)):
                raise ValueError(f"{name}: must be a finite number >= 0, got {value}")
        if not 0 <= self.day_start_hour < self.day_end_hour <= 24:
            raise ValueError("day_start_hour < day_end_hour, both within 0-24")


@dataclass(frozen=True)
class MissionEta:
    """Minutes from dispatch: crew at the patient, patient delivered; why not, when not feasible.

    ``reason`` is "" when feasible, else ``out_of_range`` (a flight leg beyond the aircraft's range) or
    ``night`` (a day-only aircraft would fly outside the daylight window).
    """

    at_patient_min: float
    delivered_min: float
    reason: str = ""

    @property
    def feasible(self) -> bool:
        return self.reason == ""


def flight_time_min(distance_km: float, aircraft: AircraftParameters) -> float:
    """Airborne minutes of one leg: ``distance_km * route_factor / block_speed_kmh * 60``; ``inf`` beyond range.

    Args:
        distance_km: great-circle distance of the leg, km (>= 0).
        aircraft: aircraft parameters (its dispatch and ground minutes are *not* added here).
    """
    if distance_km > aircraft.max_range_km:
        return math.inf
    return distance_km * aircraft.route_factor * 60.0 / aircraft.block_speed_kmh


def _road(distance_km: float, road: RoadParameters | None) -> float:
    return float(road_time_min(distance_km, RoadClass.RURAL, road))


def road_mission_min(*, base_to_origin_km: float, origin_to_dest_km: float,
                     params: MissionParameters | None = None, road: RoadParameters | None = None) -> MissionEta:
    """A road ambulance from its station: preparation + road to the sending hospital; + handover + road on.

    Road legs use ``road_time_min`` on rural roads (detour 1.3, 60 km/h by default).
    """
    p = params or MissionParameters()
    at_patient = p.road_preparation_min + _road(base_to_origin_km, road)
    return MissionEta(at_patient, at_patient + p.handover_min + _road(origin_to_dest_km, road))


def helicopter_mission_min(*, base_to_origin_km: float, origin_to_dest_km: float, aircraft: AircraftParameters,
                           params: MissionParameters | None = None) -> MissionEta:
    """A helicopter landing at both hospitals: dispatch + flight to the patient; + handover + flight on.

    Each leg must lie within ``aircraft.max_range_km`` (no refuelling stop is modelled).
    """
    p = params or MissionParameters()
    first, second = flight_time_min(base_to_origin_km, aircraft), flight_time_min(origin_to_dest_km, aircraft)
    if math.isinf(first) or math.isinf(second):
        return MissionEta(math.inf, math.inf, "out_of_range")
    at_patient = aircraft.dispatch_min + first
    return MissionEta(at_patient, at_patient + p.handover_min + second)


def fixed_wing_mission_min(*, base_to_origin_airfield_km: float, origin_airfield_to_origin_km: float,
                           origin_airfield_to_dest_airfield_km: float, dest_airfield_to_dest_km: float,
                           aircraft: AircraftParameters, params: MissionParameters | None = None,
                           road: RoadParameters | None = None) -> MissionEta:
    """A fixed-wing aircraft between airfields, with the road legs airfield <-> hospital at both ends.

    At the patient: dispatch + flight base -> origin airfield + road airfield -> sending hospital. Delivered:
    + handover + road back to the airfield + flight to the destination airfield + road to the receiving
    hospital. The computed road legs replace the aircraft's flat ``ground_transfer_min``.
    """
    p = params or MissionParameters()
    first = flight_time_min(base_to_origin_airfield_km, aircraft)
    second = flight_time_min(origin_airfield_to_dest_airfield_km, aircraft)
    if math.isinf(first) or math.isinf(second):
        return MissionEta(math.inf, math.inf, "out_of_range")
    to_patient = _road(origin_airfield_to_origin_km, road)
    at_patient = aircraft.dispatch_min + first + to_patient
    delivered = at_patient + p.handover_min + to_patient + second + _road(dest_airfield_to_dest_km, road)
    return MissionEta(at_patient, delivered)


def within_daylight(start_hour_local: float, duration_min: float, params: MissionParameters | None = None) -> bool:
    """True when a mission starting at ``start_hour_local`` (0-24) and lasting ``duration_min`` stays within
    the daylight window of ``params`` (the same day)."""
    p = params or MissionParameters()
    end = start_hour_local + duration_min / 60.0
    return p.day_start_hour <= start_hour_local and end <= p.day_end_hour


def with_daylight(eta: MissionEta, *, start_hour_local: float, night_capable: bool,
                  params: MissionParameters | None = None) -> MissionEta:
    """``eta`` marked ``night`` when a day-only aircraft could not complete it in daylight."""
    if not eta.feasible or night_capable or within_daylight(start_hour_local, eta.delivered_min, params):
        return eta
    return MissionEta(eta.at_patient_min, eta.delivered_min, "night")

"""Travel-time models: road ambulance by road class, helicopter and fixed-wing air ambulance.

Every default below is an **assumption** (no published Kazakhstan-wide figure was read), chosen inside
published bounds where one is cited; override them per deployment with real dispatch data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jedel.core.travel.geodesic import distance_matrix_km


class RoadClass(StrEnum):
    """Road class that sets the average ambulance speed."""

    URBAN = "urban"
    RURAL = "rural"
    HIGHWAY = "highway"


class TravelMode(StrEnum):
    """Means of transport to the hospital."""

    ROAD = "road"
    HELICOPTER = "helicopter"
    FIXED_WING = "fixed_wing"


def _positive(name: str, value: float) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name}: must be a finite number > 0, got {value}")


def _non_negative(name: str, value: float) -> None:
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"{name}: must be a finite number >= 0, got {value}")


@dataclass(frozen=True)
class RoadParameters:
    """Road ambulance: straight-line distance x detour factor / average speed + fixed time.

    Attributes:
        detour_factor: road distance / great-circle distance. Assumption 1.3: detour (circuity) indices
            in the literature are mostly 1.2-1.4 (e.g. Boscoe FP et al. Prof Geogr 2012;64(2):188-196,
            driving vs straight-line distance to US hospitals); no Kazakhstan value was read.
        urban_speed_kmh: average ambulance speed in towns. Assumption 30 km/h: half the 60 km/h limit in
            settlements (Rules of the Road of the Republic of Kazakhstan, Government Decree No. 1196 of
            13 Nov 2014, section 10) to allow for junctions and congestion.
        rural_speed_kmh: outside settlements. Assumption 60 km/h (limit 90 km/h on ordinary roads).
        highway_speed_kmh: on motorways. Assumption 90 km/h (limit 110 km/h on motorways).
        fixed_min: minutes added to every trip (loading, handover). Assumption 0.
    """

    detour_factor: float = 1.3
    urban_speed_kmh: float = 30.0
    rural_speed_kmh: float = 60.0
    highway_speed_kmh: float = 90.0
    fixed_min: float = 0.0

    def __post_init__(self) -> None:
        if not (self.detour_factor >= 1.0 and math.isfinite(self.detour_factor)):
            raise ValueError(f"detour_factor: must be >= 1, got {self.detour_factor}")
        _positive("urban_speed_kmh", self.urban_speed_kmh)
        _positive("rural_speed_kmh", self.rural_speed_kmh)
        _positive("highway_speed_kmh", self.highway_speed_kmh)
        _non_negative("fixed_min", self.fixed_min)

    def speed_kmh(self, road_class: RoadClass | str) -> float:
        """Average speed (km/h) for a road class."""
        cls = RoadClass(road_class)
        return {
            RoadClass.URBAN: self.urban_speed_kmh,
            RoadClass.RURAL: self.rural_speed_kmh,
            RoadClass.HIGHWAY: self.highway_speed_kmh,
        }[cls]


@dataclass(frozen=True)
class AircraftParameters:
    """Air ambulance: dispatch + ground legs + great-circle distance x route factor / block speed.

    Attributes:
        name: label.
        block_speed_kmh: average speed over the flight including climb and descent.
        dispatch_min: minutes from request to take-off (crew, preparation).
        ground_transfer_min: minutes of road legs and handovers at both ends (0 for a helicopter landing at
            the scene and the hospital's pad).
        route_factor: flown distance / great-circle distance.
        max_range_km: beyond this great-circle distance the mode is unavailable (time = inf).
    """

    name: str
    block_speed_kmh: float
    dispatch_min: float
    ground_transfer_min: float = 0.0
    route_factor: float = 1.05
    max_range_km: float = math.inf

    def __post_init__(self) -> None:
        _positive("block_speed_kmh", self.block_speed_kmh)
        _non_negative("dispatch_min", self.dispatch_min)
        _non_negative("ground_transfer_min", self.ground_transfer_min)
        if not (self.route_factor >= 1.0 and math.isfinite(self.route_factor)):
            raise ValueError(f"route_factor: must be >= 1, got {self.route_factor}")
        if not self.max_range_km > 0:
            raise ValueError(f"max_range_km: must be > 0, got {self.max_range_km}")


HELICOPTER = AircraftParameters(
    name="helicopter", block_speed_kmh=220.0, dispatch_min=15.0, ground_transfer_min=0.0, max_range_km=600.0
)
"""Default helicopter (assumption): 220 km/h block speed, below the ~240 km/h cruise of the Airbus
H145/EC145 class used for air ambulance; 15 min from call to lift-off; lands at scene and hospital;
600 km range without refuelling (assumption)."""

FIXED_WING = AircraftParameters(
    name="fixed_wing", block_speed_kmh=400.0, dispatch_min=45.0, ground_transfer_min=60.0
)
"""Default fixed-wing (assumption): 400 km/h block speed (light twin turboprop class); 45 min from call to
take-off; 60 min in total for the road legs airport <-> scene and airport <-> hospital."""


def road_time_min(
    distance_km: ArrayLike,
    road_class: RoadClass | str = RoadClass.RURAL,
    params: RoadParameters | None = None,
) -> NDArray[np.float64]:
    """Road ambulance minutes for great-circle distances (broadcast).

    Args:
        distance_km: great-circle distances, km (>= 0).
        road_class: urban, rural or highway (sets the average speed).
        params: road parameters (documented assumptions by default).

    Returns:
        ``fixed_min + distance_km * detour_factor / speed_kmh * 60`` in minutes.
    """
    p = params if params is not None else RoadParameters()
    d = np.asarray(distance_km, dtype=np.float64)
    result: NDArray[np.float64] = p.fixed_min + d * (p.detour_factor * 60.0 / p.speed_kmh(road_class))
    return result


def air_time_min(distance_km: ArrayLike, aircraft: AircraftParameters = HELICOPTER) -> NDArray[np.float64]:
    """Air ambulance minutes for great-circle distances (broadcast); ``inf`` beyond ``max_range_km``.

    Args:
        distance_km: great-circle distances, km (>= 0).
        aircraft: aircraft parameters (:data:`HELICOPTER` or :data:`FIXED_WING` defaults, assumptions).

    Returns:
        ``dispatch_min + ground_transfer_min + distance_km * route_factor / block_speed_kmh * 60`` minutes.
    """
    d = np.asarray(distance_km, dtype=np.float64)
    fixed = aircraft.dispatch_min + aircraft.ground_transfer_min
    t = fixed + d * (aircraft.route_factor * 60.0 / aircraft.block_speed_kmh)
    result: NDArray[np.float64] = np.where(d <= aircraft.max_range_km, t, np.inf)
    return result


def travel_time_matrix_min(
    origin_lat_deg: ArrayLike,
    origin_lon_deg: ArrayLike,
    dest_lat_deg: ArrayLike,
    dest_lon_deg: ArrayLike,
    *,
    mode: TravelMode | str = TravelMode.ROAD,
    road_class: RoadClass | str = RoadClass.RURAL,
    road: RoadParameters | None = None,
    aircraft: AircraftParameters | None = None,
) -> NDArray[np.float64]:
    """Travel-time matrix (minutes), origins as rows and destinations as columns.

    Args:
        origin_lat_deg: 1-D origin latitudes (degrees).
        origin_lon_deg: 1-D origin longitudes (degrees).
        dest_lat_deg: 1-D destination latitudes (degrees).
        dest_lon_deg: 1-D destination longitudes (degrees).
        mode: road, helicopter or fixed_wing.
        road_class: road class for ``mode="road"``.
        road: road parameters for ``mode="road"``.
        aircraft: aircraft for air modes (default :data:`HELICOPTER` / :data:`FIXED_WING` by mode).

    Returns:
        Minutes, shape ``(n_origins, n_destinations)``; ``inf`` where the mode cannot reach.
    """
    distance = distance_matrix_km(origin_lat_deg, origin_lon_deg, dest_lat_deg, dest_lon_deg)
    m = TravelMode(mode)
    if m is TravelMode.ROAD:
        return road_time_min(distance, road_class, road)
    default = HELICOPTER if m is TravelMode.HELICOPTER else FIXED_WING
    return air_time_min(distance, aircraft if aircraft is not None else default)

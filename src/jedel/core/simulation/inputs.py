"""Inputs of the Monte Carlo MCI response simulator, built from plain arrays.

Units are in field names (``_min`` minutes, ``_deg`` degrees, ``_kmh`` km/h, ``_km`` km). Times are minutes
after the onset of the incident.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jedel.core.survival.models import DEFAULT_CATEGORY_RPM_BANDS
from jedel.core.survival.parameters import RPM_MAX, RpmSurvivalParameters, default_rpm_parameters
from jedel.core.travel.geodesic import distance_matrix_km, haversine_km
from jedel.core.travel.modes import RoadParameters
from jedel.core.vocabulary import CareCategory

_ROAD = RoadParameters()


@dataclass(frozen=True)
class RoadSpeeds:
    """Road ambulance speeds: ``minutes = great-circle km x detour_factor / speed_kmh x 60``.

    Rule (an **assumption**, kept simple so schedules can be checked by hand): a leg is driven at
    ``urban_kmh`` when *both* its ends lie within ``urban_radius_km`` of ``city_centre_lat_deg/lon_deg``
    (great-circle), and at ``rural_kmh`` otherwise, for the whole leg. With no city centre every leg is rural.

    Attributes:
        urban_kmh: average urban speed; default 30 km/h, the documented assumption of
            :class:`jedel.core.travel.RoadParameters` (half the 60 km/h settlement limit of the Kazakhstan
            Rules of the Road, Government Decree No. 1196 of 13 Nov 2014).
        rural_kmh: average speed outside the city; default 60 km/h (same source and status).
        detour_factor: road km per great-circle km; default 1.3, an assumption within the 1.2-1.4 circuity
            range reported by Boscoe FP et al. Prof Geogr 2012;64(2):188-196.
        city_centre_lat_deg: city centre latitude, or None (all legs rural).
        city_centre_lon_deg: city centre longitude, or None.
        urban_radius_km: radius of the urban disc around the centre, km.
    """

    urban_kmh: float = _ROAD.urban_speed_kmh
    rural_kmh: float = _ROAD.rural_speed_kmh
    detour_factor: float = _ROAD.detour_factor
    city_centre_lat_deg: float | None = None
    city_centre_lon_deg: float | None = None
    urban_radius_km: float = 0.0

    def __post_init__(self) -> None:
        for name in ("urban_kmh", "rural_kmh"):
            value = getattr(self, name)
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"{name}: must be a finite number > 0, got {value}")
        if not (self.detour_factor >= 1.0 and math.isfinite(self.detour_factor)):
            raise ValueError(f"detour_factor: must be >= 1, got {self.detour_factor}")
        if (self.city_centre_lat_deg is None) != (self.city_centre_lon_deg is None):
            raise ValueError("city_centre_lat_deg, city_centre_lon_deg: give both or neither")
        if not (self.urban_radius_km >= 0 and math.isfinite(self.urban_radius_km)):
            raise ValueError(f"urban_radius_km: must be a finite number >= 0, got {self.urban_radius_km}")

    def travel_matrix_min(
        self, lat_deg: NDArray[np.float64], lon_deg: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """All-pairs road minutes between the points (rows: from, columns: to)."""
        km = distance_matrix_km(lat_deg, lon_deg, lat_deg, lon_deg) * self.detour_factor
        urban = np.zeros(lat_deg.shape, dtype=bool)
        if self.city_centre_lat_deg is not None and self.city_centre_lon_deg is not None:
            urban = haversine_km(lat_deg, lon_deg, self.city_centre_lat_deg, self.city_centre_lon_deg) <= (
                self.urban_radius_km
            )
        speed = np.where(urban[:, None] & urban[None, :], self.urban_kmh, self.rural_kmh)
        result: NDArray[np.float64] = km / speed * 60.0
        return result


def _array(name: str, value: ArrayLike, dtype: type, n: int | None = None) -> NDArray[np.generic]:
    arr: NDArray[np.generic] = np.array(value, dtype=dtype)
    if arr.ndim != 1:
        raise ValueError(f"{name}: must be a one-dimensional array")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name}: expected {n} values, got {arr.shape[0]}")
    if arr.dtype.kind == "f" and np.any(np.isnan(arr)):
        raise ValueError(f"{name}: must not contain NaN")
    arr.setflags(write=False)
    return arr


def _non_negative(name: str, arr: NDArray[np.generic]) -> None:
    if arr.size and not (np.all(np.isfinite(arr.astype(np.float64))) and arr.min() >= 0):
        raise ValueError(f"{name}: values must be finite and >= 0")


def _category_of_rpm() -> NDArray[np.int8]:
    table = np.zeros(RPM_MAX + 1, dtype=np.int8)
    ranks = {c: i for i, c in enumerate(CareCategory)}
    for category, band in DEFAULT_CATEGORY_RPM_BANDS.items():
        table[list(band)] = ranks[category]
    return table


@dataclass(frozen=True)
class SimulationInput:
    """One MCI response to simulate. Array fields are copied into read-only numpy arrays.

    Attributes:
        scene_lat_deg, scene_lon_deg: scene positions (one per scene).
        casualty_scene: scene index of each casualty.
        casualty_release_min: minute the casualty is freed (extricated) and can be picked up.
        casualty_rpm: scene RPM, integers 0..12 (Sacco et al. 2005).
        station_lat_deg, station_lon_deg: ambulance station positions.
        station_ambulances: road ambulances at each station (each carries one patient).
        hospital_lat_deg, hospital_lon_deg: receiving hospitals.
        hospital_servers: parallel treatment slots (servers of the treatment queue), >= 1.
        hospital_treatment_mean_min: mean treatment minutes (time a slot stays busy).
        casualty_age_years: ages (NaN = unknown) or None; carried into results, not used by the RPM model
            (Sacco's survival has no age term).
        casualty_category: category rank in :class:`CareCategory` order (0 immediate, 1 delayed,
            2 minimal, 3 expectant), or None to derive it from the scene RPM by
            :data:`jedel.core.survival.DEFAULT_CATEGORY_RPM_BANDS` (a documented assumption).
        hospital_beds: admissions each hospital can take over the run, or None (unlimited).
        loading_min: minutes at the scene to load a patient.
        handover_min: minutes at the hospital before the patient joins the treatment queue and the ambulance
            is free again.
        treatment_time: ``"exponential"`` (treatment minutes drawn exponential with the hospital mean, the
            M/M/c service assumption) or ``"fixed"`` (exactly the mean).
        speeds: road speed rule (see :class:`RoadSpeeds`).
        horizon_min: minutes after onset at which the run stops; nothing starts after it.
        rpm_params: Sacco survival and deterioration parameters; None uses the shipped ones.
    """

    scene_lat_deg: ArrayLike
    scene_lon_deg: ArrayLike
    casualty_scene: ArrayLike
    casualty_release_min: ArrayLike
    casualty_rpm: ArrayLike
    station_lat_deg: ArrayLike
    station_lon_deg: ArrayLike
    station_ambulances: ArrayLike
    hospital_lat_deg: ArrayLike
    hospital_lon_deg: ArrayLike
    hospital_servers: ArrayLike
    hospital_treatment_mean_min: ArrayLike
    casualty_age_years: ArrayLike | None = None
    casualty_category: ArrayLike | None = None
    hospital_beds: ArrayLike | None = None
    loading_min: float = 0.0
    handover_min: float = 0.0
    treatment_time: Literal["exponential", "fixed"] = "exponential"
    speeds: RoadSpeeds = field(default_factory=RoadSpeeds)
    horizon_min: float = 720.0
    rpm_params: RpmSurvivalParameters | None = None

    def __post_init__(self) -> None:
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        n_scene = len(np.atleast_1d(np.asarray(self.scene_lat_deg)))
        put("scene_lat_deg", _array("scene_lat_deg", self.scene_lat_deg, np.float64))
        put("scene_lon_deg", _array("scene_lon_deg", self.scene_lon_deg, np.float64, n_scene))
        scene = _array("casualty_scene", self.casualty_scene, np.intp)
        n = scene.shape[0]
        if n and (scene.min() < 0 or scene.max() >= n_scene):
            raise ValueError(f"casualty_scene: indices must be in 0..{n_scene - 1}")
        put("casualty_scene", scene)
        release = _array("casualty_release_min", self.casualty_release_min, np.float64, n)
        _non_negative("casualty_release_min", release)
        put("casualty_release_min", release)
        rpm_raw = np.asarray(self.casualty_rpm)
        if rpm_raw.size and (rpm_raw.dtype.kind not in "iu" or rpm_raw.min() < 0 or rpm_raw.max() > RPM_MAX):
            raise ValueError(f"casualty_rpm: must be integers in 0..{RPM_MAX}")
        rpm = _array("casualty_rpm", rpm_raw, np.intp, n)
        put("casualty_rpm", rpm)
        age = self.casualty_age_years
        put("casualty_age_years", np.full(n, np.nan) if age is None else np.array(age, dtype=np.float64))
        if self.casualty_category is None:
            category = _category_of_rpm()[rpm]
            category.setflags(write=False)
        else:
            category = _array("casualty_category", self.casualty_category, np.int8, n)
            if n and (category.min() < 0 or category.max() > 3):
                raise ValueError(
                    "casualty_category: ranks must be in 0..3 (immediate, delayed, minimal, expectant)"
                )
        put("casualty_category", category)
        n_st = len(np.atleast_1d(np.asarray(self.station_lat_deg)))
        put("station_lat_deg", _array("station_lat_deg", self.station_lat_deg, np.float64))
        put("station_lon_deg", _array("station_lon_deg", self.station_lon_deg, np.float64, n_st))
        counts = _array("station_ambulances", self.station_ambulances, np.intp, n_st)
        _non_negative("station_ambulances", counts)
        put("station_ambulances", counts)
        n_h = len(np.atleast_1d(np.asarray(self.hospital_lat_deg)))
        if n_h == 0:
            raise ValueError("hospital_lat_deg: at least one hospital is needed")
        put("hospital_lat_deg", _array("hospital_lat_deg", self.hospital_lat_deg, np.float64))
        put("hospital_lon_deg", _array("hospital_lon_deg", self.hospital_lon_deg, np.float64, n_h))
        servers = _array("hospital_servers", self.hospital_servers, np.intp, n_h)
        if servers.min() < 1:
            raise ValueError("hospital_servers: every hospital needs at least 1 treatment slot")
        put("hospital_servers", servers)
        mean = _array("hospital_treatment_mean_min", self.hospital_treatment_mean_min, np.float64, n_h)
        if not (np.all(np.isfinite(mean)) and mean.min() > 0):
            raise ValueError("hospital_treatment_mean_min: values must be finite and > 0")
        put("hospital_treatment_mean_min", mean)
        if self.hospital_beds is not None:
            beds = _array("hospital_beds", self.hospital_beds, np.intp, n_h)
            _non_negative("hospital_beds", beds)
            put("hospital_beds", beds)
        for name in ("loading_min", "handover_min"):
            value = float(getattr(self, name))
            if not (value >= 0 and math.isfinite(value)):
                raise ValueError(f"{name}: must be a finite number >= 0, got {value}")
        if self.treatment_time not in ("exponential", "fixed"):
            raise ValueError(f"treatment_time: must be 'exponential' or 'fixed', got {self.treatment_time!r}")
        if not (self.horizon_min > 0 and math.isfinite(self.horizon_min)):
            raise ValueError(f"horizon_min: must be a finite number > 0, got {self.horizon_min}")

    @property
    def n_casualties(self) -> int:
        """Number of casualties."""
        return int(np.asarray(self.casualty_scene).shape[0])

    @property
    def parameters(self) -> RpmSurvivalParameters:
        """Survival parameters in force (the shipped ones when ``rpm_params`` is None)."""
        return self.rpm_params if self.rpm_params is not None else default_rpm_parameters()


def scenes_from_points(
    lat_deg: ArrayLike, lon_deg: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """Group casualty positions into scenes (identical coordinates share a scene).

    Returns:
        ``(scene_lat_deg, scene_lon_deg, casualty_scene)`` for :class:`SimulationInput`.
    """
    points = np.stack([np.asarray(lat_deg, dtype=np.float64), np.asarray(lon_deg, dtype=np.float64)], axis=1)
    unique, inverse = np.unique(points, axis=0, return_inverse=True)
    return unique[:, 0].copy(), unique[:, 1].copy(), inverse.reshape(-1).astype(np.intp)

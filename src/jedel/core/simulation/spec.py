"""Frozen dataclasses of a validated MCI scenario, built by
:func:`jedel.core.simulation.scenario.parse_scenario`.

Units are in field names (``lat_deg``, ``depth_km``, ``minutes``); shares are fractions in 0..1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum


SHARE_TOLERANCE = 1e-6
"""Shares (release waves, age mix, START split) must sum to 1 within this (decimal fractions in YAML)."""

BED_TYPES = (
    "AdultICU", "PediatricICU", "NeonatalICU", "MedicalSurgical", "Pediatrics", "Burn",
    "AdultPsychiatric", "NegativeFlowIsolation", "OperatingRooms",
)
"""HAvBED bed types, spelled as in the registry (``capacity.BedType`` values)."""


class HazardKind(StrEnum):
    """What caused the incident."""

    EARTHQUAKE = "earthquake"
    EXPLOSION = "explosion"
    TRANSPORT_CRASH = "transport_crash"
    BUILDING_COLLAPSE = "building_collapse"
    FLOOD = "flood"


class AirAssetKind(StrEnum):
    """Air-ambulance type (values as :class:`jedel.core.travel.TravelMode`)."""

    HELICOPTER = "helicopter"
    FIXED_WING = "fixed_wing"


@dataclass(frozen=True)
class Point:
    """A place. Attributes: lat_deg (degrees north, WGS 84), lon_deg (degrees east)."""

    lat_deg: float
    lon_deg: float


@dataclass(frozen=True)
class StartSplit:
    """Shares of living casualties by START category (sum 1): immediate (red), delayed (yellow), minimal."""

    immediate: float
    delayed: float
    minimal: float


@dataclass(frozen=True)
class AgeMix:
    """Shares of casualties by age band (sum 1): child (< 18 y), adult (18-64 y), older (>= 65 y)."""

    child: float
    adult: float
    older: float


@dataclass(frozen=True)
class CasualtyCounts:
    """Casualties by START category, persons."""

    immediate: int
    delayed: int
    minimal: int
    dead: int

    @property
    def total(self) -> int:
        """All casualties, the dead included."""
        return self.immediate + self.delayed + self.minimal + self.dead


@dataclass(frozen=True)
class EarthquakeHazard:
    """A shallow earthquake as a point source; its casualties come from :mod:`.earthquake`.

    Attributes:
        epicentre: epicentre.
        magnitude: moment magnitude.
        depth_km: hypocentre depth, km.
        injured_per_death: injured persons per death (an assumption; see :mod:`.earthquake`).
        injured_split: START shares of the injured.
        age_mix: age mix of casualties, or None (the simulator then uses the population's).
    """

    epicentre: Point
    magnitude: float
    depth_km: float
    injured_per_death: float
    injured_split: StartSplit
    age_mix: AgeMix | None = None
    kind: HazardKind = HazardKind.EARTHQUAKE


@dataclass(frozen=True)
class IncidentHazard:
    """A local incident with casualty counts given by the scenario author (explosion, crash, collapse, flood).

    Attributes:
        kind: the hazard (not ``earthquake``).
        location: where casualties are collected.
        casualties: persons by START category.
        age_mix: age mix of the casualties.
        place: a name for the location ("" when not given).
    """

    kind: HazardKind
    location: Point
    casualties: CasualtyCounts
    age_mix: AgeMix
    place: str = ""


@dataclass(frozen=True)
class ReleaseWave:
    """Casualties freed in one extrication wave. Attributes: minutes (after onset), share (of all)."""

    minutes: float
    share: float


@dataclass(frozen=True)
class AmbulanceStation:
    """Road ambulances available at one station. Attributes: name, location, count (vehicles)."""

    name: str
    location: Point
    count: int


@dataclass(frozen=True)
class AirAsset:
    """Air ambulances at one base. Attributes: base (name), location, kind, count (aircraft)."""

    base: str
    location: Point
    kind: AirAssetKind
    count: int


@dataclass(frozen=True)
class HospitalSpec:
    """A receiving hospital given in the scenario.

    Attributes:
        code: registry-style code, unique in the scenario.
        name: display name ("" when not given).
        location: where it is.
        beds_by_type: staffed beds by HAvBED type (read-only mapping).
        damage: share of beds lost to the hazard, 0..1.
    """

    code: str
    name: str
    location: Point
    beds_by_type: Mapping[str, int]
    damage: float = 0.0


@dataclass(frozen=True)
class HospitalSource:
    """Where receiving hospitals come from: the live registry, or ``hospitals`` (then not empty)."""

    from_registry: bool
    hospitals: tuple[HospitalSpec, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """A validated scenario (see the module docstring for the YAML form)."""

    name: str
    description: str
    time_of_day: time
    hazard: EarthquakeHazard | IncidentHazard
    release: tuple[ReleaseWave, ...]
    ambulances: tuple[AmbulanceStation, ...]
    air_assets: tuple[AirAsset, ...]
    hospitals: HospitalSource

"""From a validated :class:`Scenario` to a :class:`SimulationInput` for the Monte Carlo simulator.

**Casualties** (the dead at the scene are not simulated: no ambulance fetches them):

* incident hazards (explosion, crash, collapse, flood): the scenario's counts by START category, all at
  the hazard's location (one scene);
* earthquakes: :func:`earthquake_impact` over the towns given by the caller (e.g. :func:`parse_towns_csv`
  of ``jedel/geo/data/kz_cities_geonames.csv``); each category's expected count is rounded half up to
  persons and spread over the towns in proportion to each town's expected deaths (population x PAGER rate
  at the town's MMI bin, the same chain as :mod:`.earthquake`) by the largest-remainder method, one scene
  per town that gets a casualty.

**Initial RPM** (Sacco et al. 2005, 0..12) is drawn uniformly, per casualty, from the RPM band of its START
category in :data:`jedel.core.survival.DEFAULT_CATEGORY_RPM_BANDS` (an assumption, not published: immediate
3-9, delayed 10-11, minimal 12; the same bands by which ``inputs._category_of_rpm`` derives a category from
an RPM, so the drawn RPM maps back to the scenario's category). Uniform within the band is an assumption
too: no published RPM distribution per START category was read.

**Release**: the casualties are split over the release waves by the largest-remainder method on the wave
shares (so each wave gets its exact share, rounded), and which casualty falls in which wave is a seeded
random permutation (the category mix of a wave is not fixed). Draws, in this order, from ``rng``: one RPM
per casualty (category by category: immediate, delayed, minimal), then one permutation of all casualties.

**Ambulances**: road ambulances of each station, as given. Air assets are **not** simulated (the
simulator models road ambulances only), nor are the time of day and the age mix (Sacco's survival model has
no age term; ``casualty_age_years`` is left unknown).

**Hospitals** (:class:`ReceivingHospital`): from the scenario's list by :func:`hospitals_from_specs`, or, for
``from_registry: true``, a list passed in by the caller (:func:`hospitals_from_hourly_capacity` turns the
live board's hospitals into it). See those functions for the treatment slots, admissions and damage rules.

**Cost**: there is no cap on casualties. A replication handles a few events per casualty and each dispatch
decision scans the waiting casualties (vectorised), so its cost grows with casualties x waiting; the
travel-time matrix is ``(scenes + stations + hospitals)^2``. Measured on one core (one incident scene,
50 ambulances, one hospital, 12-hour horizon, ``nearest``): 1,000 casualties 0.07 s, 4,000 0.18 s,
20,000 0.8 s per replication; the shipped Almaty M7.3 scenario (411 living casualties in 6 towns) about
0.03 s. Replications multiply it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from jedel.core.distribution.model import Hospital
from jedel.core.simulation.earthquake import (
    PAGER_MMI_RANGE,
    Town,
    earthquake_impact,
    hypocentral_distance_km,
    intensity_mmi,
    pager_model,
)
from jedel.core.simulation.inputs import RoadSpeeds, SimulationInput
from jedel.core.simulation.spec import EarthquakeHazard, HospitalSpec, Scenario
from jedel.core.survival.models import DEFAULT_CATEGORY_RPM_BANDS
from jedel.core.vocabulary import CareCategory

__all__ = [
    "START_CATEGORIES",
    "BridgeAssumptions",
    "ReceivingHospital",
    "category_counts",
    "hospitals_from_hourly_capacity",
    "hospitals_from_specs",
    "largest_remainder",
    "scenario_casualties",
    "scenario_input",
]

START_CATEGORIES = (CareCategory.IMMEDIATE, CareCategory.DELAYED, CareCategory.MINIMAL)
"""The living START categories a scenario counts, in draw order (their ranks are 0, 1, 2)."""


@dataclass(frozen=True)
class BridgeAssumptions:
    """What a scenario does not say. Every default is an **assumption** for exercises (no published value
    was read for it); set them from local data where known.

    Attributes:
        treatment_mean_min: minutes a treatment slot stays busy per patient (60).
        loading_min: minutes at the scene to load a patient (10).
        handover_min: minutes at the hospital before the ambulance is free (10).
        horizon_after_last_release_min: the run stops this long after the last release wave (720: 12 h).
        treatment_time: ``"exponential"`` or ``"fixed"`` treatment minutes (see :class:`SimulationInput`).
        speeds: road speeds (default: every leg at the rural speed, see :class:`RoadSpeeds`).
    """

    treatment_mean_min: float = 60.0
    loading_min: float = 10.0
    handover_min: float = 10.0
    horizon_after_last_release_min: float = 720.0
    treatment_time: Literal["exponential", "fixed"] = "exponential"
    speeds: RoadSpeeds = field(default_factory=RoadSpeeds)


@dataclass(frozen=True)
class ReceivingHospital:
    """A hospital as the simulator sees it.

    Attributes:
        code: registry or scenario code; name: display name; lat_deg, lon_deg: position (WGS 84).
        treatment_slots: parallel treatment slots (>= 1).
        admissions: patients it can admit over the run, or None (no limit besides the slots).
    """

    code: str
    name: str
    lat_deg: float
    lon_deg: float
    treatment_slots: int
    admissions: int | None


def largest_remainder(total: int, shares: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``shares`` (Hamilton's largest-remainder method).

    Each part gets the whole part of ``total x share / sum(shares)``; the persons left over go one each to the
    largest fractional parts, ties to the earlier part. All shares 0 (or ``total`` 0): all parts 0.
    """
    weights = np.asarray(shares, dtype=np.float64)
    s = float(weights.sum())
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    exact = total * weights / s
    parts = np.floor(exact).astype(np.int64)
    left = total - int(parts.sum())
    order = np.lexsort((np.arange(len(weights)), -(exact - parts)))  # largest remainder, then index
    parts[order[:left]] += 1
    return [int(p) for p in parts]


def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def _town_death_shares(hazard: EarthquakeHazard, towns: Sequence[Town]) -> NDArray[np.float64]:
    """Expected deaths per town: population x PAGER rate at the town's MMI bin (V..IX; X at IX's rate)."""
    lat = np.array([t.lat_deg for t in towns], dtype=np.float64)
    lon = np.array([t.lon_deg for t in towns], dtype=np.float64)
    pop = np.array([t.population for t in towns], dtype=np.float64)
    d = hypocentral_distance_km(hazard.epicentre.lat_deg, hazard.epicentre.lon_deg, hazard.depth_km, lat, lon)
    bins = np.clip(np.floor(intensity_mmi(hazard.magnitude, d) + 0.5), 1, 10)  # as exposure_by_mmi bins them
    low, high = PAGER_MMI_RANGE
    rate = np.where(bins < low, 0.0, pager_model("KZ").rates(np.minimum(bins, high)))
    result: NDArray[np.float64] = pop * rate
    return result


def scenario_casualties(
    scenario: Scenario, towns: Sequence[Town] = ()
) -> tuple[tuple[tuple[float, float], ...], dict[CareCategory, list[int]]]:
    """Scenes and living casualties per scene by START category (see the module docstring).

    Returns:
        ``(scenes, counts)``: scene positions ``(lat_deg, lon_deg)``; per category, persons at each scene.

    Raises:
        ValueError: an earthquake scenario with no towns given.
    """
    hazard = scenario.hazard
    if not isinstance(hazard, EarthquakeHazard):
        c = hazard.casualties
        scene = ((hazard.location.lat_deg, hazard.location.lon_deg),)
        return scene, {CareCategory.IMMEDIATE: [c.immediate], CareCategory.DELAYED: [c.delayed],
                       CareCategory.MINIMAL: [c.minimal]}
    if not towns:
        raise ValueError("towns: an earthquake scenario needs the exposed towns")
    impact = earthquake_impact(hazard, towns)
    expected = {CareCategory.IMMEDIATE: impact.immediate, CareCategory.DELAYED: impact.delayed,
                CareCategory.MINIMAL: impact.minimal}
    weights = _town_death_shares(hazard, towns)
    by_town = {c: largest_remainder(_round_half_up(expected[c]), list(weights)) for c in START_CATEGORIES}
    used = [i for i in range(len(towns)) if any(by_town[c][i] for c in START_CATEGORIES)]
    scenes = tuple((towns[i].lat_deg, towns[i].lon_deg) for i in used)
    return scenes, {c: [by_town[c][i] for i in used] for c in START_CATEGORIES}


def hospitals_from_specs(specs: Sequence[HospitalSpec]) -> tuple[ReceivingHospital, ...]:
    """The scenario's hospitals, damage applied (an assumption: damage takes the same share of everything).

    * admissions = the listed beds other than ``OperatingRooms`` x (1 - damage), rounded down (every staffed
      bed counted free: optimistic);
    * treatment slots = ``OperatingRooms`` x (1 - damage), rounded down, at least 1 while any bed is left
      (the emergency department's resuscitation team); 1 when no operating rooms are listed;
    * damage 1 (or no bed left): admissions 0, so no policy sends anyone there.
    """
    out = []
    for h in specs:
        keep = 1.0 - h.damage
        beds = sum(n for kind, n in h.beds_by_type.items() if kind != "OperatingRooms")
        admissions = math.floor(beds * keep + 1e-9)  # 1e-9: 105 x 0.6 is 63, not 62.99999999999999
        rooms = math.floor(h.beds_by_type.get("OperatingRooms", 0) * keep + 1e-9)
        out.append(ReceivingHospital(h.code, h.name, h.location.lat_deg, h.location.lon_deg,
                                     max(1, rooms), admissions))
    return tuple(out)


def hospitals_from_hourly_capacity(
    hospitals: Sequence[Hospital], assumptions: BridgeAssumptions | None = None
) -> tuple[ReceivingHospital, ...]:
    """Live-board hospitals (MCI receiving capacity per hour) as treatment slots.

    A hospital declaring ``r`` patients per hour (immediate + delayed + minimal; expectant care is not
    treatment) treats ``r`` per hour when each of ``c`` slots takes ``treatment_mean_min`` minutes and
    ``c = ceil(r x treatment_mean_min / 60)`` (a busy M/M/c queue serves ``c / mean`` per minute). No
    admissions limit (the declared rate is the limit). Hospitals with no capacity (closed, on diversion when
    excluded) or no position are left out.
    """
    a = assumptions or BridgeAssumptions()
    out = []
    for h in hospitals:
        per_hour = sum(h.capacity_by_category.get(c, 0) for c in START_CATEGORIES)
        if per_hour <= 0 or h.lat_deg is None or h.lon_deg is None:
            continue
        slots = math.ceil(per_hour * a.treatment_mean_min / 60.0 - 1e-9)
        out.append(ReceivingHospital(h.hospital_id, h.name, h.lat_deg, h.lon_deg, max(1, slots), None))
    return tuple(out)


def scenario_input(
    scenario: Scenario,
    *,
    rng: np.random.Generator,
    towns: Sequence[Town] = (),
    hospitals: Sequence[ReceivingHospital] | None = None,
    assumptions: BridgeAssumptions | None = None,
) -> SimulationInput:
    """The simulator's input for a scenario (see the module docstring for every rule).

    Args:
        scenario: the validated scenario.
        rng: draws the RPMs and the release permutation.
        towns: exposed towns (earthquakes only).
        hospitals: receiving hospitals for ``from_registry: true`` (e.g. from
            :func:`hospitals_from_hourly_capacity`); must be None when the scenario lists its own.
        assumptions: what the scenario does not say (defaults: :class:`BridgeAssumptions`).

    Raises:
        ValueError: no casualty to simulate, no hospital, hospitals given for a scenario that lists its own,
            or an earthquake without towns.
    """
    a = assumptions or BridgeAssumptions()
    if scenario.hospitals.from_registry:
        if not hospitals:
            raise ValueError("hospitals: the scenario takes its hospitals from the registry; none was given")
        receiving = tuple(hospitals)
    elif hospitals is not None:
        raise ValueError("hospitals: the scenario lists its own hospitals")
    else:
        receiving = hospitals_from_specs(scenario.hospitals.hospitals)
    scenes, counts = scenario_casualties(scenario, towns)
    scene_of: list[int] = []
    rpm_parts: list[NDArray[np.int64]] = []
    rank: list[int] = []
    for r, category in enumerate(START_CATEGORIES):
        n_cat = sum(counts[category])
        for s, n in enumerate(counts[category]):
            scene_of += [s] * n
        rpm_parts.append(rng.choice(np.asarray(DEFAULT_CATEGORY_RPM_BANDS[category]), size=n_cat))
        rank += [r] * n_cat
    n = len(scene_of)
    if n == 0:
        raise ValueError("hazard: no living casualty to simulate")
    quotas = largest_remainder(n, [w.share for w in scenario.release])
    minutes = np.repeat(np.array([w.minutes for w in scenario.release], dtype=np.float64), quotas)
    release = minutes[rng.permutation(n)]
    limits = [h.admissions for h in receiving]
    return SimulationInput(
        scene_lat_deg=[p[0] for p in scenes], scene_lon_deg=[p[1] for p in scenes],
        casualty_scene=scene_of, casualty_release_min=release,
        casualty_rpm=np.concatenate(rpm_parts).astype(np.intp), casualty_category=rank,
        station_lat_deg=[s.location.lat_deg for s in scenario.ambulances],
        station_lon_deg=[s.location.lon_deg for s in scenario.ambulances],
        station_ambulances=[s.count for s in scenario.ambulances],
        hospital_lat_deg=[h.lat_deg for h in receiving], hospital_lon_deg=[h.lon_deg for h in receiving],
        hospital_servers=[h.treatment_slots for h in receiving],
        hospital_treatment_mean_min=[a.treatment_mean_min] * len(receiving),
        # no limit is n: nobody beyond the n casualties can be admitted anyway
        hospital_beds=None if all(x is None for x in limits) else [n if x is None else x for x in limits],
        loading_min=a.loading_min, handover_min=a.handover_min, treatment_time=a.treatment_time,
        speeds=a.speeds, horizon_min=scenario.release[-1].minutes + a.horizon_after_last_release_min,
    )


def category_counts(inp: SimulationInput) -> Mapping[str, int]:
    """Casualties of an input by category value (for reports)."""
    ranks = np.asarray(inp.casualty_category)
    return {c.value: int(np.count_nonzero(ranks == r)) for r, c in enumerate(START_CATEGORIES)}

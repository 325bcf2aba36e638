"""The incidents app's one door to `jedel.core`: the tracking state machines and the triage engines.

Models, services and views take the status vocabularies and decisions from here, never from `jedel.core`
directly, so the app's use of the engines is in one place. Nothing here touches the database itself: live capacity
comes through `jedel.capacity.engines` (the one door through which live capacity enters any engine).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from jedel.core.distribution import Casualty as DistCasualty
from jedel.core.distribution import DistributionProblem, Policy, solve
from jedel.core.distribution import Hospital as DistHospital
from jedel.core.errors import FieldError
from jedel.core.tracking import (
    ALLOWED_MOVES,
    FINAL_STATUSES,
    CasualtyOperation,
    CasualtyStatus,
    IncidentRefusal,
    IncidentStatus,
    MoveRefusal,
    casualty_move_decide,
    casualty_operation_decide,
    incident_change_decide,
)
from jedel.core.travel import RoadClass, travel_time_matrix_min
from jedel.core.triage import Findings, FindingsIn, assess
from jedel.core.vocabulary import CareCategory, TriageCategory, parse_capability

__all__ = [
    "ALLOWED_MOVES", "FINAL_STATUSES", "METHOD_FINDINGS", "FindingsIn", "CasualtyOperation", "CasualtyStatus", "IncidentRefusal",
    "IncidentStatus", "MoveRefusal", "TriageCategory", "TriageOutcome", "casualty_move_decide",
    "casualty_operation_decide", "incident_change_decide", "triage_compute",
    "PLAN_CATEGORIES", "PlanCasualty", "PlanHospital", "PlanResult", "Proposal", "distribution_compute",
    "live_receiving_hospitals", "travel_minutes_compute", "parse_capability",
]

# What each method asks, in the order a triage officer meets the questions (START: Benson et al. 1996;
# JumpSTART: Romig 2002; SALT individual assessment: Lerner et al. 2008). The registration form shows only
# these fields for the chosen method; "auto" is START or JumpSTART by age, so it asks the union with the age.
METHOD_FINDINGS: Mapping[str, tuple[str, ...]] = {
    "start": ("can_walk", "breathing", "breathing_after_airway_opening", "respiratory_rate_per_min",
              "peripheral_pulse_palpable", "capillary_refill_s", "obeys_commands"),
    "jumpstart": ("can_walk", "breathing", "breathing_after_airway_opening", "peripheral_pulse_palpable",
                  "breathing_after_rescue_breaths", "respiratory_rate_per_min", "avpu",
                  "pain_response_appropriate"),
    "salt": ("age_years", "breathing", "breathing_after_airway_opening", "breathing_after_rescue_breaths",
             "obeys_commands", "purposeful_movement", "peripheral_pulse_palpable", "respiratory_distress",
             "major_hemorrhage_controlled", "minor_injuries_only", "likely_to_survive_given_resources"),
    "auto": ("age_years", "can_walk", "breathing", "breathing_after_airway_opening",
             "breathing_after_rescue_breaths", "respiratory_rate_per_min", "peripheral_pulse_palpable",
             "capillary_refill_s", "obeys_commands", "avpu", "pain_response_appropriate"),
}


@dataclass(frozen=True)
class TriageOutcome:
    """One assessment by a core engine, ready to be stored: `category` None means findings are missing."""

    requested_method: str
    method: str
    category: str | None
    rule: str
    missing: tuple[str, ...]
    findings: dict[str, Any]


class TriageInputError(ValueError):
    """Bad findings or method: `path` names the finding (or "method"), `reason` says what is wrong."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def triage_compute(method: str, findings: Mapping[str, Any]) -> TriageOutcome:
    """Run the chosen core method ("auto", "start", "jumpstart", "salt") on findings given by name."""
    if method not in METHOD_FINDINGS:
        raise TriageInputError("method", f"must be one of {', '.join(METHOD_FINDINGS)}")
    data = {k: v for k, v in findings.items() if v is not None}
    try:
        result = assess(Findings.from_mapping(data), method)  # type: ignore[arg-type]
    except FieldError as exc:
        raise TriageInputError(exc.path, exc.reason) from None
    return TriageOutcome(requested_method=method, method=result.method,
                         category=None if result.category is None else result.category.value,
                         rule=result.rule, missing=tuple(result.missing), findings=data)


# --- Live distribution (issue 8 item 3): the incident's casualties and the board's hospitals into the core's
# distribution engine. The hospitals come from `jedel.capacity.engines.live_hospitals` (live MCI receiving
# capacity by category, capabilities, coordinates; overdue reports left out); the caller passes the places each
# has *left* (its declared hourly capacity less the casualties already heading there, zero where it declared
# itself full), so the plan is one hour slot: what can be sent now.

PLAN_CATEGORIES = tuple(c.value for c in CareCategory)
"""Categories a plan distributes (the dead are never distributed; expectant only where a hospital takes them)."""

ROAD_CLASS = RoadClass.RURAL
"""Travel by road ambulance at the core's rural speed (`jedel.core.travel.RoadParameters`; 60 km/h x 1.3 detour):
the scene of an MCI is as often on a highway as in a town, and one class keeps the plan and ETAs comparable."""


@dataclass(frozen=True)
class PlanHospital:
    """A receiving hospital as the board reports it now: `capacity` is the declared hourly MCI figure by category."""

    code: str
    name: str
    lat: float
    lon: float
    capacity: Mapping[str, int]
    capabilities: frozenset[str]


@dataclass(frozen=True)
class PlanCasualty:
    """A casualty to send: `needs` are capabilities its hospital must have (`jedel.core.vocabulary.Need` values);
    `site` is where it waits: "scene", or the id of one of the incident's collection points."""

    tag: str
    category: str
    version: int
    needs: tuple[str, ...] = ()
    site: str = "scene"


@dataclass(frozen=True)
class Proposal:
    tag: str
    category: str
    version: int
    hospital: str | None
    travel_time_min: float | None
    reason_code: str
    reason: str


@dataclass(frozen=True)
class PlanResult:
    """The optimal proposal, its expected deaths, and those of sending everyone to the nearest hospital."""

    proposals: tuple[Proposal, ...]
    expected_deaths: float
    nearest_expected_deaths: float

    @property
    def expected_benefit(self) -> float:
        """Expected survivors gained over "nearest hospital"."""
        return self.nearest_expected_deaths - self.expected_deaths


def live_receiving_hospitals(*, now: datetime, region_isos: Collection[str],
                             codes: Collection[str] | None = None) -> list[PlanHospital]:
    """The live board's receiving hospitals in the regions, or only those of `codes` (through capacity's one
    door for engines)."""
    from jedel.capacity.engines import live_hospitals

    return [PlanHospital(code=h.hospital_id, name=h.name, lat=float(h.lat_deg or 0.0), lon=float(h.lon_deg or 0.0),
                         capacity={c.value: n for c, n in h.capacity_by_category.items()},
                         capabilities=frozenset(str(c) for c in h.capabilities))
            for h in live_hospitals(now=now, region_isos=region_isos, codes=codes) if h.lat_deg is not None]


def travel_minutes_compute(scene_lat: float, scene_lon: float, lats: Sequence[float],
                           lons: Sequence[float]) -> list[float]:
    """Road minutes from the scene to each point (`ROAD_CLASS`)."""
    if not lats:
        return []
    matrix = travel_time_matrix_min([scene_lat], [scene_lon], list(lats), list(lons), road_class=ROAD_CLASS)
    return [float(x) for x in matrix[0]]


def distribution_compute(*, scene_lat: float, scene_lon: float, casualties: Sequence[PlanCasualty],
                         hospitals: Sequence[PlanHospital], remaining: Mapping[str, Mapping[str, int]],
                         sites: Mapping[str, tuple[float, float]] | None = None) -> PlanResult:
    """Solve for expected survivors (exact min-cost flow) and score "nearest hospital" on the same problem.

    `remaining[code][category]`: places left at each hospital now (one hour slot). Casualties of a category
    nobody can take are proposed nowhere (reason `no_capacity`); a casualty's needs are hard constraints (a
    hospital without one of them is never proposed). `sites`: (lat, lon) of the collection points casualties
    wait at, by the id in `PlanCasualty.site`; travel times are from there (the scene otherwise).
    """
    core_hospitals = tuple(
        DistHospital(hospital_id=h.code, name=h.name, lat_deg=h.lat, lon_deg=h.lon,
                     capacity_by_category={CareCategory(c): max(0, int(remaining.get(h.code, {}).get(c, 0)))
                                           for c in PLAN_CATEGORIES},
                     capabilities=frozenset(parse_capability(c, what="capability", aliases=False)
                                            for c in h.capabilities))
        for h in hospitals)
    origins = {"scene": (scene_lat, scene_lon), **(sites or {})}
    site_ids = ("scene", *sorted({c.site for c in casualties} - {"scene"}))
    times = [travel_minutes_compute(*origins[s], [h.lat for h in hospitals], [h.lon for h in hospitals])
             for s in site_ids]
    problem = DistributionProblem(
        casualties=tuple(DistCasualty(casualty_id=c.tag, site_id=c.site, category=c.category,
                                      needs=frozenset(c.needs)) for c in casualties),
        hospitals=core_hospitals, site_ids=site_ids,
        travel_time_min=np.array(times, dtype=np.float64).reshape(len(site_ids), len(core_hospitals)),
        planning_horizon_h=1)
    optimal = solve(problem, Policy.OPTIMAL)
    nearest = solve(problem, Policy.NEAREST)
    proposals = tuple(
        Proposal(tag=c.tag, category=c.category, version=c.version, hospital=a.hospital_id,
                 travel_time_min=a.travel_time_min, reason_code=a.reason_code.value, reason=a.reason)
        for c, a in zip(casualties, optimal.assignments, strict=True))
    return PlanResult(proposals=proposals, expected_deaths=optimal.expected_deaths,
                      nearest_expected_deaths=nearest.expected_deaths)


def great_circle_km_compute(lat: float, lon: float, lats: Sequence[float], lons: Sequence[float]) -> list[float]:
    """Great-circle km from one point to each of the others (haversine, `jedel.core.travel.haversine_km`)."""
    from jedel.core.travel.geodesic import haversine_km

    if not lats:
        return []
    return [float(x) for x in haversine_km(lat, lon, np.asarray(lats, dtype=np.float64),
                                           np.asarray(lons, dtype=np.float64))]

"""The JSON problem format of casualty distribution, as pydantic models (:class:`ProblemIn`).

Published as JSON Schema in ``docs/schemas/distribution-problem.schema.json`` (a test keeps it equal to
``ProblemIn.model_json_schema()``); example: ``docs/examples/distribution-problem.json``::

    {
      "planning_horizon_h": 6,           optional (default 1): hours the plan covers; capacity is per hour
      "max_transport_min": 120,          optional; null or absent = no limit
      "untreated_horizon_min": 360,      optional; death probability of the unassigned is read here,
                                         and no hour slot starting later is used
      "survival_model": "category",      optional: "rpm" or "category"; default rpm when all have rpm
      "travel": {                        optional; used when "travel_time_min" is absent
        "mode": "road",                  road | helicopter | fixed_wing
        "road_class": "urban",           urban | rural | highway
        "detour_factor": 1.3, "speed_kmh": 40,                     road overrides
        "block_speed_kmh": 220, "dispatch_min": 15, "ground_transfer_min": 0   air overrides
      },
      "sites": [{"id": "S1", "lat": 43.24, "lon": 76.95}],          optional named sites
      "casualties": [{"id": "c1", "site": "S1",                     or "lat" and "lon" instead of "site"
                      "category": "immediate", "rpm": 7,            at least one of the two
                      "needs": ["burns"], "count": 1}],             count > 1 expands to ids c1#1, c1#2...
      "hospitals": [{"id": "H1", "name": "...", "lat": 43.2, "lon": 76.9,
                     "capacity": {"immediate": 5, "delayed": 10, "minimal": 20, "expectant": 0},   per hour
                     "capabilities": ["paediatric_surgery", "burns", "neurosurgery"]}],
      "travel_time_min": {"sites": ["S1"], "hospitals": ["H1"], "minutes": [[12.5]]}
                                         optional; a null minute = unreachable
    }

Needs and capabilities are :class:`jedel.core.vocabulary.Capability` values; the old need name
``paediatric`` is still accepted and mapped to ``paediatric_surgery``
(:data:`jedel.core.vocabulary.CAPABILITY_ALIASES`). Members starting with ``_`` are comments.

These models check each value on its own (types, ranges, names); the checks that need the whole problem
(a casualty's site exists, the matrix covers every site and hospital, coordinates present when travel times
must be computed) run when :func:`jedel.core.distribution.io.build_problem` builds the engine's
:class:`~jedel.core.distribution.DistributionProblem`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictInt, WithJsonSchema

from jedel.core.distribution.model import MAX_PLANNING_HORIZON_H
from jedel.core.survival import RPM_MAX, CareCategory, parse_category
from jedel.core.travel import RoadClass, TravelMode
from jedel.core.validation import FiniteFloat, Id, InRange, NonNegativeFloat, NonNegativeInt, StrictModel
from jedel.core.vocabulary import CAPABILITY_ALIASES, Capability, parse_capability


def _need(value: object) -> Capability:
    return parse_capability(value, what="need")


def _capability(value: object) -> Capability:
    return parse_capability(value, what="capability")


_CAPABILITY_NAMES = {
    "type": "string",
    "enum": [c.value for c in Capability] + list(CAPABILITY_ALIASES),
    "description": "a capability; old names accepted and mapped: "
    + ", ".join(f"{old} = {new.value}" for old, new in CAPABILITY_ALIASES.items()),
}

Category = Annotated[CareCategory, BeforeValidator(parse_category)]
NeedName = Annotated[Capability, BeforeValidator(_need), WithJsonSchema(_CAPABILITY_NAMES)]
CapabilityName = Annotated[Capability, BeforeValidator(_capability), WithJsonSchema(_CAPABILITY_NAMES)]
Latitude = Annotated[FiniteFloat, InRange(-90, 90, "must be in [{low}, {high}]")]
Longitude = Annotated[FiniteFloat, InRange(-180, 180, "must be in [{low}, {high}]")]
Rpm = Annotated[StrictInt, InRange(0, RPM_MAX)]


class TravelIn(StrictModel):
    """How travel times are computed from coordinates (:mod:`jedel.core.travel`) when no matrix is given.

    Every number overrides a documented default of :class:`~jedel.core.travel.RoadParameters` or of the
    aircraft (:data:`~jedel.core.travel.HELICOPTER`, :data:`~jedel.core.travel.FIXED_WING`).
    """

    mode: TravelMode = Field(default=TravelMode.ROAD, description="means of transport")
    road_class: RoadClass = Field(default=RoadClass.RURAL, description="sets the road speed")
    detour_factor: NonNegativeFloat | None = Field(default=None, description="road km / great-circle km")
    speed_kmh: NonNegativeFloat | None = Field(default=None, description="road speed for every class")
    block_speed_kmh: NonNegativeFloat | None = Field(default=None, description="aircraft block speed")
    dispatch_min: NonNegativeFloat | None = Field(default=None, description="aircraft: request to take-off")
    ground_transfer_min: NonNegativeFloat | None = Field(default=None, description="aircraft: road legs")


class SiteIn(StrictModel):
    """A named casualty collection point; ``lat`` and ``lon`` are needed unless a matrix is given."""

    id: Id
    name: str | None = None
    lat: Latitude | None = Field(default=None, description="degrees north (WGS 84)")
    lon: Longitude | None = Field(default=None, description="degrees east (WGS 84)")


class CasualtyIn(StrictModel):
    """One casualty (or ``count`` identical ones) at a named site or at coordinates."""

    id: Id = Field(description="triage tag; with count > 1 the casualties are <id>#1, <id>#2, ...")
    site: Id | None = Field(default=None, description="a site id; otherwise give lat and lon")
    lat: Latitude | None = None
    lon: Longitude | None = None
    category: Category | None = Field(default=None, description="triage category (or give rpm)")
    rpm: Rpm | None = Field(default=None, description="Sacco RPM 0-12 (Sacco et al. 2005)")
    needs: list[NeedName] = Field(default_factory=list, description="capabilities the hospital must have")
    count: Annotated[StrictInt, Field(ge=1)] = Field(default=1, description="identical casualties")


class CapacityIn(StrictModel):
    """MCI receiving capacity: casualties per hour per triage category (absent = 0)."""

    immediate: NonNegativeInt = 0
    delayed: NonNegativeInt = 0
    minimal: NonNegativeInt = 0
    expectant: NonNegativeInt = 0


class HospitalIn(StrictModel):
    """A receiving hospital; ``lat`` and ``lon`` are needed unless a matrix is given."""

    id: Id
    name: str = ""
    lat: Latitude | None = Field(default=None, description="degrees north (WGS 84)")
    lon: Longitude | None = Field(default=None, description="degrees east (WGS 84)")
    capacity: CapacityIn = Field(default_factory=CapacityIn, description="casualties per hour")
    capabilities: list[CapabilityName] = Field(default_factory=list)


class TravelTimeMatrixIn(StrictModel):
    """Given travel minutes: one row per site id, one column per hospital id; null = unreachable."""

    sites: list[Id] = Field(description="row ids: every site of the problem, any order")
    hospitals: list[Id] = Field(description="column ids: every hospital of the problem, any order")
    minutes: list[list[NonNegativeFloat | None]]


class ProblemIn(StrictModel):
    """A casualty distribution problem (format in the module docstring)."""

    model_config = ConfigDict(title="Jedel casualty distribution problem")

    planning_horizon_h: Annotated[StrictInt, InRange(1, MAX_PLANNING_HORIZON_H)] = Field(
        default=1, description="hours the plan covers; capacity is per hour"
    )
    max_transport_min: NonNegativeFloat | None = Field(default=None, description="null = no limit")
    untreated_horizon_min: NonNegativeFloat | None = Field(
        default=None, description="minutes at which the death probability of the unassigned is read"
    )
    survival_model: Literal["rpm", "category"] | None = Field(
        default=None, description="default: rpm when every casualty has an rpm, else category"
    )
    travel: TravelIn | None = None
    sites: list[SiteIn] = Field(default_factory=list)
    casualties: list[CasualtyIn]
    hospitals: list[HospitalIn]
    travel_time_min: TravelTimeMatrixIn | None = Field(
        default=None, description="given travel minutes; absent = computed from coordinates by travel"
    )

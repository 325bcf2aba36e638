"""API schemas of the live distribution and the MCI board (no personal data: tags and categories only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from jedel.common.ids import NO_NUL
from jedel.incidents.selectors_distribution import HospitalLoad
from jedel.incidents.models import Assignment, CollectionPoint, DistributionPlan
from jedel.incidents.schemas import CountsOut, Lat, Lon, Version

CategoryName = Literal["immediate", "delayed", "minimal", "expectant"]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=NO_NUL, description="facility code")]


class PlanProposalOut(Schema):
    tag: str
    category: str
    version: int
    hospital: str | None = Field(description="facility code; null: no hospital can take it now")
    travel_time_min: float | None
    reason_code: str
    reason: str


class PlanHospitalOut(Schema):
    code: str
    name: str
    lat: float
    lon: float
    capacity: dict[str, int] = Field(description="declared MCI receiving capacity per hour, by category")
    remaining: dict[str, int] = Field(description="places left now: capacity less casualties on their way")
    full: list[str] = Field(description="categories the hospital declared itself full for in this incident")


class IncidentPlanOut(Schema):
    id: int
    incident: int
    computed_at: datetime
    proposals: list[PlanProposalOut]
    hospitals: list[PlanHospitalOut]
    expected_deaths: float
    nearest_expected_deaths: float
    expected_benefit: float = Field(description="expected survivors gained over sending everyone to the nearest")

    @staticmethod
    def of(p: DistributionPlan) -> "IncidentPlanOut":
        return IncidentPlanOut(id=p.pk, incident=p.incident_id, computed_at=p.computed_at,
                       proposals=[PlanProposalOut(**row) for row in p.proposals],
                       hospitals=[PlanHospitalOut(**row) for row in p.hospitals], expected_deaths=p.expected_deaths,
                       nearest_expected_deaths=p.nearest_expected_deaths,
                       expected_benefit=p.nearest_expected_deaths - p.expected_deaths)


class CasualtyAssignIn(Schema):
    hospital: Code
    version: Version
    plan: Annotated[StrictInt, Field(ge=1, le=2**53)] | None = Field(
        None, description="the plan whose proposal this accepts; another hospital (or none) needs a reason")
    reason: str = Field("", max_length=500, pattern=NO_NUL)
    over_capacity: bool = Field(False, description="send even though the hospital has no place left (needs reason)")


class CasualtyAssignmentOut(Schema):
    tag: str
    hospital: str
    proposed: str | None
    category: str
    override_reason: str
    over_capacity: bool
    accepted_at: datetime
    accepted_by: str
    travel_time_min: float | None
    eta: datetime | None
    notice: int | None
    casualty_version: int

    @staticmethod
    def of(a: Assignment) -> "CasualtyAssignmentOut":
        return CasualtyAssignmentOut(tag=a.casualty.tag, hospital=a.facility.code,
                             proposed=a.proposed_facility.code if a.proposed_facility else None, category=a.category,
                             override_reason=a.override_reason, over_capacity=a.over_capacity,
                             accepted_at=a.accepted_at, accepted_by=a.accepted_by_label,
                             travel_time_min=a.travel_time_min, eta=a.eta, notice=a.notice_id,
                             casualty_version=a.casualty.version)


class HospitalFullIn(Schema):
    category: CategoryName
    full: bool = True


class HospitalFullOut(Schema):
    hospital: str
    category: str
    full: bool
    changed: bool


class DiversionIn(Schema):
    note: str = Field("", max_length=500, pattern=NO_NUL)


class CollectionPointIn(Schema):
    name: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    lat: Lat
    lon: Lon


class CollectionPointOut(Schema):
    name: str
    lat: float
    lon: float

    @staticmethod
    def of(p: CollectionPoint) -> "CollectionPointOut":
        return CollectionPointOut(name=p.name, lat=p.lat, lon=p.lon)


class HospitalLoadOut(Schema):
    code: str
    name: str
    lat: float
    lon: float
    capacity: dict[str, int]
    incoming: dict[str, int]
    arrived: dict[str, int]
    remaining: dict[str, int]
    full: list[str]
    acknowledged: int
    unacknowledged: int
    diversions: int

    @staticmethod
    def of(h: HospitalLoad) -> "HospitalLoadOut":
        return HospitalLoadOut(**h.__dict__)


class IncidentBoardOut(Schema):
    incident: int
    exercise: bool
    status: str
    scene_lat: float
    scene_lon: float
    counts: CountsOut
    hospitals: list[HospitalLoadOut]
    collection_points: list[CollectionPointOut]

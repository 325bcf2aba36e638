"""API schemas of the incidents app. Enums and ranges are stated here, so a bad value is a 422 naming the field."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema
from pydantic import StrictInt

from jedel.common.ids import NO_NUL, RowId
from jedel.common.moments import ApiDatetime
from jedel.incidents.engines import FindingsIn
from jedel.incidents.models import Casualty, CasualtyLocation, Incident, IncidentRole, TimelineEntry, TriageAssessment
from jedel.incidents.selectors import CasualtyCounts

KindName = Literal["earthquake", "flood", "transport", "explosion", "fire", "chemical", "epidemic", "other"]
LevelName = Literal["local", "regional", "national"]
RoleName = Literal["commander", "regional_coordinator", "hospital_liaison"]
StatusName = Literal["at_scene", "awaiting_transport", "in_transport", "arrived", "admitted", "treated_released",
                     "transferred", "deceased"]
MethodName = Literal["auto", "start", "jumpstart", "salt"]
AgeBandName = Literal["infant", "child", "adolescent", "adult", "older", "unknown"]
# A casualty's needs: capabilities its receiving hospital must have (jedel.core.vocabulary.Need; a test keeps
# this list equal to it).
NeedName = Literal["burns", "paediatric_surgery", "neurosurgery", "cath_lab", "obstetric", "dialysis", "helipad",
                   "ct", "mri", "laboratory"]
Needs = Annotated[list[NeedName], Field(max_length=10, description="capabilities the receiving hospital must have")]
PointId = Annotated[RowId | None, Field(description="id of the incident's collection point where it waits")]
SexName = Literal["female", "male", "unknown"]
Version = Annotated[StrictInt, Field(ge=1, le=2_000_000_000, description="the version you read (stale: 409)")]
TAG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
# Path parameters of every incidents router (the bound keeps ids exact in JavaScript clients).
IncidentId = Annotated[int, Path(ge=1, le=2**53)]
TagPath = Annotated[str, Path(pattern=TAG_PATTERN, max_length=32)]
Tag = Annotated[str, Field(min_length=1, max_length=32, pattern=TAG_PATTERN,
                           description="the number on the triage tag")]
Lat = Annotated[float, Field(ge=-90, le=90)]
Lon = Annotated[float, Field(ge=-180, le=180)]


class IncidentIn(Schema):
    title: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    kind: KindName
    scene_lat: Lat
    scene_lon: Lon
    regions: list[Annotated[str, Field(pattern=r"^KZ-[0-9A-Z]{2,3}$")]] = Field(
        min_length=1, max_length=20, description="ISO 3166-2 codes of the affected regions; the scene's first")
    estimated_casualties: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = None
    response_level: LevelName = "local"
    is_exercise: bool = False
    description: str = Field("", max_length=4000, pattern=NO_NUL)


class VersionIn(Schema):
    version: Version


class RoleIn(Schema):
    role: RoleName
    username: str = Field(min_length=1, max_length=150, pattern=NO_NUL)


class TriageIn(Schema):
    method: MethodName = "auto"
    findings: FindingsIn = Field(default_factory=FindingsIn)


class CasualtyIn(Schema):
    tag: Tag
    age_band: AgeBandName = "unknown"
    sex: SexName = "unknown"
    name: str = Field("", max_length=200, pattern=NO_NUL)
    description: str = Field("", max_length=2000, pattern=NO_NUL)
    triage: TriageIn | None = None
    lat: Lat | None = None
    lon: Lon | None = None
    needs: Needs = Field(default_factory=list)
    collection_point: PointId = None


class TriageCasualtyIn(TriageIn):
    version: Version | None = None
    needs: Needs | None = Field(None, description="null or absent: unchanged")
    collection_point: PointId = Field(None, description="where it is re-triaged; null or absent: unchanged")


class MoveIn(Schema):
    status: StatusName
    version: Version
    destination: str | None = Field(None, min_length=1, max_length=32, pattern=NO_NUL,
                                    description="facility code; needed into in_transport")
    vehicle: str | None = Field(None, max_length=64, pattern=NO_NUL)
    eta: ApiDatetime | None = None
    lat: Lat | None = None
    lon: Lon | None = None
    note: str = Field("", max_length=500, pattern=NO_NUL)


class IncidentOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    is_exercise: bool
    scene_lat: float
    scene_lon: float
    region: str
    regions: list[str]
    estimated_casualties: int | None
    response_level: str
    description: str
    declared_by: str
    declared_at: datetime
    stood_down_at: datetime | None
    closed_at: datetime | None
    version: int

    @staticmethod
    def of(i: Incident) -> "IncidentOut":
        return IncidentOut(id=i.pk, title=i.title, kind=i.kind, status=i.status, is_exercise=i.is_exercise,
                           scene_lat=i.scene_lat, scene_lon=i.scene_lon, region=i.region.iso_code,
                           regions=sorted(r.iso_code for r in i.regions.all()),
                           estimated_casualties=i.estimated_casualties, response_level=i.response_level,
                           description=i.description, declared_by=i.declared_by_label, declared_at=i.declared_at,
                           stood_down_at=i.stood_down_at, closed_at=i.closed_at, version=i.version)


class RoleOut(Schema):
    role: str
    username: str
    assigned_at: datetime

    @staticmethod
    def of(r: IncidentRole) -> "RoleOut":
        return RoleOut(role=r.role, username=r.user.get_username(), assigned_at=r.assigned_at)


class CountsOut(Schema):
    total: int
    by_category: dict[str, int]
    by_status: dict[str, int]

    @staticmethod
    def of(c: CasualtyCounts) -> "CountsOut":
        return CountsOut(total=c.total, by_category=c.by_category, by_status=c.by_status)


class IncidentPageOut(Schema):
    incident: IncidentOut
    roles: list[RoleOut]
    counts: CountsOut


class TimelineOut(Schema):
    at: datetime
    actor: str
    kind: str
    casualty_tag: str | None
    data: dict[str, object]

    @staticmethod
    def of(e: TimelineEntry, tags: dict[int, str]) -> "TimelineOut":
        return TimelineOut(at=e.at, actor=e.actor_label, kind=e.kind, data=e.data,
                           casualty_tag=tags.get(e.casualty_id) if e.casualty_id else None)


class CasualtyAssessmentOut(Schema):
    at: datetime
    actor: str
    requested_method: str
    method: str
    category: str
    rule: str
    findings: dict[str, object]

    @staticmethod
    def of(a: TriageAssessment) -> "CasualtyAssessmentOut":
        return CasualtyAssessmentOut(at=a.at, actor=a.actor_label, requested_method=a.requested_method, method=a.method,
                             category=a.category, rule=a.rule, findings=a.findings)


class LocationOut(Schema):
    at: datetime
    actor: str
    from_status: str
    status: str
    destination: str | None
    vehicle: str
    eta: datetime | None

    @staticmethod
    def of(row: CasualtyLocation) -> "LocationOut":
        return LocationOut(at=row.at, actor=row.actor_label, from_status=row.from_status, status=row.status,
                           destination=row.destination.code if row.destination else None, vehicle=row.vehicle,
                           eta=row.eta)


class CasualtyOut(Schema):
    id: int
    incident: int
    tag: str
    age_band: str
    sex: str
    name: str
    description: str
    status: str
    category: str
    triage_method: str
    triage_rule: str
    destination: str | None
    vehicle: str
    eta: datetime | None
    needs: list[str]
    collection_point: int | None
    version: int
    registered_at: datetime
    created: bool = Field(False, description="true when this request registered it; false: the tag was known")

    @staticmethod
    def of(c: Casualty, *, created: bool = False) -> "CasualtyOut":
        return CasualtyOut(id=c.pk, incident=c.incident_id, tag=c.tag, age_band=c.age_band, sex=c.sex, name=c.name,
                           description=c.description, status=c.status, category=c.category,
                           triage_method=c.triage_method, triage_rule=c.triage_rule,
                           destination=c.destination.code if c.destination else None, vehicle=c.vehicle, eta=c.eta,
                           needs=list(c.needs or ()), collection_point=c.collection_point_id, version=c.version,
                           registered_at=c.registered_at, created=created)


class CasualtyPageOut(Schema):
    casualty: CasualtyOut
    assessments: list[CasualtyAssessmentOut]
    locations: list[LocationOut]

"""API schemas of the training registry, the personnel reserve and regional hospital coordinators."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from jedel.common.ids import NO_NUL, RowId
from jedel.preparedness.models import Certificate, Course, Participant, RegionCoordinator, ReserveMember, TrainingSession
from jedel.preparedness.selectors_training import TrainingRow

CompetencyName = Literal["mcm", "triage", "incident_command", "hsi_evaluator", "cbrn", "trauma_care",
                         "infection_control", "psychosocial"]
AvailabilityName = Literal["available", "limited", "unavailable"]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]


class CourseIn(Schema):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")
    title: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    kind: Literal["course", "exercise"]
    competency: CompetencyName
    validity_months: Annotated[StrictInt, Field(ge=1, le=240)] | None = None


class CourseOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    competency: str
    validity_months: int | None

    @staticmethod
    def of(c: Course) -> CourseOut:
        return CourseOut(id=c.pk, code=c.code, title=c.title, kind=c.kind, competency=c.competency,
                         validity_months=c.validity_months)


class ParticipantIn(Schema):
    name: Name
    role: str = Field("", max_length=150, pattern=NO_NUL)
    facility: RowId | None = Field(None, description="the participant's facility; the session's when omitted")


class SessionIn(Schema):
    course: RowId
    facility: RowId | None = Field(None, description="host facility; or give the region")
    region: RowId | None = None
    starts_on: date
    ends_on: date
    location: str = Field("", max_length=300, pattern=NO_NUL)
    trainer: str = Field("", max_length=200, pattern=NO_NUL)
    participants: list[ParticipantIn] = Field(min_length=1, max_length=500)


class CertificateOut(Schema):
    number: str
    issued_on: date
    expires_on: date | None


class ParticipantOut(Schema):
    id: int
    name: str
    role: str
    facility: int | None
    region: int
    certificate: CertificateOut | None

    @staticmethod
    def of(p: Participant) -> ParticipantOut:
        cert: Certificate | None = getattr(p, "certificate", None)
        return ParticipantOut(id=p.pk, name=p.name, role=p.role, facility=p.facility_id, region=p.region_id,
                              certificate=CertificateOut(number=cert.number, issued_on=cert.issued_on,
                                                         expires_on=cert.expires_on) if cert else None)


class SessionOut(Schema):
    id: int
    course: CourseOut
    facility: int | None
    region: int
    starts_on: date
    ends_on: date
    location: str
    trainer: str
    participants: list[ParticipantOut]

    @staticmethod
    def of(s: TrainingSession) -> SessionOut:
        people = s.participants.select_related("certificate").all()
        return SessionOut(id=s.pk, course=CourseOut.of(s.course), facility=s.facility_id, region=s.region_id,
                          starts_on=s.starts_on, ends_on=s.ends_on, location=s.location, trainer=s.trainer,
                          participants=[ParticipantOut.of(p) for p in people])


class CertificateIn(Schema):
    participant: RowId
    number: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    issued_on: date
    expires_on: date | None = None


class CertificatesIn(Schema):
    certificates: list[CertificateIn] = Field(min_length=1, max_length=500)


class ReserveIn(Schema):
    facility: RowId
    name: Name
    profession: str = Field(min_length=1, max_length=150, pattern=NO_NUL)
    competencies: list[CompetencyName] = Field(default_factory=list, max_length=20)
    phone: str = Field("", max_length=40, pattern=NO_NUL)
    availability: AvailabilityName = "available"
    note: str = Field("", max_length=500, pattern=NO_NUL)


class ReservePatchIn(Schema):
    version: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    availability: AvailabilityName | None = None
    competencies: list[CompetencyName] | None = Field(None, max_length=20)
    phone: str | None = Field(None, max_length=40, pattern=NO_NUL)
    note: str | None = Field(None, max_length=500, pattern=NO_NUL)


class ReserveOut(Schema):
    id: int
    version: int
    name: str
    profession: str
    facility: int
    region: int
    phone: str
    competencies: list[str]
    availability: str
    note: str

    @staticmethod
    def of(m: ReserveMember) -> ReserveOut:
        return ReserveOut(id=m.pk, version=m.version, name=m.name, profession=m.profession, facility=m.facility_id,
                          region=m.region_id, phone=m.phone, competencies=m.competencies, availability=m.availability,
                          note=m.note)


class CoordinatorIn(Schema):
    name: Name
    phone: str = Field("", max_length=40, pattern=NO_NUL)
    email: str = Field("", max_length=200, pattern=NO_NUL)


class CoordinatorsIn(Schema):
    people: list[CoordinatorIn] = Field(min_length=1, max_length=10, description="the coordinator first, then deputies")


class CoordinatorOut(Schema):
    region: str
    position: int
    deputy: bool
    name: str
    phone: str
    email: str

    @staticmethod
    def of(c: RegionCoordinator) -> CoordinatorOut:
        return CoordinatorOut(region=c.region.iso_code, position=c.position, deputy=c.position > 0, name=c.name,
                              phone=c.phone, email=c.email)


class TrainingRowOut(Schema):
    label: str
    trained: int
    covered: int
    required: int
    coverage: float
    by_competency: dict[str, int]

    @staticmethod
    def of(r: TrainingRow) -> TrainingRowOut:
        return TrainingRowOut(label=r.label, trained=r.trained, covered=r.covered, required=r.required,
                              coverage=r.coverage, by_competency=r.by_competency)


class FacilityTrainingOut(TrainingRowOut):
    facility: int


class TrainingReportOut(Schema):
    required: list[str]
    regions: list[TrainingRowOut]
    facilities: list[FacilityTrainingOut]

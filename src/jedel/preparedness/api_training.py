"""Training registry, personnel reserve and regional hospital coordinators over HTTP (on the app's one router)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from jedel.common import clock
from jedel.common.ids import RowIdParam
from jedel.preparedness import selectors_training as reads
from jedel.preparedness.api import router
from jedel.preparedness.schemas_training import (
    AvailabilityName, CertificatesIn, CompetencyName, CoordinatorOut, CoordinatorsIn, CourseIn, CourseOut,
    FacilityTrainingOut, ParticipantOut, ReserveIn, ReserveOut, ReservePatchIn, SessionIn, SessionOut,
    TrainingReportOut, TrainingRowOut,
)
from jedel.preparedness.services.reserve import coordinators_set, reserve_add, reserve_update
from jedel.preparedness.services.training import (
    CertificateInput, ParticipantInput, certificates_issue, course_create, session_create,
)


@router.get("/preparedness/courses", response=list[CourseOut])
def list_courses(request: HttpRequest) -> Any:
    return [CourseOut.of(c) for c in reads.course_list(request.auth)]  # type: ignore[attr-defined]


@router.post("/preparedness/courses", response={201: CourseOut})
def create_course(request: HttpRequest, data: CourseIn) -> Any:
    course = course_create(actor=request.auth, code=data.code, title=data.title, kind=data.kind,  # type: ignore[attr-defined]
                           competency=data.competency, validity_months=data.validity_months)
    return Status(201, CourseOut.of(course))


@router.post("/preparedness/training/sessions", response={201: SessionOut})
def create_training_session(request: HttpRequest, data: SessionIn) -> Any:
    session = session_create(
        actor=request.auth, course_id=data.course, facility_id=data.facility, region_id=data.region,  # type: ignore[attr-defined]
        starts_on=data.starts_on, ends_on=data.ends_on, location=data.location, trainer=data.trainer,
        participants=[ParticipantInput(p.name, p.role, p.facility if p.facility is not None else data.facility)
                      for p in data.participants])
    return Status(201, SessionOut.of(session))


@router.get("/preparedness/training/sessions", response=list[SessionOut])
def list_training_sessions(request: HttpRequest, facility: RowIdParam | None = None,
                           region: RowIdParam | None = None) -> Any:
    rows = reads.session_list(request.auth, facility_id=facility, region_id=region)  # type: ignore[attr-defined]
    return [SessionOut.of(s) for s in rows]


@router.post("/preparedness/training/sessions/{session_id}/certificates", response={201: list[ParticipantOut]})
def issue_certificates(request: HttpRequest, session_id: RowIdParam, data: CertificatesIn) -> Any:
    certificates_issue(actor=request.auth, session_id=session_id,  # type: ignore[attr-defined]
                       certificates=[CertificateInput(c.participant, c.number, c.issued_on, c.expires_on)
                                     for c in data.certificates])
    session = reads.session_get(request.auth, session_id)  # type: ignore[attr-defined]
    return Status(201, SessionOut.of(session).participants)


@router.get("/preparedness/training/report", response=TrainingReportOut)
def get_training_report(request: HttpRequest, region: RowIdParam | None = None) -> Any:
    report = reads.training_report(request.auth, timezone.localdate(clock.utcnow()), region_id=region)  # type: ignore[attr-defined]
    return TrainingReportOut(
        required=list(report.required), regions=[TrainingRowOut.of(r) for r in report.regions],
        facilities=[FacilityTrainingOut(facility=f.pk, **TrainingRowOut.of(r).model_dump())
                    for f, r in report.facilities])


@router.get("/preparedness/reserve", response=list[ReserveOut])
def list_reserve(request: HttpRequest, facility: RowIdParam | None = None, region: RowIdParam | None = None,
                 competency: CompetencyName | None = None, availability: AvailabilityName | None = None) -> Any:
    rows = reads.reserve_list(request.auth, facility_id=facility, region_id=region,  # type: ignore[attr-defined]
                              competency=competency, availability=availability)
    return [ReserveOut.of(m) for m in rows]


@router.post("/preparedness/reserve", response={201: ReserveOut})
def add_reserve_member(request: HttpRequest, data: ReserveIn) -> Any:
    member = reserve_add(actor=request.auth, facility_id=data.facility, name=data.name,  # type: ignore[attr-defined]
                         profession=data.profession, competencies=list(data.competencies), phone=data.phone,
                         availability=data.availability, note=data.note)
    return Status(201, ReserveOut.of(member))


@router.patch("/preparedness/reserve/{member_id}", response=ReserveOut)
def update_reserve_member(request: HttpRequest, member_id: RowIdParam, data: ReservePatchIn) -> Any:
    member = reserve_update(actor=request.auth, member_id=member_id, version=data.version,  # type: ignore[attr-defined]
                            availability=data.availability,
                            competencies=list(data.competencies) if data.competencies is not None else None,
                            phone=data.phone, note=data.note)
    return ReserveOut.of(member)


@router.get("/preparedness/coordinators", response=list[CoordinatorOut])
def list_region_coordinators(request: HttpRequest, region: RowIdParam | None = None) -> Any:
    return [CoordinatorOut.of(c) for c in reads.coordinator_list(request.auth, region_id=region)]  # type: ignore[attr-defined]


@router.put("/preparedness/coordinators/{region_id}", response=list[CoordinatorOut])
def set_region_coordinators(request: HttpRequest, region_id: RowIdParam, data: CoordinatorsIn) -> Any:
    rows = coordinators_set(actor=request.auth, region_id=region_id,  # type: ignore[attr-defined]
                            people=[p.model_dump() for p in data.people])
    return [CoordinatorOut.of(c) for c in rows]

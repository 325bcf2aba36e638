"""Training registry writes: the course catalogue, sessions with their participants, certificates (every row checked
first, nothing written if one is wrong)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from jedel.accounts.policy import NATIONAL, Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.errors import DomainError, NotFound, ValidationFailed
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import Certificate, Competency, Course, Participant, TrainingSession
from jedel.preparedness.permissions import MANAGE_COURSES, MANAGE_TRAINING


def _err(loc: list[Any], code: PrepError) -> dict[str, Any]:
    return {"loc": loc, "msg": str(code.message), "code": code.value}


def _refuse(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise ValidationFailed(PrepError(errors[0]["code"]), errors)


def course_create(*, actor: Principal, code: str, title: str, kind: str, competency: str,
                  validity_months: int | None = None) -> Course:
    """Add a course or exercise to the national catalogue."""
    require(actor, MANAGE_COURSES, NATIONAL, object_type="course")
    errors = []
    if kind not in Course.Kind.values:
        errors.append(_err(["kind"], PrepError.INVALID))
    if competency not in Competency.values:
        errors.append(_err(["competency"], PrepError.UNKNOWN_COMPETENCY))
    _refuse(errors)
    try:
        with transaction.atomic():
            course = Course.objects.create(code=code.strip(), title=title.strip(), kind=kind, competency=competency,
                                           validity_months=validity_months)
    except IntegrityError:
        raise DomainError(PrepError.DUPLICATE_COURSE, field="code", status=409) from None
    audit_record(actor=actor, action=MANAGE_COURSES.name, object_type="course", object_id=course.pk,
                 changes={"code": course.code, "competency": competency})
    return course


@dataclass(frozen=True)
class ParticipantInput:
    name: str
    role: str = ""
    facility_id: int | None = None


def session_create(*, actor: Principal, course_id: int, starts_on: date, ends_on: date,
                   participants: list[ParticipantInput], facility_id: int | None = None, region_id: int | None = None,
                   location: str = "", trainer: str = "") -> TrainingSession:
    """Record a session held at a facility (or in a region) with its participants."""
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise NotFound(PrepError.COURSE_NOT_FOUND, field="course")
    facility = Facility.objects.filter(pk=facility_id).first() if facility_id is not None else None
    if facility_id is not None and facility is None:
        raise NotFound(PrepError.FACILITY_NOT_FOUND, field="facility")
    region = facility.region if facility else Region.objects.filter(pk=region_id).first()
    if region is None:
        raise NotFound(PrepError.REGION_NOT_FOUND, field="region")
    require(actor, MANAGE_TRAINING, Target(region_id=region.pk, facility_id=facility.pk if facility else None),
            object_type="training_session")
    errors = []
    if ends_on < starts_on:
        errors.append(_err(["ends_on"], PrepError.SESSION_DATES))
    names = [p for p in participants if p.name.strip()]
    if not names:
        errors.append(_err(["participants"], PrepError.NO_PARTICIPANTS))
    wanted = {p.facility_id for p in names if p.facility_id is not None}
    known = {f.pk: f for f in Facility.objects.filter(pk__in=wanted)}
    for n, p in enumerate(participants):
        if p.facility_id is not None and p.facility_id not in known:
            errors.append(_err(["participants", n, "facility"], PrepError.FACILITY_NOT_FOUND))
    _refuse(errors)
    with transaction.atomic():
        session = TrainingSession.objects.create(course=course, region=region, facility=facility, starts_on=starts_on,
                                                 ends_on=ends_on, location=location.strip(), trainer=trainer.strip(),
                                                 created_by=actor.label)
        Participant.objects.bulk_create([
            Participant(session=session, name=p.name.strip(), role=p.role.strip(), facility=known.get(p.facility_id),
                        region_id=known[p.facility_id].region_id if p.facility_id in known else region.pk)
            for p in names])
        audit_record(actor=actor, action=MANAGE_TRAINING.name, object_type="training_session", object_id=session.pk,
                     region_id=region.pk, facility_id=facility.pk if facility else None,
                     changes={"course": course.code, "participants": len(names)})
    return session


@dataclass(frozen=True)
class CertificateInput:
    participant_id: int
    number: str
    issued_on: date
    expires_on: date | None = None


def certificates_issue(*, actor: Principal, session_id: int, certificates: list[CertificateInput]) -> list[Certificate]:
    """Issue (or replace) certificates of a session's participants; all or nothing."""
    session = TrainingSession.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        raise NotFound(PrepError.SESSION_NOT_FOUND)
    require(actor, MANAGE_TRAINING, session, object_type="training_session", object_id=session_id)
    people = {p.pk: p for p in session.participants.all()}
    errors, seen = [], set()
    for n, c in enumerate(certificates):
        if c.participant_id not in people:
            errors.append(_err(["certificates", n, "participant"], PrepError.PARTICIPANT_NOT_FOUND))
        elif c.participant_id in seen:
            errors.append(_err(["certificates", n, "participant"], PrepError.DUPLICATE_ITEM))
        seen.add(c.participant_id)
        if c.expires_on is not None and c.expires_on < c.issued_on:
            errors.append(_err(["certificates", n, "expires_on"], PrepError.EXPIRES_BEFORE_ISSUED))
        if c.issued_on < session.starts_on:
            errors.append(_err(["certificates", n, "issued_on"], PrepError.ISSUED_BEFORE_SESSION))
        if not c.number.strip():
            errors.append(_err(["certificates", n, "number"], PrepError.INVALID))
    _refuse(errors)
    with transaction.atomic():
        issued = [Certificate.objects.update_or_create(
            participant=people[c.participant_id],
            defaults={"number": c.number.strip(), "issued_on": c.issued_on, "expires_on": c.expires_on})[0]
            for c in certificates]
        audit_record(actor=actor, action=MANAGE_TRAINING.name, object_type="training_session", object_id=session.pk,
                     region_id=session.region_id, facility_id=session.facility_id,
                     changes={"certificates": [c.number for c in issued]})
    return issued

"""Personnel reserve and regional hospital coordinators: writes."""

from __future__ import annotations

from django.db import transaction

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.errors import Conflict, DomainError, NotFound, ValidationFailed
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import Competency, RegionCoordinator, ReserveMember
from jedel.preparedness.permissions import MANAGE_REGION_COORDINATORS, MANAGE_RESERVE


def _competencies(values: list[str]) -> list[str]:
    bad = [{"loc": ["competencies", n], "msg": str(PrepError.UNKNOWN_COMPETENCY.message),
            "code": PrepError.UNKNOWN_COMPETENCY.value} for n, v in enumerate(values) if v not in Competency.values]
    if bad:
        raise ValidationFailed(PrepError.UNKNOWN_COMPETENCY, bad)
    return list(dict.fromkeys(values))


def reserve_add(*, actor: Principal, facility_id: int, name: str, profession: str, competencies: list[str],
                phone: str = "", availability: str = "available", note: str = "") -> ReserveMember:
    """Add a person to the reserve of their home facility."""
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise NotFound(PrepError.FACILITY_NOT_FOUND, field="facility")
    require(actor, MANAGE_RESERVE, facility, object_type="reserve_member")
    skills = _competencies(competencies)
    if availability not in ReserveMember.Availability.values:
        raise DomainError(PrepError.INVALID, field="availability")
    with transaction.atomic():
        member = ReserveMember.objects.create(facility=facility, region_id=facility.region_id, name=name.strip(),
                                              profession=profession.strip(), competencies=skills, phone=phone.strip(),
                                              availability=availability, note=note.strip())
        audit_record(actor=actor, action=MANAGE_RESERVE.name, object_type="reserve_member", object_id=member.pk,
                     region_id=facility.region_id, facility_id=facility.pk, changes={"added": member.name})
    return member


def reserve_update(*, actor: Principal, member_id: int, version: int, availability: str | None = None,
                   competencies: list[str] | None = None, phone: str | None = None,
                   note: str | None = None) -> ReserveMember:
    """Change a member's availability, competencies or contact; `version` is the one read (stale: 409)."""
    member = ReserveMember.objects.filter(pk=member_id).first()
    if member is None:
        raise NotFound(PrepError.MEMBER_NOT_FOUND)
    require(actor, MANAGE_RESERVE, member, object_type="reserve_member", object_id=member_id)
    changes: dict[str, object] = {}
    if availability is not None:
        if availability not in ReserveMember.Availability.values:
            raise DomainError(PrepError.INVALID, field="availability")
        changes["availability"] = availability
    if competencies is not None:
        changes["competencies"] = _competencies(competencies)
    if phone is not None:
        changes["phone"] = phone.strip()
    if note is not None:
        changes["note"] = note.strip()
    with transaction.atomic():
        updated = ReserveMember.objects.filter(pk=member.pk, version=version).update(version=version + 1, **changes)
        if not updated:
            raise Conflict(PrepError.STALE_VERSION, field="version")
        audit_record(actor=actor, action=MANAGE_RESERVE.name, object_type="reserve_member", object_id=member.pk,
                     region_id=member.region_id, facility_id=member.facility_id, changes=changes)
    member.refresh_from_db()
    return member


def coordinators_set(*, actor: Principal, region_id: int, people: list[dict[str, str]]) -> list[RegionCoordinator]:
    """Name the region's designated hospital coordinator (first) and deputies (then), replacing the list."""
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise NotFound(PrepError.REGION_NOT_FOUND, field="region")
    require(actor, MANAGE_REGION_COORDINATORS, Target(region_id=region.pk), object_type="region_coordinators",
            object_id=region.pk)
    named = [p for p in people if p.get("name", "").strip()]
    if not named:
        raise DomainError(PrepError.INVALID, field="people")
    with transaction.atomic():
        RegionCoordinator.objects.filter(region=region).delete()
        rows = RegionCoordinator.objects.bulk_create([
            RegionCoordinator(region=region, position=n, name=p["name"].strip(), phone=p.get("phone", "").strip(),
                              email=p.get("email", "").strip()) for n, p in enumerate(named)])
        audit_record(actor=actor, action=MANAGE_REGION_COORDINATORS.name, object_type="region_coordinators",
                     object_id=region.pk, region_id=region.pk, changes={"names": [r.name for r in rows]})
    return rows

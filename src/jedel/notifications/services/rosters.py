"""Duty rosters: desks and the shifts of people on them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from jedel.accounts.models import User
from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.errors import DomainError, NotFound
from jedel.geo.models import Region
from jedel.notifications.errors import NoticeError
from jedel.notifications.models import Desk, Shift
from jedel.notifications.permissions import MANAGE_ROSTER


def desk_ensure(*, actor: Principal, kind: str, facility_id: int | None = None, region_id: int | None = None) -> Desk:
    """The desk of that kind for the facility / region / nation, created on first use."""
    expected = {"admissions": (True, False), "security": (True, False), "region_coordination": (False, True),
                "nccem_duty": (False, False)}.get(kind)
    if expected is None or expected != (facility_id is not None, region_id is not None):
        raise DomainError(NoticeError.BAD_DESK, field="kind")
    probe = Desk(kind=kind, facility_id=facility_id, region_id=region_id)
    if region_id is not None and not Region.objects.filter(pk=region_id).exists():
        raise NotFound(NoticeError.NOT_FOUND, field="region")
    require(actor, MANAGE_ROSTER, probe if facility_id is None else _with_facility(probe), object_type="desk")
    with transaction.atomic():
        desk, created = Desk.objects.get_or_create(kind=kind, facility_id=facility_id, region_id=region_id)
        if created:
            audit_record(actor=actor, action=MANAGE_ROSTER.name, object_type="desk", object_id=desk.pk,
                         region_id=region_id, facility_id=facility_id, changes={"created": kind})
    return desk


def _with_facility(desk: Desk) -> Desk:
    from jedel.facilities.models import Facility

    facility = Facility.objects.filter(pk=desk.facility_id).first()
    if facility is None:
        raise NotFound(NoticeError.NOT_FOUND, field="facility")
    desk.facility = facility
    return desk


def shift_add(*, actor: Principal, desk_id: int, user_id: int, starts_at: datetime, ends_at: datetime,
              position: int = 0) -> Shift:
    """Put a person on duty at a desk for [starts_at, ends_at)."""
    desk = Desk.objects.select_related("facility").filter(pk=desk_id).first()
    if desk is None:
        raise NotFound(NoticeError.NOT_FOUND, field="desk")
    require(actor, MANAGE_ROSTER, desk, object_type="desk", object_id=desk_id)
    if ends_at <= starts_at:
        raise DomainError(NoticeError.BAD_SHIFT, field="ends_at")
    if not User.objects.filter(pk=user_id, is_active=True).exists():
        raise DomainError(NoticeError.NOT_FOUND, field="user")
    with transaction.atomic():
        shift = Shift.objects.create(desk=desk, user_id=user_id, starts_at=starts_at, ends_at=ends_at,
                                     position=position)
        audit_record(actor=actor, action=MANAGE_ROSTER.name, object_type="shift", object_id=shift.pk,
                     region_id=desk.region_id or (desk.facility.region_id if desk.facility else None),
                     facility_id=desk.facility_id,
                     changes={"user": user_id, "from": starts_at.isoformat(), "to": ends_at.isoformat(),
                              "position": position})
    return shift


def shift_remove(*, actor: Principal, shift_id: int) -> None:
    shift = Shift.objects.select_related("desk__facility").filter(pk=shift_id).first()
    if shift is None:
        raise NotFound(NoticeError.NOT_FOUND, field="shift")
    require(actor, MANAGE_ROSTER, shift.desk, object_type="shift", object_id=shift_id)
    with transaction.atomic():
        audit_record(actor=actor, action=MANAGE_ROSTER.name, object_type="shift", object_id=shift_id,
                     region_id=shift.desk.region_id or (shift.desk.facility.region_id if shift.desk.facility else None),
                     facility_id=shift.desk.facility_id, changes={"removed": shift.user_id})
        shift.delete()

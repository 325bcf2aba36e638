"""Who a level of a notice reaches: people named, people on duty at a desk, people with a role and scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from jedel.accounts.models import User
from jedel.accounts.policy import Principal
from jedel.notifications.models import Shift


@dataclass(frozen=True)
class Resolved:
    """The people a level reaches, each with the desk they were reached through (None: addressed directly)."""

    people: list[tuple[User, int | None]] = field(default_factory=list)
    empty_desks: list[int] = field(default_factory=list)  # desks with nobody on duty: flagged, never silent


def on_duty(desk_id: int, now: datetime, *, position: int | None = None) -> QuerySet[Shift]:
    """Shifts at the desk covering `now`, first-called first."""
    shifts = Shift.objects.filter(desk_id=desk_id, starts_at__lte=now, ends_at__gt=now, user__is_active=True)
    if position is not None:
        shifts = shifts.filter(position=position)
    return shifts.select_related("user").order_by("position", "starts_at", "pk")


def _role_users(spec: dict[str, Any]) -> QuerySet[User]:
    users = User.objects.filter(is_active=True, role=spec["role"])
    if spec.get("facility"):
        return users.filter(scope_facility_id=spec["facility"])
    if spec.get("region"):
        return users.filter(scope_region_id=spec["region"], scope_facility__isnull=True)
    return users.filter(scope_level="national")


def resolve_level(specs: list[dict[str, Any]], now: datetime) -> Resolved:
    """Resolve one escalation level's recipient specs, as of `now`, without duplicates.

    Specs: ``{"user": id}``, ``{"desk": id}`` (everyone on duty), ``{"desk": id, "position": n}``, or
    ``{"role": role, "region": id?, "facility": id?}`` (active users with exactly that scope).
    """
    people: dict[int, tuple[User, int | None]] = {}
    empty: list[int] = []
    for spec in specs:
        if "user" in spec:
            user = User.objects.filter(pk=spec["user"], is_active=True).first()
            found = [(user, None)] if user else []
        elif "desk" in spec:
            found = [(s.user, spec["desk"]) for s in on_duty(spec["desk"], now, position=spec.get("position"))]
            if not found:
                empty.append(spec["desk"])
        else:
            found = [(u, None) for u in _role_users(spec)]
        for user, desk_id in found:
            people.setdefault(user.pk, (user, desk_id))
    return Resolved(people=list(people.values()), empty_desks=empty)




def own_scope(viewer: Principal) -> object:
    """What a principal's own scope resolves to for the policy (its facility, region or the nation)."""
    from jedel.accounts.policy import NATIONAL, Target
    from jedel.facilities.models import Facility

    if viewer.facility_id is not None:
        facility = Facility.objects.filter(pk=viewer.facility_id).first()
        return facility if facility is not None else Target(facility_id=viewer.facility_id)
    if viewer.region_id is not None:
        return Target(region_id=viewer.region_id)
    return NATIONAL

"""Who is on duty now at which desk, and which desks have nobody."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.notifications.models import Desk, Shift
from jedel.notifications.permissions import VIEW_ROSTER


@dataclass
class DeskNow:
    desk: Desk
    on_duty: list[Shift] = field(default_factory=list)
    upcoming: list[Shift] = field(default_factory=list)

    @property
    def unstaffed(self) -> bool:
        return not self.on_duty


def roster_now(viewer: Principal, now: datetime, *, region_id: int | None = None, facility_id: int | None = None,
               kind: str | None = None) -> list[DeskNow]:
    """Every desk (filtered), with the shifts covering `now` and those starting in the next 24 hours."""
    require(viewer, VIEW_ROSTER)
    desks = Desk.objects.select_related("facility", "region")
    if region_id is not None:
        desks = desks.filter(Q(region_id=region_id) | Q(facility__region_id=region_id))
    if facility_id is not None:
        desks = desks.filter(facility_id=facility_id)
    if kind:
        desks = desks.filter(kind=kind)
    rows = {d.pk: DeskNow(d) for d in desks.order_by("kind", "region__name_en", "facility__name_en", "pk")}
    shifts = Shift.objects.filter(desk_id__in=rows, ends_at__gt=now, starts_at__lt=now + timedelta(hours=24),
                                  user__is_active=True).select_related("user").order_by("position", "starts_at")
    for shift in shifts:
        target = rows[shift.desk_id].on_duty if shift.starts_at <= now else rows[shift.desk_id].upcoming
        target.append(shift)
    return list(rows.values())

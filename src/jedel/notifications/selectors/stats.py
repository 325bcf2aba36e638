"""Alerting statistics per facility and role: how fast people acknowledge, and what goes unanswered.

A rising time to acknowledge, or many notices read but never acknowledged, is the sign of alert fatigue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from django.db.models import Q

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.notifications.models import Delivery, Notice
from jedel.notifications.permissions import VIEW_NOTICE_LOG
from jedel.notifications.selectors.recipients import own_scope


@dataclass(frozen=True)
class AckStats:
    facility_id: int | None
    facility_name: str
    role: str
    reached: int          # people reached in the app
    acknowledged: int
    declined: int
    cancelled: int        # someone else acknowledged first
    unanswered: int       # still open, or the notice ended unanswered
    median_ack_s: float | None


def ack_statistics(viewer: Principal, *, since: datetime, until: datetime, exercise: bool = False) -> list[AckStats]:
    """In-app deliveries of notices created in [since, until), grouped by the notice's facility and the role."""
    require(viewer, VIEW_NOTICE_LOG, own_scope(viewer))
    rows = Delivery.objects.filter(channel="in_app", notice__created_at__gte=since, notice__created_at__lt=until,
                                   notice__exercise=exercise)
    if viewer.scope_level == ScopeLevel.REGION:
        rows = rows.filter(Q(notice__region_id=viewer.region_id) | Q(notice__facility__region_id=viewer.region_id))
    elif viewer.scope_level == ScopeLevel.FACILITY:
        rows = rows.filter(notice__facility_id=viewer.facility_id)
    groups: dict[tuple[int | None, str], list[Delivery]] = {}
    names: dict[int | None, str] = {}
    for d in rows.select_related("notice__facility", "recipient"):
        key = (d.notice.facility_id, d.recipient.role)
        groups.setdefault(key, []).append(d)
        names[d.notice.facility_id] = d.notice.facility.name if d.notice.facility else ""
    result = []
    for (facility_id, role), items in sorted(groups.items(), key=lambda kv: (names[kv[0][0]], kv[0][1])):
        acked = [(d.acted_at - d.queued_at).total_seconds() for d in items if d.state == "acknowledged" and d.acted_at]
        result.append(AckStats(
            facility_id=facility_id, facility_name=names[facility_id], role=role, reached=len(items),
            acknowledged=len(acked), declined=sum(d.state == "cannot_respond" for d in items),
            cancelled=sum(d.state == "cancelled" for d in items),
            unanswered=sum(d.state in ("sent", "delivered", "read") and d.notice.status != Notice.Status.ACKNOWLEDGED
                           for d in items),
            median_ack_s=float(median(acked)) if acked else None))
    return result

"""Sending a notice: validate, collapse duplicates, store it with its first level's deliveries, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.notifications.errors import NoticeError
from jedel.notifications.models import Notice, NoticeKind, Priority
from jedel.notifications.permissions import SEND_NOTICE
from jedel.notifications.services.deliveries import LevelOutcome, notify_level
from jedel.notifications.services.escalating import skip_empty_levels
from jedel.notifications.services.events import notice_published

# Seconds to wait for an acknowledgement at each level when the sender gives none: a receiving hospital has
# minutes between a pre-alert and the ambulance, so the first levels are short.
DEFAULT_ACK_TIMEOUT_S = {
    Priority.EMERGENCY: 60,
    Priority.URGENT: 180,
    Priority.ROUTINE: 1800,
}


@dataclass
class SendResult:
    notice: Notice
    collapsed: bool = False  # True: an open notice with the same key existed; nothing new was sent
    empty_desks: list[int] = field(default_factory=list)
    without_channel: list[str] = field(default_factory=list)


def _check_levels(levels: list[list[dict[str, Any]]], timeouts: list[int]) -> None:
    if not levels or any(not level for level in levels) or len(timeouts) != len(levels) \
            or any(not isinstance(t, int) or t <= 0 for t in timeouts):
        raise DomainError(NoticeError.BAD_LEVELS, field="levels")
    allowed = ({"user"}, {"desk"}, {"desk", "position"}, {"role"}, {"role", "region"}, {"role", "facility"})
    for level in levels:
        for spec in level:
            if set(spec) not in allowed:
                raise DomainError(NoticeError.BAD_LEVELS, field="levels")


def notice_send(*, actor: Principal, kind: str, title: str, levels: list[list[dict[str, Any]]],
                body: str = "", priority: str = Priority.URGENT, ack_timeout_s: list[int] | None = None,
                region_id: int | None = None, facility_id: int | None = None, exercise: bool = False,
                dedupe_key: str = "", data: dict[str, Any] | None = None, now: datetime | None = None) -> SendResult:
    """Store a notice and notify its first level that has anyone to notify.

    `levels`: recipient specs per escalation level (see `selectors.resolve_level`). While a notice with the
    same `dedupe_key` is open, a new one collapses into it (its repeat count grows; nobody is paged again).
    """
    if facility_id is not None:
        from jedel.facilities.models import Facility

        facility = Facility.objects.filter(pk=facility_id).values_list("region_id", flat=True).first()
        if facility is None or (region_id is not None and region_id != facility):
            raise DomainError(NoticeError.NOT_FOUND, field="facility")
        region_id = facility
    require(actor, SEND_NOTICE, Target(region_id=region_id, facility_id=facility_id), object_type="notice")
    if kind not in NoticeKind.values or priority not in Priority.values:
        raise DomainError(NoticeError.BAD_LEVELS, field="kind" if kind not in NoticeKind.values else "priority")
    timeouts = ack_timeout_s or [DEFAULT_ACK_TIMEOUT_S[Priority(priority)]] * len(levels)
    _check_levels(levels, timeouts)
    now = now or utcnow()
    try:
        with transaction.atomic():
            if dedupe_key:
                open_one = Notice.objects.select_for_update().filter(dedupe_key=dedupe_key, status="open").first()
                if open_one is not None:
                    Notice.objects.filter(pk=open_one.pk).update(repeats=F("repeats") + 1)
                    open_one.refresh_from_db()
                    return SendResult(open_one, collapsed=True)
            notice = Notice.objects.create(
                kind=kind, priority=priority, title=title[:200], body=body, data=data or {}, exercise=exercise,
                dedupe_key=dedupe_key, sender_id=actor.user_id, sender_label=actor.label[:200], region_id=region_id,
                facility_id=facility_id, created_at=now, levels=levels, ack_timeout_s=timeouts, level=0,
                level_started_at=now, next_check_at=now + timedelta(seconds=timeouts[0]))
            outcome: LevelOutcome = notify_level(notice, 0, now)
            outcome = skip_empty_levels(notice, outcome, now)
            if not outcome.deliveries and not notice.deliveries.exists():
                raise DomainError(NoticeError.NO_RECIPIENTS, field="levels")
            audit_record(actor=actor, action=SEND_NOTICE.name, object_type="notice", object_id=notice.pk,
                         region_id=region_id, facility_id=facility_id,
                         changes={"kind": kind, "title": notice.title, "exercise": exercise})
            # No "notice.changed" for a new notice: only an open notice page follows that stream, and none can
            # be open yet. Every event on the shared "notices" stream holds its head row until commit (fsync
            # included), and with one per send, parallel senders queued on that row (bench/notify_load.py,
            # sampled: 2.6 backends waiting for a stream head lock on average; none without this event).
            notice_published(notice, outcome.deliveries, now, changed=False)
            return SendResult(notice, empty_desks=outcome.empty_desks, without_channel=outcome.without_channel)
    except IntegrityError:
        # A concurrent sender created the open notice with this key between our check and insert.
        if not dedupe_key:
            raise
        with transaction.atomic():
            open_one = Notice.objects.select_for_update().get(dedupe_key=dedupe_key, status="open")
            Notice.objects.filter(pk=open_one.pk).update(repeats=F("repeats") + 1)
            open_one.refresh_from_db()
            return SendResult(open_one, collapsed=True)


def facility_chain(facility_id: int, region_id: int, *, desk_kind: str = "admissions") -> list[list[dict[str, Any]]]:
    """The standard escalation chain for a notice to a hospital: its desk's first-called person, then the rest
    of that desk, then the region's coordinator desk, then the NCCEM duty officer (levels without a desk are
    left out)."""
    from jedel.notifications.models import Desk

    levels: list[list[dict[str, Any]]] = []
    desk = Desk.objects.filter(kind=desk_kind, facility_id=facility_id).first()
    if desk is not None:
        levels += [[{"desk": desk.pk, "position": 0}], [{"desk": desk.pk}]]
    region_desk = Desk.objects.filter(kind="region_coordination", region_id=region_id).first()
    if region_desk is not None:
        levels.append([{"desk": region_desk.pk}])
    nccem = Desk.objects.filter(kind="nccem_duty").first()
    if nccem is not None:
        levels.append([{"desk": nccem.pk}])
    return levels

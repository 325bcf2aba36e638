"""Moving a notice to its next level: on timeout (the worker's tick) or when everyone at a level declined."""

from __future__ import annotations

from datetime import datetime, timedelta

from jedel.core.alerting import EscalationAction, EscalationPolicy, escalation_decision
from jedel.notifications.models import Delivery, Notice
from jedel.notifications.services.deliveries import LevelOutcome, notify_level


def _start_level(notice: Notice, level: int, now: datetime) -> None:
    notice.level = level
    notice.level_started_at = now
    notice.next_check_at = now + timedelta(seconds=notice.ack_timeout_s[level])


def skip_empty_levels(notice: Notice, outcome: LevelOutcome, now: datetime) -> LevelOutcome:
    """While the current level reached nobody new (empty desks), go on to the next one at once.

    Empty desks are remembered in the notice's data so the message page can flag them.
    """
    total = LevelOutcome(list(outcome.deliveries), list(outcome.empty_desks), list(outcome.without_channel))
    while not outcome.deliveries and notice.level + 1 < len(notice.levels):
        _start_level(notice, notice.level + 1, now)
        outcome = notify_level(notice, notice.level, now)
        total.deliveries += outcome.deliveries
        total.empty_desks += outcome.empty_desks
        total.without_channel += outcome.without_channel
    if total.empty_desks:
        notice.data = {**notice.data, "empty_desks": sorted(set(notice.data.get("empty_desks", []) + total.empty_desks))}
    if not outcome.deliveries and notice.level + 1 >= len(notice.levels) and not _anyone_waiting(notice):
        notice.status = Notice.Status.UNANSWERED
        notice.next_check_at = None
    notice.save()
    return total


def _anyone_waiting(notice: Notice) -> bool:
    """Is anyone still able to acknowledge (a delivery that has not ended)?"""
    if notice.pk is None:
        return False
    return notice.deliveries.exclude(state__in=["cannot_respond", "failed", "cancelled"]).exists()


def declined_by_all(notice: Notice) -> bool:
    """Everyone reached at the current level answered "cannot respond" (in any of their channels)."""
    at_level = Delivery.objects.filter(notice=notice, level=notice.level)
    people = set(at_level.values_list("recipient_id", flat=True))
    declined = set(at_level.filter(state="cannot_respond").values_list("recipient_id", flat=True))
    return bool(people) and people == declined


def escalate(notice: Notice, now: datetime) -> LevelOutcome | None:
    """Apply the escalation decision to a locked, open notice; the outcome when a new level was notified."""
    policy = EscalationPolicy(tuple(notice.ack_timeout_s))
    decision = escalation_decision(policy, level=notice.level, level_started_at=notice.level_started_at, now=now,
                                   acknowledged=notice.status == Notice.Status.ACKNOWLEDGED,
                                   declined_by_all=declined_by_all(notice))
    if decision.action == EscalationAction.WAIT:
        notice.next_check_at = decision.at
        notice.save(update_fields=["next_check_at"])
        return None
    if decision.action == EscalationAction.DONE:
        notice.next_check_at = None
        notice.save(update_fields=["next_check_at"])
        return None
    if decision.action == EscalationAction.UNANSWERED:
        notice.status = Notice.Status.UNANSWERED
        notice.next_check_at = None
        notice.save(update_fields=["status", "next_check_at"])
        return LevelOutcome()
    _start_level(notice, decision.level, now)
    return skip_empty_levels(notice, notify_level(notice, notice.level, now), now)

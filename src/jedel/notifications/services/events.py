"""What the notifications app publishes on the real-time channel (inside the caller's transaction)."""

from __future__ import annotations

from datetime import datetime

from jedel.common.realtime.publish import publish
from jedel.notifications.models import Channel, Delivery, Notice
from jedel.notifications.permissions import RECEIVE_NOTICES, VIEW_NOTICE_LOG
from jedel.notifications.realtime import INBOX, STREAM


def notice_summary(notice: Notice) -> dict[str, object]:
    return {"notice": notice.pk, "kind": notice.kind, "priority": notice.priority, "title": notice.title,
            "exercise": notice.exercise, "status": notice.status, "level": notice.level,
            "region": notice.region_id, "facility": notice.facility_id}


def notice_published(notice: Notice, deliveries: list[Delivery], now: datetime, *, changed: bool = True) -> None:
    """One event per new in-app delivery on its recipient's inbox stream, then (unless `changed` is False) the
    log change.

    Each recipient's inbox head is locked until commit; taking them in recipient order means two transactions
    reaching overlapping people (a desk escalated for two notices at once) wait for each other, never deadlock.
    """
    in_app = sorted((d for d in deliveries if d.channel == Channel.IN_APP), key=lambda d: (d.recipient_id, d.pk))
    for delivery in in_app:
        publish(INBOX, "notice.received", {**notice_summary(notice), "delivery": delivery.pk,
                                           "body": notice.body, "data": notice.data},
                read_action=RECEIVE_NOTICES.name, recipient_id=delivery.recipient_id,
                exercise=notice.exercise, now=now)
    if changed:
        notice_changed(notice, now)


def notice_changed(notice: Notice, now: datetime) -> None:
    """The notice's status or deliveries changed: message pages and statistics of people entitled refresh."""
    publish(STREAM, "notice.changed", notice_summary(notice), read_action=VIEW_NOTICE_LOG.name,
            region_id=notice.region_id, facility_id=notice.facility_id, exercise=notice.exercise, now=now)

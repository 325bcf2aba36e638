"""Inboxes and message pages: what a person received, and who got a notice, read it and acted, and when."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.common.errors import NotFound
from jedel.notifications.errors import NoticeError
from jedel.notifications.models import Delivery, DeliveryLog, Notice
from jedel.notifications.permissions import RECEIVE_NOTICES, VIEW_NOTICE_LOG
from jedel.notifications.selectors.recipients import own_scope


def inbox(viewer: Principal, *, open_only: bool = False, limit: int = 50) -> list[Delivery]:
    """The viewer's own in-app deliveries, newest first (exercise ones included, and marked by the page)."""
    require(viewer, RECEIVE_NOTICES)
    rows = Delivery.objects.filter(recipient_id=viewer.user_id, channel="in_app").select_related("notice")
    if open_only:
        rows = rows.filter(notice__status=Notice.Status.OPEN).exclude(
            state__in=["acknowledged", "cannot_respond", "cancelled", "failed"])
    return list(rows.order_by("-queued_at", "-pk")[:limit])


def is_party(viewer: Principal, notice: Notice) -> bool:
    """The viewer sent the notice or received it."""
    return viewer.user_id is not None and (notice.sender_id == viewer.user_id
                                           or notice.deliveries.filter(recipient_id=viewer.user_id).exists())


@dataclass
class NoticePage:
    notice: Notice
    deliveries: list[Delivery]


def notice_page(viewer: Principal, notice_id: int) -> NoticePage:
    """A notice with every delivery and its log, for the message page.

    Its sender and recipients see it; so does anyone entitled to the notice log where it happened.
    """
    require(viewer, RECEIVE_NOTICES)
    notice = Notice.objects.select_related("acknowledged_by", "sender").filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(NoticeError.NOT_FOUND)
    if not is_party(viewer, notice):
        require(viewer, VIEW_NOTICE_LOG, notice, object_type="notice", object_id=notice_id)
    deliveries = list(notice.deliveries.select_related("recipient", "via_desk")
                      .prefetch_related(Prefetch("log", queryset=DeliveryLog.objects.order_by("at", "pk")))
                      .order_by("level", "recipient__username", "channel"))
    return NoticePage(notice, deliveries)


def notices_sent(viewer: Principal, *, status: str | None = None, exercise: bool | None = None,
                 limit: int = 100) -> QuerySet[Notice]:
    """Notices within the viewer's scope (their log), newest first."""
    require(viewer, VIEW_NOTICE_LOG, own_scope(viewer))
    rows = Notice.objects.all()
    if viewer.scope_level == ScopeLevel.REGION:
        rows = rows.filter(Q(region_id=viewer.region_id) | Q(facility__region_id=viewer.region_id))
    elif viewer.scope_level == ScopeLevel.FACILITY:
        rows = rows.filter(facility_id=viewer.facility_id)
    if status:
        rows = rows.filter(status=status)
    if exercise is not None:
        rows = rows.filter(exercise=exercise)
    return rows.order_by("-created_at", "-pk")[:limit]


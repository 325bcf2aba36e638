"""What a recipient does with a notice: receipt, reading, acknowledging, or "cannot respond" (re-routes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.core.alerting import DeliveryEvent, TransitionRefused
from jedel.notifications.errors import NoticeError
from jedel.notifications.models import Delivery, Notice
from jedel.notifications.permissions import RECEIVE_NOTICES
from jedel.notifications.services.deliveries import move
from jedel.notifications.services.escalating import declined_by_all, escalate
from jedel.notifications.services.events import notice_changed, notice_published

ANSWERS = {"delivered": DeliveryEvent.DELIVERED, "read": DeliveryEvent.READ,
           "acknowledged": DeliveryEvent.ACKNOWLEDGED, "cannot_respond": DeliveryEvent.CANNOT_RESPOND}
OPEN_STATES = ["queued", "held", "sent", "delivered", "read"]

AcknowledgedHook = Callable[[Notice, Principal, datetime], None]
_acknowledged_hooks: dict[str, list[AcknowledgedHook]] = {}


def on_acknowledged(kind: str, hook: AcknowledgedHook) -> None:
    """Call `hook(notice, actor, now)` when a notice of `kind` is acknowledged in the inbox, inside that
    transaction (after the notice and the delivery are locked): the app that sent it answers its own object too
    (a panic alert acknowledged from a phone's inbox is acknowledged on the console). Register in `ready()`."""
    _acknowledged_hooks.setdefault(kind, []).append(hook)


def notice_taken_elsewhere(*, notice_id: int, actor: Principal, detail: str, now: datetime | None = None) -> bool:
    """End the paging of a notice answered outside the inbox (the alarm taken on its own console by someone
    who had not been paged yet): marked acknowledged by `actor`, every open delivery cancelled with `detail`.
    Inside the caller's transaction; returns whether it was still open. The acknowledger's own delivery, where
    they have one, should be answered with `delivery_answer` instead."""
    now = now or utcnow()
    notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
    if notice is None or notice.status != Notice.Status.OPEN:
        return False
    notice.status, notice.acknowledged_at, notice.next_check_at = Notice.Status.ACKNOWLEDGED, now, None
    notice.acknowledged_by_id = actor.user_id
    notice.save(update_fields=["status", "acknowledged_at", "next_check_at", "acknowledged_by"])
    for delivery in notice.deliveries.select_for_update().filter(state__in=OPEN_STATES):
        move(delivery, DeliveryEvent.CANCELLED, now, detail=detail)
    notice_changed(notice, now)
    return True


def delivery_answer(*, actor: Principal, delivery_id: int, answer: str, note: str = "",
                    now: datetime | None = None) -> Delivery:
    """Record a recipient's answer on their own delivery; acknowledging ends the notice's paging for everyone.

    Acknowledging a notice someone else already acknowledged is refused (409) with who did it; a late
    receipt or a second "read" changes nothing and is not an error.
    """
    event = ANSWERS.get(answer)
    if event is None:
        raise DomainError(NoticeError.ALREADY_ENDED, field="answer", detail=f"unknown answer {answer!r}")
    found = Delivery.objects.filter(pk=delivery_id).values_list("notice_id", "recipient_id").first()
    if found is None or actor is None or found[1] != actor.user_id:
        # Someone else's delivery looks like no delivery at all (a token has no deliveries): ids are no oracle.
        if actor is None:
            require(actor, RECEIVE_NOTICES)  # 401
        raise NotFound(NoticeError.NOT_FOUND)
    require(actor, RECEIVE_NOTICES, object_type="delivery", object_id=delivery_id)
    now = now or utcnow()
    with transaction.atomic():
        # Lock the notice first (every writer of a notice does, in this order), then the delivery.
        notice = Notice.objects.select_for_update().get(pk=found[0])
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if event == DeliveryEvent.ACKNOWLEDGED and notice.status == Notice.Status.ACKNOWLEDGED \
                and notice.acknowledged_by_id != actor.user_id:
            raise Conflict(NoticeError.ALREADY_ACKNOWLEDGED, detail=str(NoticeError.ALREADY_ACKNOWLEDGED.message)
                           + f" ({_who(notice)})")
        try:
            changed = move(delivery, event, now, detail=note)
        except TransitionRefused as exc:
            raise Conflict(NoticeError.ALREADY_ENDED) from exc
        if not changed:
            return delivery
        if event == DeliveryEvent.ACKNOWLEDGED:
            _acknowledge(notice, delivery, now)
            for hook in _acknowledged_hooks.get(notice.kind, ()):
                hook(notice, actor, now)
            audit_record(actor=actor, action="acknowledge_notice", object_type="notice", object_id=notice.pk,
                         region_id=notice.region_id, facility_id=notice.facility_id, now=now)
        elif event == DeliveryEvent.CANNOT_RESPOND:
            _decline(notice, delivery, now)
            audit_record(actor=actor, action="decline_notice", object_type="notice", object_id=notice.pk,
                         region_id=notice.region_id, facility_id=notice.facility_id, now=now,
                         changes={"note": note[:200]} if note else None)
        else:
            notice_changed(notice, now)
        return delivery


def _who(notice: Notice) -> str:
    user = notice.acknowledged_by
    at = notice.acknowledged_at.isoformat(timespec="seconds") if notice.acknowledged_at else ""
    return f"{user.get_username() if user else '?'}, {at}"


def _acknowledge(notice: Notice, delivery: Delivery, now: datetime) -> None:
    """The notice is taken: mark it and stop paging everyone else (their deliveries are cancelled)."""
    if notice.status != Notice.Status.ACKNOWLEDGED:
        notice.status = Notice.Status.ACKNOWLEDGED
        notice.acknowledged_by_id = delivery.recipient_id
        notice.acknowledged_at = now
        notice.next_check_at = None
        notice.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "next_check_at"])
    # The same person's other channels end as acknowledged-elsewhere too: nobody is paged after an answer.
    for other in notice.deliveries.select_for_update().exclude(pk=delivery.pk).exclude(
            state__in=["acknowledged", "cannot_respond", "failed", "cancelled"]):
        move(other, DeliveryEvent.CANCELLED, now, detail=f"acknowledged by user {delivery.recipient_id}")
    notice_changed(notice, now)


def _decline(notice: Notice, delivery: Delivery, now: datetime) -> None:
    """The person cannot respond: their other channels stop; if the whole level declined, escalate now."""
    for other in notice.deliveries.select_for_update().filter(recipient_id=delivery.recipient_id).exclude(
            pk=delivery.pk).exclude(state__in=["acknowledged", "cannot_respond", "failed", "cancelled"]):
        move(other, DeliveryEvent.CANCELLED, now, detail="recipient cannot respond")
    if notice.status == Notice.Status.OPEN and declined_by_all(notice):
        outcome = escalate(notice, now)
        if outcome is not None:
            notice_published(notice, outcome.deliveries, now)
            return
    notice_changed(notice, now)

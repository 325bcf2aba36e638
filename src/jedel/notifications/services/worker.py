"""The worker's tick: escalate notices whose timeout passed, and send queued deliveries over external channels.

Run by `jedel notify worker` (a loop) in production and called directly with a pinned `now` in tests.
Everything it needs is in the database, so a restart loses nothing:

- Escalation: each due notice is locked (`SKIP LOCKED` where the database has it, so several workers share
  the work), decided by `jedel.core.alerting`, and updated in its own short transaction: a transaction holds
  the "notices" stream head (and its recipients' inbox heads) from its first event to its commit, so one
  transaction for a hundred notices made every sender wait for all of them.
- Sending: a due delivery is *claimed* in a short transaction (attempt counted, lease set: `next_attempt_at`
  moves LEASE_S ahead), sent outside any transaction, and the outcome recorded in another. A worker killed
  mid-send leaves the claim to expire, and the delivery is sent again with the same idempotency key, which
  the channel uses to drop the repeat (see `adapters`).
- Digests: deliveries *held* for a recipient's digest (`services.digests`) wait on their `Digest`, which is
  claimed, sent and recorded the same way when its period ends: one combined message per person and
  channel, with the key `jedel-digest-<id>`, so a restart mid-digest neither loses nor repeats it. Each held
  delivery it carried is then marked sent (or retried, or failed, with the digest's error in its log).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction

from jedel.common.clock import utcnow
from jedel.core.alerting import DeliveryEvent, period_end, retry_delay_s
from jedel.notifications import periodic
from jedel.notifications.adapters import SendFailed, adapter_for
from jedel.notifications.models import Delivery, DeliveryLog, Digest, Notice
from jedel.notifications.services.deliveries import move
from jedel.notifications.services.digests import digest_for, digest_message
from jedel.notifications.services.escalating import escalate
from jedel.notifications.services.events import notice_changed, notice_published

LEASE_S = 60          # a claimed send not recorded within this is retried (worker died mid-send)
MAX_ATTEMPTS = 8      # 5 + 10 + 20 + … capped at 300 s: about 15 minutes of trying before "failed"
BATCH = 100


@dataclass
class TickResult:
    escalated: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    periodic: int = 0
    digests: int = 0  # digests sent (each may carry several deliveries, counted in `sent`)


def _locked(queryset):  # type: ignore[no-untyped-def]
    """select_for_update, skipping rows another worker holds where the database supports it."""
    return queryset.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)


def _escalate_one(pk: int, now: datetime) -> bool:
    """Escalate one due notice in its own transaction; False when another worker has it or has handled it."""
    with transaction.atomic():
        notice = _locked(Notice.objects.filter(pk=pk, status=Notice.Status.OPEN, next_check_at__lte=now)).first()
        if notice is None:
            return False
        # Compare-and-set: without row locks (SQLite) another process may have handled it meanwhile.
        if not Notice.objects.filter(pk=notice.pk, status=Notice.Status.OPEN, level=notice.level,
                                     next_check_at=notice.next_check_at).update(next_check_at=now):
            return False
        outcome = escalate(notice, now)
        if outcome is not None:
            notice_published(notice, outcome.deliveries, now)
        return True


def escalations_run(now: datetime, clock: Callable[[], datetime] | None = None) -> int:
    """Escalate (or settle) every open notice whose check time has come by `now`; returns how many this worker
    handled. `clock`: the time each notice's escalation is stamped with (default `now`); the worker's loop
    passes the real clock, so a notice escalated late in a long pass says when it really happened."""
    done = 0
    while True:
        due = list(Notice.objects.filter(status=Notice.Status.OPEN, next_check_at__lte=now)
                   .order_by("next_check_at").values_list("pk", flat=True)[:BATCH])
        handled = sum(_escalate_one(pk, max(now, clock()) if clock else now) for pk in due)
        done += handled
        # A notice another worker holds stays due: stop when nothing here could be done, not loop on it.
        if len(due) < BATCH or not handled:
            return done


def _claim(now: datetime) -> list[Delivery]:
    """Due deliveries this worker won: each claim is a compare-and-set on `next_attempt_at`, so two workers
    (or two server processes on SQLite, which has no row locks) never both send one delivery."""
    claimed = []
    with transaction.atomic():
        due = list(_locked(Delivery.objects.filter(state="queued", next_attempt_at__lte=now)
                           .select_related("notice").order_by("next_attempt_at"))[:BATCH])
        for delivery in due:
            lease = now + timedelta(seconds=LEASE_S)
            won = Delivery.objects.filter(pk=delivery.pk, state="queued", attempts=delivery.attempts,
                                          next_attempt_at=delivery.next_attempt_at).update(
                attempts=delivery.attempts + 1, next_attempt_at=lease)
            if won:
                delivery.attempts += 1
                delivery.next_attempt_at = lease
                claimed.append(delivery)
    return claimed


def _record(delivery: Delivery, error: str | None, now: datetime, result: TickResult) -> None:
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=delivery.notice_id)
        current = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if current.state != "queued":
            return  # acknowledged elsewhere or cancelled while we were sending: nothing to record
        if error is None:
            move(current, DeliveryEvent.SENT, now, detail=f"attempt {current.attempts}")
            result.sent += 1
        elif current.attempts >= MAX_ATTEMPTS:
            current.last_error = error[:500]
            current.save(update_fields=["last_error"])
            move(current, DeliveryEvent.FAILED, now, detail=error)
            result.failed += 1
        else:
            current.last_error = error[:500]
            current.next_attempt_at = now + timedelta(seconds=retry_delay_s(current.attempts))
            current.save(update_fields=["last_error", "next_attempt_at"])
            DeliveryLog.objects.create(delivery=current, at=now, state="retry",
                                       detail=f"attempt {current.attempts}: {error}"[:500])
            result.retried += 1
        notice_changed(notice, now)


def sends_run(now: datetime, result: TickResult) -> None:
    """Send every due delivery once (claim → send → record)."""
    while True:
        claimed = _claim(now)
        for delivery in claimed:
            adapter = adapter_for(delivery.channel)
            error = None
            if adapter is None:
                error = f"channel {delivery.channel} is switched off"
            else:
                notice = delivery.notice
                mark = "[EXERCISE] " if notice.exercise else ""
                try:
                    adapter.send(address=delivery.address, subject=f"{mark}{notice.title}", text=notice.body,
                                 key=f"jedel-delivery-{delivery.pk}")
                except SendFailed as exc:
                    error = str(exc) or exc.__class__.__name__
            _record(delivery, error, now, result)
        if len(claimed) < BATCH:
            return


def _claim_digests(now: datetime) -> list[Digest]:
    """Digests whose period has ended that this worker won (compare-and-set, as for deliveries)."""
    claimed = []
    with transaction.atomic():
        due = list(_locked(Digest.objects.filter(state=Digest.State.OPEN, next_attempt_at__lte=now)
                           .order_by("next_attempt_at"))[:BATCH])
        for digest in due:
            lease = now + timedelta(seconds=LEASE_S)
            if Digest.objects.filter(pk=digest.pk, state=Digest.State.OPEN, attempts=digest.attempts,
                                     next_attempt_at=digest.next_attempt_at).update(
                    attempts=digest.attempts + 1, next_attempt_at=lease):
                digest.attempts += 1
                digest.next_attempt_at = lease
                claimed.append(digest)
    return claimed


def _held(digest: Digest) -> list[Delivery]:
    return list(Delivery.objects.filter(digest=digest, state="held").select_related("notice")
                .order_by("notice__created_at", "pk"))


def _record_digest(digest: Digest, carried: list[int], error: str | None, now: datetime, result: TickResult) -> None:
    """Mark what the digest carried sent (or retried, or failed); a delivery held into it after it was read
    moves on to the next period's digest, so nothing is lost."""
    with transaction.atomic():
        notice_ids = set(Delivery.objects.filter(digest=digest, state="held").values_list("notice_id", flat=True))
        notices = list(Notice.objects.select_for_update().filter(pk__in=notice_ids).order_by("pk"))  # notices first
        current = Digest.objects.select_for_update(no_key=True).get(pk=digest.pk)
        if current.state != Digest.State.OPEN:
            return
        held = list(Delivery.objects.select_for_update().filter(digest=current, state="held").order_by("pk"))
        items = [d for d in held if d.pk in carried]
        if error is None:
            for delivery in items:
                move(delivery, DeliveryEvent.SENT, now, detail=f"digest {current.pk}")
            for late in (d for d in held if d.pk not in carried):
                late.digest = digest_for(late, due_at=period_end(now, current.every_min),
                                         every_min=current.every_min, exercise=current.exercise)
                late.save(update_fields=["digest"])
            current.state = Digest.State.SENT if items else Digest.State.EMPTY
            current.sent_at, current.next_attempt_at = (now if items else None), None
            result.sent += len(items)
            result.digests += bool(items)
        elif current.attempts >= MAX_ATTEMPTS:
            for delivery in held:
                delivery.last_error = error[:500]
                move(delivery, DeliveryEvent.FAILED, now, detail=f"digest {current.pk}: {error}")
            current.state, current.next_attempt_at, current.last_error = Digest.State.FAILED, None, error[:500]
            result.failed += len(held)
        else:
            current.next_attempt_at = now + timedelta(seconds=retry_delay_s(current.attempts))
            current.last_error = error[:500]
            for delivery in held:
                delivery.last_error = error[:500]
                delivery.save(update_fields=["last_error"])
                DeliveryLog.objects.create(delivery=delivery, at=now, state="retry",
                                           detail=f"digest {current.pk}, attempt {current.attempts}: {error}"[:500])
            result.retried += len(held)
        current.save()
        for notice in notices:
            notice_changed(notice, now)


def digests_run(now: datetime, result: TickResult) -> None:
    """Send every digest whose period has ended: one combined message per person and channel."""
    while True:
        claimed = _claim_digests(now)
        for digest in claimed:
            items = _held(digest)
            error = None
            adapter = adapter_for(digest.channel)
            if items and adapter is None:
                error = f"channel {digest.channel} is switched off"
            elif items and adapter is not None:
                subject, text = digest_message(items, exercise=digest.exercise)
                try:
                    adapter.send(address=digest.address, subject=subject, text=text, key=digest.key)
                except SendFailed as exc:
                    error = str(exc) or exc.__class__.__name__
            _record_digest(digest, [d.pk for d in items], error, now, result)
        if len(claimed) < BATCH:
            return


def tick(now: datetime | None = None) -> TickResult:
    """One pass of the worker: escalations first (they may queue new sends), then the sends.

    `now` pins the clock for the whole pass (tests); without it each escalation reads the clock itself.
    """
    clock = None if now else utcnow
    now = now or utcnow()
    result = TickResult()
    result.periodic = periodic.run_due(now)  # may send notices: before escalations and sends
    result.escalated = escalations_run(now, clock)
    sends_run(now, result)
    digests_run(now, result)
    return result

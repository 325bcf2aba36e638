"""Creating deliveries for one level of a notice, and moving a delivery with its log (shared by the services)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from jedel.accounts.models import User
from jedel.core.alerting import TERMINAL_STATES, DeliveryEvent, DeliveryState, Preference, advance, hold_until
from jedel.notifications.adapters import adapter_for
from jedel.notifications.models import Address, Channel, Delivery, DeliveryLog, Notice, Priority
from jedel.notifications.selectors.digests import Preferences
from jedel.notifications.selectors.recipients import resolve_level
from jedel.notifications.services.digests import digest_for

# Which timestamp a state stamps on the delivery.
_STAMP = {DeliveryState.SENT: "sent_at", DeliveryState.DELIVERED: "delivered_at", DeliveryState.READ: "read_at",
          DeliveryState.ACKNOWLEDGED: "acted_at", DeliveryState.CANNOT_RESPOND: "acted_at"}


@dataclass
class LevelOutcome:
    """What notifying one level did: deliveries made, and who or what could not be reached."""

    deliveries: list[Delivery] = field(default_factory=list)
    empty_desks: list[int] = field(default_factory=list)
    without_channel: list[str] = field(default_factory=list)  # usernames reached in the app only, for urgent kinds


def move(delivery: Delivery, event: DeliveryEvent, now: datetime, detail: str = "") -> bool:
    """Apply `event` to the delivery (caller holds the notice lock), stamp and log it; False if nothing changed."""
    result = advance(DeliveryState(delivery.state), event)
    if not result.changed:
        return False
    delivery.state = result.state.value
    stamp = _STAMP.get(result.state)
    if stamp and getattr(delivery, stamp) is None:
        setattr(delivery, stamp, now)
    # Reading proves delivery; acknowledging proves reading: fill the steps a receipt skipped.
    if result.state in (DeliveryState.READ, DeliveryState.ACKNOWLEDGED) and delivery.delivered_at is None:
        delivery.delivered_at = now
    if result.state == DeliveryState.ACKNOWLEDGED and delivery.read_at is None:
        delivery.read_at = now
    if result.state in TERMINAL_STATES:
        delivery.next_attempt_at = None  # nothing more is sent to this person
    delivery.save()
    DeliveryLog.objects.create(delivery=delivery, at=now, state=delivery.state, detail=detail[:500])
    return True


def _external_addresses(user: User, exercise: bool) -> list[Address]:
    addresses = [a for a in Address.objects.filter(user=user) if adapter_for(a.channel) is not None]
    return [a for a in addresses if a.accepts_exercise] if exercise else addresses


def notify_level(notice: Notice, level: int, now: datetime) -> LevelOutcome:
    """Resolve level `level` of the notice as of `now` and create its deliveries (in-app + external channels).

    Call inside the transaction that also updates the notice. In-app deliveries count as sent at once: the
    real-time event that carries them is stored in the same transaction. External ones are queued for the
    worker, which sends after commit, so nothing is sent for a notice that was rolled back. An external one
    whose recipient takes this kind in a digest is *held* for it instead, unless the alarm rule forbids it
    (EMERGENCY, or the notice escalates past this level: `jedel.core.alerting.digest`).
    """
    resolved = resolve_level(notice.levels[level], now)
    outcome = LevelOutcome(empty_desks=resolved.empty_desks)
    preferences = Preferences(notice.kind, [user.pk for user, _ in resolved.people])
    for user, desk_id in resolved.people:
        if notice.exercise and getattr(getattr(user, "notify_profile", None), "real_only", False):
            continue
        in_app, created = Delivery.objects.get_or_create(
            notice=notice, recipient=user, channel=Channel.IN_APP,
            defaults={"level": level, "via_desk_id": desk_id, "queued_at": now})
        if created:
            DeliveryLog.objects.create(delivery=in_app, at=now, state=in_app.state, detail=f"level {level}")
            move(in_app, DeliveryEvent.SENT, now)
            outcome.deliveries.append(in_app)
        external = _external_addresses(user, notice.exercise)
        if not external and notice.priority != "routine":
            outcome.without_channel.append(user.username)
        for address in external:
            delivery, created = Delivery.objects.get_or_create(
                notice=notice, recipient=user, channel=address.channel,
                defaults={"level": level, "via_desk_id": desk_id, "queued_at": now, "address": address.value,
                          "next_attempt_at": now})
            if created:
                DeliveryLog.objects.create(delivery=delivery, at=now, state=delivery.state, detail=f"level {level}")
                _hold_if_digested(delivery, notice, preferences.of(user.pk, user.role), now)
                outcome.deliveries.append(delivery)
    return outcome


def _hold_if_digested(delivery: Delivery, notice: Notice, preference: Preference, now: datetime) -> None:
    """Hold a new external delivery for its recipient's digest when their rule says so and no alarm forbids it."""
    due_at = hold_until(preference, now=now, in_app=False, emergency=notice.priority == Priority.EMERGENCY,
                        level=delivery.level, levels=len(notice.levels))
    if due_at is None or preference.every_min is None:
        return
    delivery.digest = digest_for(delivery, due_at=due_at, every_min=preference.every_min, exercise=notice.exercise)
    delivery.next_attempt_at = None
    move(delivery, DeliveryEvent.HELD, now, detail=f"held for digest until {due_at.isoformat(timespec='minutes')}")

"""Digest or immediate: whether a delivery over an outside channel waits for the recipient's next digest.

A national coordinator sets, per role and notice kind (and per person, overriding the role), either
*immediate* (every notice is sent on its own, at once) or *a digest every N minutes* (notices of that kind
are held and sent as one combined message per person and channel when the period ends). Periods are
aligned to whole multiples of N minutes since midnight UTC (1970-01-01), so every worker computes the same
end for a period and a digest has one identity however many notices join it.

**The alarm rule: a digest never delays an alarm.** Whatever the rules say, a delivery is sent at once when

- it is in the app (the real-time channel is never held; only e-mail, SMS and Telegram can be digested),
- the notice has EMERGENCY priority, or
- the notice escalates past this recipient: they are at a level after which another level waits for their
  acknowledgement (their silence pages someone else), so they must see it before that timer runs out.

Only a non-emergency notice at its last (or only) level may be held: e.g. an overdue-report reminder that
reached a region's coordinator desk after the facility's manager did not answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIN_EVERY_MIN = 5
MAX_EVERY_MIN = 1440


@dataclass(frozen=True)
class Preference:
    """How one person wants one kind of notice outside the app: `every_min` None = immediate."""

    every_min: int | None = None

    def __post_init__(self) -> None:
        if self.every_min is not None and not MIN_EVERY_MIN <= self.every_min <= MAX_EVERY_MIN:
            raise ValueError(f"a digest period is {MIN_EVERY_MIN} to {MAX_EVERY_MIN} minutes")


IMMEDIATE = Preference()


def preference_for(*, person: Preference | None, role: Preference | None) -> Preference:
    """The person's own rule wins over their role's; with neither, immediate (today's behaviour)."""
    if person is not None:
        return person
    return role if role is not None else IMMEDIATE


def must_be_immediate(*, in_app: bool, emergency: bool, level: int, levels: int) -> bool:
    """The alarm rule (see the module): True when no preference may hold this delivery back."""
    if not 0 <= level < levels:
        raise ValueError(f"level {level} is outside the notice's {levels} levels")
    escalates_past_recipient = level + 1 < levels
    return in_app or emergency or escalates_past_recipient


def period_end(now: datetime, every_min: int) -> datetime:
    """The end of the digest period that `now` falls in (strictly after `now`; aligned to the UTC epoch)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    period = timedelta(minutes=every_min)
    elapsed = now - EPOCH
    return EPOCH + (elapsed // period + 1) * period


def hold_until(preference: Preference, *, now: datetime, in_app: bool, emergency: bool, level: int,
               levels: int) -> datetime | None:
    """When the delivery goes out in a digest, or None: send it now."""
    if must_be_immediate(in_app=in_app, emergency=emergency, level=level, levels=levels) \
            or preference.every_min is None:
        return None
    return period_end(now, preference.every_min)

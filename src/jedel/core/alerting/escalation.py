"""When a notice goes to the next level, and when a failed channel is tried again.

A notice starts at level 0 (e.g. the receiving hospital's admissions desk). If nobody has acknowledged it
`ack_timeout_s[level]` seconds after that level was notified, it goes to level + 1 (the desk's backup, then
the region's coordinator desk, then the NCCEM duty officer); after the last level it is *unanswered* and
stays flagged. An acknowledgement at any level stops the escalation at once. Someone answering "cannot
respond" moves the notice on immediately, without waiting for the timeout.

The timeouts are configuration, not published constants: the defaults used by the notification service
(see `jedel.notifications.kinds`) follow the order of minutes a receiving hospital has between an
ambulance's pre-alert and its arrival.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class EscalationPolicy:
    """Seconds to wait for an acknowledgement at each level; its length is the number of levels."""

    ack_timeout_s: tuple[int, ...]

    def __post_init__(self) -> None:
        if not self.ack_timeout_s:
            raise ValueError("an escalation policy needs at least one level")
        if any(t <= 0 for t in self.ack_timeout_s):
            raise ValueError("every acknowledgement timeout must be a positive number of seconds")

    @property
    def levels(self) -> int:
        return len(self.ack_timeout_s)


class EscalationAction(StrEnum):
    WAIT = "wait"              # nothing to do before `at`
    ESCALATE = "escalate"      # notify level `level` now
    UNANSWERED = "unanswered"  # the last level timed out: flag it, notify nobody new
    DONE = "done"              # acknowledged: nothing more, ever


@dataclass(frozen=True)
class EscalationDecision:
    action: EscalationAction
    level: int
    at: datetime | None = None  # for WAIT: when to look again


def escalation_decision(policy: EscalationPolicy, *, level: int, level_started_at: datetime, now: datetime,
                        acknowledged: bool, declined_by_all: bool = False) -> EscalationDecision:
    """What to do with a notice at `level` (0-based), notified at `level_started_at`, as of `now`.

    `declined_by_all`: everyone notified at this level answered "cannot respond", so the notice moves on
    without waiting for the timeout.
    """
    if not 0 <= level < policy.levels:
        raise ValueError(f"level {level} is outside the policy's {policy.levels} levels")
    if acknowledged:
        return EscalationDecision(EscalationAction.DONE, level)
    due = level_started_at + timedelta(seconds=policy.ack_timeout_s[level])
    if now < due and not declined_by_all:
        return EscalationDecision(EscalationAction.WAIT, level, at=due)
    if level + 1 < policy.levels:
        return EscalationDecision(EscalationAction.ESCALATE, level + 1)
    return EscalationDecision(EscalationAction.UNANSWERED, level)


def retry_delay_s(attempt: int, *, base_s: float = 5.0, factor: float = 2.0, cap_s: float = 300.0) -> float:
    """Seconds before retry number `attempt` (1 = first retry) of a channel that failed: base·factor^(n-1), capped.

    Deterministic on purpose (no jitter): the queue is drained by one worker loop per deployment, so there is
    no thundering herd to spread, and tests can state the exact schedule (5, 10, 20, 40, … 300 s).
    """
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    return float(min(cap_s, base_s * factor ** (attempt - 1)))

"""Alert delivery: the per-recipient state machine, escalation timing and retry backoff (no framework).

The notification service (`jedel.notifications`) stores one delivery per recipient and channel and moves it
through :mod:`.delivery`; it asks :mod:`.escalation` when a notice must go to the next level and when a
failed channel may be retried; :mod:`.digest` decides whether a delivery waits for the recipient's digest
(never an alarm). Everything here is a pure function of its arguments, so the timing can be
tested with an injected clock.
"""

from jedel.core.alerting.delivery import (
    TERMINAL_STATES,
    DeliveryEvent,
    DeliveryState,
    Transition,
    TransitionRefused,
    advance,
)
from jedel.core.alerting.digest import (
    IMMEDIATE,
    MAX_EVERY_MIN,
    MIN_EVERY_MIN,
    Preference,
    hold_until,
    must_be_immediate,
    period_end,
    preference_for,
)
from jedel.core.alerting.escalation import (
    EscalationAction,
    EscalationDecision,
    EscalationPolicy,
    escalation_decision,
    retry_delay_s,
)

__all__ = [
    "IMMEDIATE",
    "MAX_EVERY_MIN",
    "MIN_EVERY_MIN",
    "Preference",
    "hold_until",
    "must_be_immediate",
    "period_end",
    "preference_for",
    "TERMINAL_STATES",
    "DeliveryEvent",
    "DeliveryState",
    "EscalationAction",
    "EscalationDecision",
    "EscalationPolicy",
    "Transition",
    "TransitionRefused",
    "advance",
    "escalation_decision",
    "retry_delay_s",
]

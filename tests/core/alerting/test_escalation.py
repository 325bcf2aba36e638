"""Escalation timing with explicit clocks, and the retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jedel.core.alerting import EscalationAction as A
from jedel.core.alerting import EscalationPolicy, escalation_decision, retry_delay_s

T0 = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)
POLICY = EscalationPolicy(ack_timeout_s=(120, 300, 600))


def decide(level, seconds_later, acknowledged=False, declined=False):
    return escalation_decision(POLICY, level=level, level_started_at=T0, now=T0 + timedelta(seconds=seconds_later),
                               acknowledged=acknowledged, declined_by_all=declined)


def test_waits_until_the_timeout_then_escalates():
    waiting = decide(0, 119.9)
    assert (waiting.action, waiting.level, waiting.at) == (A.WAIT, 0, T0 + timedelta(seconds=120))
    assert (decide(0, 120).action, decide(0, 120).level) == (A.ESCALATE, 1)
    assert (decide(1, 300).action, decide(1, 300).level) == (A.ESCALATE, 2)


def test_last_level_is_unanswered():
    assert (decide(2, 599).action, decide(2, 600).action, decide(2, 600).level) == (A.WAIT, A.UNANSWERED, 2)


def test_acknowledgement_stops_at_every_level_and_time():
    for level in range(3):
        for later in (0, 119, 120, 10_000):
            assert decide(level, later, acknowledged=True).action == A.DONE


def test_everyone_declining_moves_on_at_once():
    assert (decide(0, 1, declined=True).action, decide(0, 1, declined=True).level) == (A.ESCALATE, 1)
    assert decide(2, 1, declined=True).action == A.UNANSWERED


@pytest.mark.parametrize("bad", [(), (0,), (60, -1)])
def test_policy_refuses_empty_or_non_positive(bad):
    with pytest.raises(ValueError):
        EscalationPolicy(ack_timeout_s=bad)


def test_level_outside_policy_refused():
    with pytest.raises(ValueError, match="outside the policy's 3 levels"):
        decide(3, 0)


def test_retry_schedule_doubles_to_the_cap():
    assert [retry_delay_s(n) for n in range(1, 10)] == [5, 10, 20, 40, 80, 160, 300, 300, 300]
    with pytest.raises(ValueError):
        retry_delay_s(0)

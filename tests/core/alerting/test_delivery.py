"""The delivery state machine against a full table of every state × event, written out for this test."""

from __future__ import annotations

import pytest

from jedel.core.alerting import DeliveryEvent as E
from jedel.core.alerting import DeliveryState as S
from jedel.core.alerting import TransitionRefused, advance

# Row: state; columns in the order of EVENTS. A state = moves there; "=" = no change (late receipt);
# "X" = refused. Written from the rules stated in the module docstring, not from the code.
EVENTS = [E.SENT, E.DELIVERED, E.READ, E.ACKNOWLEDGED, E.CANNOT_RESPOND, E.FAILED, E.CANCELLED, E.HELD]
TABLE = {
    S.QUEUED:         [S.SENT, S.DELIVERED, S.READ, S.ACKNOWLEDGED, S.CANNOT_RESPOND, S.FAILED, S.CANCELLED, S.HELD],
    # Held for a digest: nothing has left yet, so it behaves as queued, except that it cannot be held again.
    S.HELD:           [S.SENT, S.DELIVERED, S.READ, S.ACKNOWLEDGED, S.CANNOT_RESPOND, S.FAILED, S.CANCELLED, "="],
    S.SENT:           ["=", S.DELIVERED, S.READ, S.ACKNOWLEDGED, S.CANNOT_RESPOND, "X", S.CANCELLED, "X"],
    S.DELIVERED:      ["=", "=", S.READ, S.ACKNOWLEDGED, S.CANNOT_RESPOND, "X", S.CANCELLED, "X"],
    S.READ:           ["=", "=", "=", S.ACKNOWLEDGED, S.CANNOT_RESPOND, "X", S.CANCELLED, "X"],
    S.ACKNOWLEDGED:   ["=", "=", "=", "=", "X", "X", "X", "X"],
    S.CANNOT_RESPOND: ["=", "=", "=", "X", "=", "X", "X", "X"],
    S.FAILED:         ["=", "=", "=", "X", "X", "=", "X", "X"],
    S.CANCELLED:      ["=", "=", "=", "X", "X", "X", "=", "X"],
}


def test_table_covers_every_state():
    assert set(TABLE) == set(S)
    assert set(EVENTS) == set(E)


@pytest.mark.parametrize(("state", "event", "expected"),
                         [(s, e, row[i]) for s, row in TABLE.items() for i, e in enumerate(EVENTS)],
                         ids=lambda v: str(v))
def test_transition(state, event, expected):
    if expected == "X":
        with pytest.raises(TransitionRefused) as refused:
            advance(state, event)
        assert (refused.value.state, refused.value.event) == (state, event)
    elif expected == "=":
        result = advance(state, event)
        assert (result.state, result.changed) == (state, False)
    else:
        result = advance(state, event)
        assert (result.state, result.changed) == (expected, True)


def test_refusal_message_names_both():
    with pytest.raises(TransitionRefused, match="a cancelled delivery cannot become acknowledged"):
        advance(S.CANCELLED, E.ACKNOWLEDGED)

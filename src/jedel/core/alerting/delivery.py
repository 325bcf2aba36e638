"""The life of one delivery (one notice, one recipient, one channel).

Main line, in order of progress::

    queued → sent → delivered → read → acknowledged

a waiting room off it, ``held`` (queued, but kept for the recipient's next digest; see
:mod:`.digest`), which leaves only towards ``sent`` (the digest went out) or an end,
and three other ends: ``cannot_respond`` (the recipient says so; the notice is re-routed), ``failed`` (the
channel gave up after its retries) and ``cancelled`` (someone else acknowledged first, so paging stops).

Receipts arrive late and out of order in practice: an SMS delivery report (3GPP TS 23.040 status report)
can come after the recipient already opened the message in the app, and an e-mail delivery status
notification (RFC 3464) after a reply. So the main line is *monotonic*: an event that would move a delivery
back or keep it where it is changes nothing and is not an error, and an event may skip steps (reading a
message proves it was delivered). Only leaving an end state is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DeliveryState(StrEnum):
    """Where one delivery stands; the values are stored in the database."""

    QUEUED = "queued"
    HELD = "held"  # queued for the recipient's next digest, not sent on its own
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    ACKNOWLEDGED = "acknowledged"
    CANNOT_RESPOND = "cannot_respond"
    FAILED = "failed"
    CANCELLED = "cancelled"


class DeliveryEvent(StrEnum):
    """What can happen to a delivery."""

    HELD = "held"                      # kept for the recipient's digest instead of being sent now
    SENT = "sent"                      # the channel accepted it (gateway answered, socket frame queued)
    DELIVERED = "delivered"            # the device or inbox confirmed receipt
    READ = "read"                      # the recipient opened it
    ACKNOWLEDGED = "acknowledged"      # the recipient takes it
    CANNOT_RESPOND = "cannot_respond"  # the recipient declines; the notice goes to someone else
    FAILED = "failed"                  # the channel gave up after its retries
    CANCELLED = "cancelled"            # someone else acknowledged: stop paging this person


# Progress along the main line; a higher rank is further.
_RANK = {
    DeliveryState.QUEUED: 0,
    DeliveryState.HELD: 0,  # as far along as queued: nothing has left yet
    DeliveryState.SENT: 1,
    DeliveryState.DELIVERED: 2,
    DeliveryState.READ: 3,
    DeliveryState.ACKNOWLEDGED: 4,
}

_MAIN_LINE_TARGET = {
    DeliveryEvent.SENT: DeliveryState.SENT,
    DeliveryEvent.DELIVERED: DeliveryState.DELIVERED,
    DeliveryEvent.READ: DeliveryState.READ,
    DeliveryEvent.ACKNOWLEDGED: DeliveryState.ACKNOWLEDGED,
}

TERMINAL_STATES = frozenset({DeliveryState.ACKNOWLEDGED, DeliveryState.CANNOT_RESPOND, DeliveryState.FAILED,
                             DeliveryState.CANCELLED})

# Side ends and the states they may be reached from.
_SIDE_ENDS = {
    # Declining is possible until one has acknowledged.
    DeliveryEvent.CANNOT_RESPOND: (DeliveryState.CANNOT_RESPOND, frozenset(_RANK) - {DeliveryState.ACKNOWLEDGED}),
    # Only a delivery the channel never managed to send can fail (on its own or in its digest).
    DeliveryEvent.FAILED: (DeliveryState.FAILED, frozenset({DeliveryState.QUEUED, DeliveryState.HELD})),
    # Only a delivery still waiting to be sent can be put aside for a digest.
    DeliveryEvent.HELD: (DeliveryState.HELD, frozenset({DeliveryState.QUEUED})),
    # Paging stops for whoever has not acknowledged yet.
    DeliveryEvent.CANCELLED: (DeliveryState.CANCELLED, frozenset(_RANK) - {DeliveryState.ACKNOWLEDGED}),
}


class TransitionRefused(ValueError):
    """The event cannot happen in the delivery's state (it already ended)."""

    def __init__(self, state: DeliveryState, event: DeliveryEvent) -> None:
        super().__init__(f"a {state.value} delivery cannot become {event.value}")
        self.state = state
        self.event = event


@dataclass(frozen=True)
class Transition:
    """The outcome of an event: the new state, and whether anything changed (False: a late receipt)."""

    state: DeliveryState
    changed: bool


def advance(state: DeliveryState, event: DeliveryEvent) -> Transition:
    """Apply `event` to a delivery in `state`.

    Raises:
        TransitionRefused: the delivery has ended and the event would change that (e.g. acknowledging a
            cancelled delivery, or failing one that was already sent).
    """
    if event in _MAIN_LINE_TARGET:
        target = _MAIN_LINE_TARGET[event]
        if state in _RANK:
            if _RANK[target] <= _RANK[state]:
                return Transition(state, changed=False)
            return Transition(target, changed=True)
        # A late receipt for a delivery that ended elsewhere changes nothing; acting on it is refused.
        if event in (DeliveryEvent.SENT, DeliveryEvent.DELIVERED, DeliveryEvent.READ):
            return Transition(state, changed=False)
        raise TransitionRefused(state, event)
    end, sources = _SIDE_ENDS[event]
    if state == end:
        return Transition(state, changed=False)
    if state not in sources:
        raise TransitionRefused(state, event)
    return Transition(end, changed=True)

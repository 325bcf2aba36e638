"""The life cycle of an incident, and what may still be done to its casualties at each stage.

::

    active → stood_down → closed

* ``active``: declared (an incident is active from its declaration); casualties are registered, triaged
  and moved.
* ``stood_down``: the response is over (no new casualties are expected); the casualties already registered
  are still triaged and moved to their dispositions, but no new one is registered.
* ``closed``: the record is complete and read-only.

Allowed changes (row = from, column = to):

============ ====== ========== ======
from → to    active stood_down closed
============ ====== ========== ======
active         ·        Y        ·
stood_down     ·        ·        Y
closed         ·        ·        ·
============ ====== ========== ======

Closing goes through stand-down on purpose: a coordinator first stops the response, the last casualties
reach a disposition, then the record is closed. A stood-down incident is not re-activated: a new event
(an aftershock) is declared as a new incident, so its timeline and counts start clean.

What casualties may undergo (operation × status; ``Y`` allowed):

============ ======== ========== ======
operation     active  stood_down closed
============ ======== ========== ======
register        Y         ·        ·
triage          Y         Y        ·
move            Y         Y        ·
============ ======== ========== ======
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class IncidentStatus(StrEnum):
    """Stage of an incident; the values are stored in the database and sent over the API."""

    ACTIVE = "active"
    STOOD_DOWN = "stood_down"
    CLOSED = "closed"


class CasualtyOperation(StrEnum):
    """What can be done to an incident's casualties."""

    REGISTER = "register"
    TRIAGE = "triage"
    MOVE = "move"


class IncidentRefusal(StrEnum):
    """Why an incident change or a casualty operation was refused; the values are stable error codes."""

    NO_CHANGE = "incident_status_unchanged"
    NOT_ALLOWED = "incident_change_not_allowed"
    CLOSED = "incident_closed"
    STOOD_DOWN = "incident_stood_down"


I = IncidentStatus

ALLOWED_CHANGES: Mapping[IncidentStatus, frozenset[IncidentStatus]] = types.MappingProxyType({
    I.ACTIVE: frozenset({I.STOOD_DOWN}),
    I.STOOD_DOWN: frozenset({I.CLOSED}),
    I.CLOSED: frozenset(),
})
"""from-status → the statuses an incident may change to (the first table of the module)."""

OPERATIONS_ALLOWED: Mapping[IncidentStatus, frozenset[CasualtyOperation]] = types.MappingProxyType({
    I.ACTIVE: frozenset(CasualtyOperation),
    I.STOOD_DOWN: frozenset({CasualtyOperation.TRIAGE, CasualtyOperation.MOVE}),
    I.CLOSED: frozenset(),
})
"""Incident status → the casualty operations still allowed (the second table of the module)."""


@dataclass(frozen=True, slots=True)
class IncidentDecision:
    """An allowed change or operation (``refusal`` None), or why it is refused."""

    allowed: bool
    refusal: IncidentRefusal | None = None


def incident_change_decide(current: IncidentStatus, target: IncidentStatus) -> IncidentDecision:
    """Decide a change of an incident's status by the first table.

    Returns:
        Allowed, or ``NO_CHANGE`` (target equals current), ``CLOSED`` (a closed incident changes no more) or
        ``NOT_ALLOWED`` (any other change outside the table).
    """
    if target in ALLOWED_CHANGES[current]:
        return IncidentDecision(True)
    if target == current:
        return IncidentDecision(False, IncidentRefusal.NO_CHANGE)
    if current is I.CLOSED:
        return IncidentDecision(False, IncidentRefusal.CLOSED)
    return IncidentDecision(False, IncidentRefusal.NOT_ALLOWED)


def casualty_operation_decide(status: IncidentStatus, operation: CasualtyOperation) -> IncidentDecision:
    """Decide whether an incident in ``status`` still allows ``operation`` on its casualties (second table).

    Returns:
        Allowed, or ``CLOSED`` / ``STOOD_DOWN`` naming the stage that refuses it.
    """
    if operation in OPERATIONS_ALLOWED[status]:
        return IncidentDecision(True)
    return IncidentDecision(False, IncidentRefusal.CLOSED if status is I.CLOSED else IncidentRefusal.STOOD_DOWN)

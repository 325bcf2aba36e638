"""Casualty and incident tracking rules: the status state machines of issue 8 (no framework, no clock).

Example:
    >>> from jedel.core.tracking import CasualtyStatus as S, casualty_move_decide
    >>> casualty_move_decide(S.AT_SCENE, S.ARRIVED).refusal
    <MoveRefusal.NOT_ALLOWED: 'casualty_move_not_allowed'>
"""

from jedel.core.tracking.casualty import (
    ALLOWED_MOVES,
    FINAL_STATUSES,
    NEEDS_DESTINATION,
    CasualtyStatus,
    MoveDecision,
    MoveRefusal,
    casualty_move_decide,
)
from jedel.core.tracking.incident import (
    ALLOWED_CHANGES,
    OPERATIONS_ALLOWED,
    CasualtyOperation,
    IncidentDecision,
    IncidentRefusal,
    IncidentStatus,
    casualty_operation_decide,
    incident_change_decide,
)

__all__ = [
    "ALLOWED_CHANGES",
    "ALLOWED_MOVES",
    "FINAL_STATUSES",
    "NEEDS_DESTINATION",
    "OPERATIONS_ALLOWED",
    "CasualtyOperation",
    "CasualtyStatus",
    "IncidentDecision",
    "IncidentRefusal",
    "IncidentStatus",
    "MoveDecision",
    "MoveRefusal",
    "casualty_move_decide",
    "casualty_operation_decide",
    "incident_change_decide",
]

"""Where one casualty stands, from the scene to a disposition, and which moves between stands are allowed.

Main line (issue 8; the patient-tracking life cycle of OASIS EDXL-TEP 1.1, 2018, *Tracking of Emergency
Patients*: at the incident → in transport → arrived at a facility → disposition)::

    at_scene → awaiting_transport → in_transport → arrived → admitted | treated_released | transferred

``deceased`` ends the line from every state that is not already an end.

Allowed moves (row = from, column = to; ``Y`` allowed, ``·`` refused). The table is the specification:
:data:`ALLOWED_MOVES` is written from it, and the tests hold the same table written out again.

============================ ===== ===== ===== ===== ===== ===== ===== =====
from → to                     scene await trans arriv admit relea trnsf dead
============================ ===== ===== ===== ===== ===== ===== ===== =====
at_scene                       ·     Y     Y     ·     ·     Y     ·     Y
awaiting_transport             Y     ·     Y     ·     ·     Y     ·     Y
in_transport                   ·     ·     Y     Y     ·     ·     ·     Y
arrived                        ·     ·     ·     ·     Y     Y     Y     Y
admitted, treated_released,    ·     ·     ·     ·     ·     ·     ·     ·
transferred, deceased (ends)
============================ ===== ===== ===== ===== ===== ===== ===== =====

Why each edge:

* at_scene → in_transport: a crew may load a casualty straight from the scene (no collection point).
* at_scene / awaiting_transport → treated_released: minor injuries treated at the scene, released there
  (the START "walking wounded" who never need a hospital).
* awaiting_transport → at_scene: the transport slot is withdrawn (re-triaged down, vehicle re-tasked).
* in_transport → in_transport: re-routed en route to another destination (diversion); the only move that
  keeps the status, and it must name a destination.
* arrived → transferred: sent on from the first receiving hospital (the inter-facility transfer workflow
  takes over from there).
* Ends are final: a later change (an admitted patient who dies days later) belongs to the hospital's record
  and to the transfer workflow, not to the incident's tracking.

Moving *to* ``in_transport`` needs a destination (the receiving facility); every other move needs nothing
besides the target status.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class CasualtyStatus(StrEnum):
    """Where a casualty stands; the values are stored in the database and sent over the API."""

    AT_SCENE = "at_scene"
    AWAITING_TRANSPORT = "awaiting_transport"
    IN_TRANSPORT = "in_transport"
    ARRIVED = "arrived"
    ADMITTED = "admitted"
    TREATED_RELEASED = "treated_released"
    TRANSFERRED = "transferred"
    DECEASED = "deceased"


class MoveRefusal(StrEnum):
    """Why a move was refused; the values are the stable error codes the API answers with."""

    FROM_FINAL = "casualty_status_final"        # the casualty already has a disposition
    NO_CHANGE = "casualty_status_unchanged"     # the target is the current status (except a re-route)
    NOT_ALLOWED = "casualty_move_not_allowed"   # not an edge of the table
    DESTINATION_REQUIRED = "destination_required"  # into (or within) in_transport without a destination


S = CasualtyStatus

FINAL_STATUSES: frozenset[CasualtyStatus] = frozenset({S.ADMITTED, S.TREATED_RELEASED, S.TRANSFERRED, S.DECEASED})
"""Dispositions: no move leaves them."""

ALLOWED_MOVES: Mapping[CasualtyStatus, frozenset[CasualtyStatus]] = types.MappingProxyType({
    S.AT_SCENE: frozenset({S.AWAITING_TRANSPORT, S.IN_TRANSPORT, S.TREATED_RELEASED, S.DECEASED}),
    S.AWAITING_TRANSPORT: frozenset({S.AT_SCENE, S.IN_TRANSPORT, S.TREATED_RELEASED, S.DECEASED}),
    S.IN_TRANSPORT: frozenset({S.IN_TRANSPORT, S.ARRIVED, S.DECEASED}),
    S.ARRIVED: frozenset({S.ADMITTED, S.TREATED_RELEASED, S.TRANSFERRED, S.DECEASED}),
    S.ADMITTED: frozenset(),
    S.TREATED_RELEASED: frozenset(),
    S.TRANSFERRED: frozenset(),
    S.DECEASED: frozenset(),
})
"""from-status → the statuses it may move to (the module table)."""

NEEDS_DESTINATION: frozenset[CasualtyStatus] = frozenset({S.IN_TRANSPORT})
"""Target statuses that need a destination facility."""


@dataclass(frozen=True, slots=True)
class MoveDecision:
    """The answer to "may this casualty move from ``current`` to ``target``?".

    Attributes:
        allowed: True when the move may be made.
        refusal: Why not (None exactly when ``allowed``).
    """

    allowed: bool
    refusal: MoveRefusal | None = None


def casualty_move_decide(current: CasualtyStatus, target: CasualtyStatus, *,
                         has_destination: bool = False) -> MoveDecision:
    """Decide one move of a casualty's status by the module table.

    Args:
        current: The casualty's status now.
        target: The status asked for.
        has_destination: Whether the move names a destination facility (needed into ``in_transport``).

    Returns:
        ``MoveDecision(True)``, or a refusal: ``FROM_FINAL`` when ``current`` is a disposition, ``NO_CHANGE``
        when ``target == current`` (other than a re-route in transport), ``NOT_ALLOWED`` for any other move
        outside the table, ``DESTINATION_REQUIRED`` for an allowed move into transport without a destination.
    """
    if current in FINAL_STATUSES:
        return MoveDecision(False, MoveRefusal.FROM_FINAL)
    if target not in ALLOWED_MOVES[current]:
        return MoveDecision(False, MoveRefusal.NO_CHANGE if target == current else MoveRefusal.NOT_ALLOWED)
    if target in NEEDS_DESTINATION and not has_destination:
        return MoveDecision(False, MoveRefusal.DESTINATION_REQUIRED)
    return MoveDecision(True)

"""Every casualty move, allowed and refused, against the table of the module docstring written out again."""

from __future__ import annotations

import doctest

import pytest

import jedel.core.tracking
from jedel.core.tracking import CasualtyStatus, MoveRefusal, casualty_move_decide

ORDER = ["at_scene", "awaiting_transport", "in_transport", "arrived", "admitted", "treated_released",
         "transferred", "deceased"]
# Row = from, one character per target in ORDER: Y allowed, 0 no change, F from a final status, N not allowed.
TABLE = {
    "at_scene":           "0YYNNYNY",
    "awaiting_transport": "Y0YNNYNY",
    "in_transport":       "NNYYNNNY",
    "arrived":            "NNN0YYYY",
    "admitted":           "FFFFFFFF",
    "treated_released":   "FFFFFFFF",
    "transferred":        "FFFFFFFF",
    "deceased":           "FFFFFFFF",
}
CODES = {"0": "casualty_status_unchanged", "F": "casualty_status_final", "N": "casualty_move_not_allowed"}
CASES = [(a, b, TABLE[a][j]) for a in ORDER for j, b in enumerate(ORDER)]


def test_the_table_names_every_status_once():
    assert ORDER == [s.value for s in CasualtyStatus]
    assert len(CASES) == 64


@pytest.mark.parametrize("current, target, expected", CASES)
def test_move(current, target, expected):
    # A destination is named on every move here, so only the table decides.
    decision = casualty_move_decide(CasualtyStatus(current), CasualtyStatus(target), has_destination=True)
    if expected == "Y":
        assert decision.allowed and decision.refusal is None
    else:
        assert not decision.allowed
        assert decision.refusal is not None and decision.refusal.value == CODES[expected]


@pytest.mark.parametrize("current", ["at_scene", "awaiting_transport", "in_transport"])
def test_into_transport_needs_a_destination(current):
    decision = casualty_move_decide(CasualtyStatus(current), CasualtyStatus.IN_TRANSPORT)
    assert decision.refusal is MoveRefusal.DESTINATION_REQUIRED
    assert decision.refusal.value == "destination_required"


@pytest.mark.parametrize("target", ["awaiting_transport", "treated_released", "deceased"])
def test_other_moves_need_no_destination(target):
    assert casualty_move_decide(CasualtyStatus.AT_SCENE, CasualtyStatus(target)).allowed


def test_deceased_is_reachable_from_every_non_final_status_and_nothing_leaves_an_end():
    reach = {a for a in ORDER if TABLE[a][ORDER.index("deceased")] == "Y"}
    assert reach == {"at_scene", "awaiting_transport", "in_transport", "arrived"}


def test_the_package_example_runs():
    assert doctest.testmod(jedel.core.tracking).failed == 0

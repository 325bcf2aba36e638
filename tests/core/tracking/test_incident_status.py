"""Every incident status change and every casualty operation per stage, against tables written out here."""

from __future__ import annotations

import pytest

from jedel.core.tracking import CasualtyOperation, IncidentStatus, casualty_operation_decide, incident_change_decide

STATUSES = ["active", "stood_down", "closed"]
# Row = from, one character per target in STATUSES: Y allowed, 0 unchanged, C closed, N not allowed.
CHANGES = {
    "active":     "0YN",
    "stood_down": "N0Y",
    "closed":     "CC0",
}
CHANGE_CODES = {"0": "incident_status_unchanged", "C": "incident_closed", "N": "incident_change_not_allowed"}
OPERATIONS = ["register", "triage", "move"]
# Row = incident status, one character per operation: Y allowed, S refused as stood down, C refused as closed.
ALLOWED_OPERATIONS = {
    "active":     "YYY",
    "stood_down": "SYY",
    "closed":     "CCC",
}
OPERATION_CODES = {"S": "incident_stood_down", "C": "incident_closed"}


def test_tables_cover_every_value():
    assert STATUSES == [s.value for s in IncidentStatus]
    assert OPERATIONS == [o.value for o in CasualtyOperation]


@pytest.mark.parametrize("current, target", [(a, b) for a in STATUSES for b in STATUSES])
def test_change(current, target):
    expected = CHANGES[current][STATUSES.index(target)]
    decision = incident_change_decide(IncidentStatus(current), IncidentStatus(target))
    assert decision.allowed == (expected == "Y")
    assert (decision.refusal.value if decision.refusal else None) == CHANGE_CODES.get(expected)


@pytest.mark.parametrize("status, operation", [(s, o) for s in STATUSES for o in OPERATIONS])
def test_operation(status, operation):
    expected = ALLOWED_OPERATIONS[status][OPERATIONS.index(operation)]
    decision = casualty_operation_decide(IncidentStatus(status), CasualtyOperation(operation))
    assert decision.allowed == (expected == "Y")
    assert (decision.refusal.value if decision.refusal else None) == OPERATION_CODES.get(expected)

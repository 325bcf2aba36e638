"""The permission policy as a full matrix: every action × role × scope × target (own vs other)."""

from __future__ import annotations

import pytest

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Action, Principal, Target, allowed

OWN_REGION, OTHER_REGION = 1, 2
OWN_FACILITY, OTHER_FACILITY = 10, 20
OWN = Target(region_id=OWN_REGION, facility_id=OWN_FACILITY)
SAME_REGION_OTHER_FACILITY = Target(region_id=OWN_REGION, facility_id=OTHER_FACILITY)
ELSEWHERE = Target(region_id=OTHER_REGION, facility_id=OTHER_FACILITY)
NATIONWIDE = Target()

SCOPE_FOR_ROLE = {
    Role.NATIONAL_COORDINATOR: ScopeLevel.NATIONAL,
    Role.REGIONAL_COORDINATOR: ScopeLevel.REGION,
    Role.FACILITY_MANAGER: ScopeLevel.FACILITY,
    Role.CLINICIAN: ScopeLevel.FACILITY,
    Role.SECURITY_OFFICER: ScopeLevel.FACILITY,
    Role.VIEWER: ScopeLevel.NATIONAL,
}

READS = {Action.VIEW_BOARD, Action.VIEW_FACILITY, Action.EXPORT}
WRITES = set(Action) - READS


def principal(role: Role) -> Principal:
    return Principal(label=role.value, role=role, scope_level=SCOPE_FOR_ROLE[role],
                     region_id=OWN_REGION, facility_id=OWN_FACILITY)


# Expected decisions for writes, as (own facility, other facility in own region, other region, nationwide).
EXPECTED_WRITES: dict[Role, dict[Action, tuple[bool, bool, bool, bool]]] = {
    Role.NATIONAL_COORDINATOR: {a: (True, True, True, True) for a in WRITES},
    Role.REGIONAL_COORDINATOR: {
        **{a: (True, True, False, False) for a in WRITES},
    },
    Role.FACILITY_MANAGER: {
        **{a: (False, False, False, False) for a in WRITES},
        Action.EDIT_FACILITY: (True, False, False, False),
        Action.REPORT_CAPACITY: (True, False, False, False),
        Action.MANAGE_TOKENS: (True, False, False, False),
    },
    Role.CLINICIAN: {a: (False, False, False, False) for a in WRITES},
    Role.SECURITY_OFFICER: {a: (False, False, False, False) for a in WRITES},
    Role.VIEWER: {a: (False, False, False, False) for a in WRITES},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(WRITES, key=lambda a: a.value))
def test_write_matrix(role: Role, action: Action) -> None:
    p = principal(role)
    got = tuple(allowed(p, action, t) for t in (OWN, SAME_REGION_OTHER_FACILITY, ELSEWHERE, NATIONWIDE))
    assert got == EXPECTED_WRITES[role][action]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(READS, key=lambda a: a.value))
def test_capacity_picture_is_readable_nationally_by_every_role(role: Role, action: Action) -> None:
    p = principal(role)
    assert all(allowed(p, action, t) for t in (OWN, ELSEWHERE, NATIONWIDE))


def test_facility_token_reports_only_its_own_facility() -> None:
    token = Principal(label="token:his", role=None, scope_level=ScopeLevel.FACILITY,
                      region_id=OWN_REGION, facility_id=OWN_FACILITY, is_token=True)
    assert allowed(token, Action.REPORT_CAPACITY, OWN)
    assert not allowed(token, Action.REPORT_CAPACITY, SAME_REGION_OTHER_FACILITY)
    assert not allowed(token, Action.EDIT_FACILITY, OWN)
    assert not allowed(token, Action.VIEW_AUDIT, OWN)
    assert allowed(token, Action.VIEW_BOARD, NATIONWIDE)


def test_principal_without_role_is_denied_everything_but_nothing_crashes() -> None:
    nobody = Principal(label="x", role=None, scope_level=ScopeLevel.NATIONAL)
    assert not any(allowed(nobody, a, OWN) for a in Action)

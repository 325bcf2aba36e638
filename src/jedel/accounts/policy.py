"""The one permission policy: every read and write in Jedel asks `allowed()` (or `require()`).

Deny by default. A decision depends only on the principal's role and scope and on the target's
region/facility, so the whole matrix is testable without views (tests/accounts/test_policy.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from jedel.accounts.models import Role, ScopeLevel


class Action(str, Enum):
    VIEW_BOARD = "view_board"            # national situational picture: everyone signed in
    VIEW_FACILITY = "view_facility"
    EDIT_FACILITY = "edit_facility"
    CREATE_FACILITY = "create_facility"
    IMPORT_FACILITIES = "import_facilities"
    REPORT_CAPACITY = "report_capacity"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_TOKENS = "manage_tokens"


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user, or a facility API token (role None, facility scope)."""

    label: str
    role: Role | None
    scope_level: ScopeLevel
    region_id: int | None = None
    facility_id: int | None = None
    user_id: int | None = None
    is_token: bool = False


@dataclass(frozen=True)
class Target:
    """What is touched. None for region/facility means 'national' (e.g. the whole board)."""

    region_id: int | None = None
    facility_id: int | None = None


NATIONAL = Target()

_READ = {Action.VIEW_BOARD, Action.VIEW_FACILITY, Action.EXPORT}

# Which actions each role may take at all; scope then narrows where.
_ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.NATIONAL_COORDINATOR: frozenset(Action),
    Role.REGIONAL_COORDINATOR: frozenset(Action),
    Role.FACILITY_MANAGER: frozenset(_READ | {Action.EDIT_FACILITY, Action.REPORT_CAPACITY, Action.MANAGE_TOKENS}),
    Role.CLINICIAN: frozenset(_READ),
    Role.SECURITY_OFFICER: frozenset(_READ),
    Role.VIEWER: frozenset(_READ),
}
# Reads of the capacity picture are national for everyone: a hospital must see where to send patients.
_NATIONAL_READS = frozenset(_READ)


def _in_scope(p: Principal, t: Target) -> bool:
    if p.scope_level == ScopeLevel.NATIONAL:
        return True
    if p.scope_level == ScopeLevel.REGION:
        return t.region_id is not None and t.region_id == p.region_id
    return t.facility_id is not None and t.facility_id == p.facility_id


def allowed(p: Principal, action: Action, target: Target = NATIONAL) -> bool:
    """True when `p` may take `action` on `target`."""
    if p.is_token:
        # A facility token pushes its own facility's capacity and reads; nothing else, nowhere else.
        if action in _NATIONAL_READS:
            return True
        return action == Action.REPORT_CAPACITY and p.facility_id is not None and t_is(target, p.facility_id)
    if p.role is None or action not in _ROLE_ACTIONS.get(p.role, frozenset()):
        return False
    if action in _NATIONAL_READS:
        return True
    if action in {Action.CREATE_FACILITY, Action.IMPORT_FACILITIES, Action.MANAGE_USERS, Action.VIEW_AUDIT} \
            and target.region_id is None:
        # National-wide versions of these belong to national coordinators only.
        return p.scope_level == ScopeLevel.NATIONAL
    return _in_scope(p, target)


def t_is(target: Target, facility_id: int) -> bool:
    return target.facility_id == facility_id


def principal_for_user(user: object) -> Principal | None:
    """Principal for a signed-in Django user (None if anonymous or inactive)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return Principal(
        label=user.get_username(),  # type: ignore[attr-defined]
        role=Role(user.role),  # type: ignore[attr-defined]
        scope_level=ScopeLevel(user.scope_level),  # type: ignore[attr-defined]
        region_id=user.scope_region_id,  # type: ignore[attr-defined]
        facility_id=user.scope_facility_id,  # type: ignore[attr-defined]
        user_id=user.pk,  # type: ignore[attr-defined]
    )

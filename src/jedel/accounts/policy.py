"""The one permission policy: every read and write in Jedel is decided by `allowed()`.

The policy is *open*: it knows no app. Each app declares its own actions in its `permissions.py` with
`declare()` (who may take the action at all, and how scope narrows where) and registers how its objects
resolve to a `Target` with `register_target()`. The decision itself stays one function of the principal's
role and scope and of the target's region/facility, so the whole matrix is testable without views.

Where the check happens (one layer, nowhere else): **services for writes, selectors for reads**, through
`jedel.accounts.services.require()`, which also records refusals in the audit trail. API handlers and views
never check; they pass the caller's Principal down as `actor=` / `viewer=`. A view may call `allowed()` only
to show or hide a control (a button it would otherwise offer in vain), never to protect data.

Deny by default: an undeclared action cannot be constructed, an anonymous principal is refused by
`require()`, and a role not listed on an action may not take it anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from jedel.accounts.models import Role, ScopeLevel

ALL_ROLES = frozenset(Role)
COORDINATORS = frozenset({Role.NATIONAL_COORDINATOR, Role.REGIONAL_COORDINATOR})


class TokenUse(str, Enum):
    """What a facility API token (a hospital information system, not a person) may do with an action."""

    NONE = "none"                  # never
    ANY = "any"                    # everywhere (reads of the national picture)
    OWN_FACILITY = "own_facility"  # only on the token's own facility


@dataclass(frozen=True)
class Action:
    """Something a principal may be allowed to do. Create with `declare()`, never directly.

    `nationwide`: once a role may take it, it may take it anywhere (the capacity picture: a hospital must
    see where patients can go). `national_when_untargeted`: used without a region (on the whole country),
    it needs national scope. Otherwise the target must lie within the principal's scope.
    """

    name: str
    roles: frozenset[Role]
    nationwide: bool = False
    national_when_untargeted: bool = False
    token: TokenUse = TokenUse.NONE
    description: str = ""

    # Audit records, events and older callers use the stable name.
    @property
    def value(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


_ACTIONS: dict[str, Action] = {}


def declare(name: str, *, roles: Iterable[Role], nationwide: bool = False, national_when_untargeted: bool = False,
            token: TokenUse = TokenUse.NONE, description: str = "") -> Action:
    """Declare an app's action once (at import of its permissions module); the name is stored in the audit."""
    action = Action(name=name, roles=frozenset(roles), nationwide=nationwide,
                    national_when_untargeted=national_when_untargeted, token=token, description=description)
    known = _ACTIONS.get(name)
    if known is not None and known != action:
        raise ValueError(f"action {name!r} is declared twice with different rules")
    _ACTIONS[name] = action
    return action


def action_named(name: str) -> Action | None:
    """The declared action with this name (None if no app declared it)."""
    return _ACTIONS.get(name)


def declared_actions() -> list[Action]:
    """Every declared action, by name (the apps' permissions modules are imported at start-up)."""
    return sorted(_ACTIONS.values(), key=lambda a: a.name)


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
    """Where an action lands. None for region/facility means 'national' (e.g. the whole board).

    `regions` / `facilities`: further places the target lies in, for objects that span several (an incident
    affects several regions and involves the hospitals of its liaisons); a principal scoped to any of them
    is in scope.
    """

    region_id: int | None = None
    facility_id: int | None = None
    regions: frozenset[int] = frozenset()
    facilities: frozenset[int] = frozenset()


NATIONAL = Target()

_RESOLVERS: dict[type, Callable[[Any], Target]] = {}


def register_target(cls: type) -> Callable[[Callable[[Any], Target]], Callable[[Any], Target]]:
    """Decorator: how objects of `cls` (a facility, later an incident or a warehouse) resolve to a Target."""

    def wrap(resolver: Callable[[Any], Target]) -> Callable[[Any], Target]:
        _RESOLVERS[cls] = resolver
        return resolver

    return wrap


def target_of(obj: Any) -> Target:
    """The Target of a domain object through its app's resolver (a Target is returned as it is)."""
    if obj is None:
        return NATIONAL
    if isinstance(obj, Target):
        return obj
    for cls in type(obj).__mro__:
        if cls in _RESOLVERS:
            return _RESOLVERS[cls](obj)
    raise TypeError(f"no permission target is registered for {type(obj).__name__}")


def _in_scope(p: Principal, t: Target) -> bool:
    if p.scope_level == ScopeLevel.NATIONAL:
        return True
    if p.scope_level == ScopeLevel.REGION:
        return p.region_id is not None and (t.region_id == p.region_id or p.region_id in t.regions)
    return p.facility_id is not None and (t.facility_id == p.facility_id or p.facility_id in t.facilities)


def allowed(p: Principal, action: Action, target: Any = NATIONAL) -> bool:
    """True when `p` may take `action` on `target` (a Target or any object with a registered resolver)."""
    t = target_of(target)
    if p.is_token:
        if action.token is TokenUse.ANY:
            return True
        return action.token is TokenUse.OWN_FACILITY and p.facility_id is not None and t.facility_id == p.facility_id
    if p.role is None or p.role not in action.roles:
        return False
    if action.nationwide:
        return True
    if action.national_when_untargeted and t.region_id is None:
        return p.scope_level == ScopeLevel.NATIONAL
    return _in_scope(p, t)


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

"""Identity and authorisation for the real-time socket (settings.JEDEL_REALTIME_ACCESS names this module).

Kept tiny on purpose: it only adapts the websocket scope and an event's fields to the one policy.
"""

from __future__ import annotations

from typing import Any

from jedel.accounts.policy import Principal, Target, action_named, allowed, principal_for_user
from jedel.accounts.services import token_principal


def principal_from_scope(scope: dict[str, Any]) -> Principal | None:
    """The session user (AuthMiddlewareStack), else an `Authorization: Bearer jdl_...` token; None if neither."""
    principal = principal_for_user(scope.get("user"))
    if principal is not None:
        return principal
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, raw = value.decode("latin1").strip().partition(" ")
            if scheme.lower() == "bearer" and raw.strip().startswith("jdl_"):
                return token_principal(raw.strip())
    return None


def may_read(principal: Principal, action: str, region_id: int | None, facility_id: int | None) -> bool:
    """The policy's answer for this event's read action and place (an undeclared action: False). No I/O."""
    declared = action_named(action)
    if declared is None:
        return False
    return allowed(principal, declared, Target(region_id=region_id, facility_id=facility_id))

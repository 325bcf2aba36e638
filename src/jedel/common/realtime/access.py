"""Who is on a socket and what they may read, from the module named by settings.JEDEL_REALTIME_ACCESS.

common sits at the bottom of the import ladder and cannot import accounts; the access module (today
`jedel.accounts.realtime`) provides two functions:

- `principal_from_scope(scope) -> principal | None`: synchronous, may use the database; None = refuse.
- `may_read(principal, action, region_id, facility_id) -> bool`: called in the event loop for every event,
  so it must not do I/O: everything it needs travels on the principal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _module_attr(name: str) -> Callable[..., Any]:
    path = getattr(settings, "JEDEL_REALTIME_ACCESS", "")
    if not path:
        raise RuntimeError("settings.JEDEL_REALTIME_ACCESS must name the real-time access module")
    return import_string(f"{path}.{name}")  # type: ignore[no-any-return]


def principal_from_scope(scope: dict[str, Any]) -> Any:
    """The connection's principal, or None when it is not authenticated (synchronous: call off the loop)."""
    return _module_attr("principal_from_scope")(scope)


def may_read(principal: Any, action: str, region_id: int | None, facility_id: int | None) -> bool:
    """True when the principal may receive an event needing `action` on that region/facility."""
    return bool(_module_attr("may_read")(principal, action, region_id, facility_id))

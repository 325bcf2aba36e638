"""The MCI board's live part, rendered once per change and shared by every board of one kind of viewer.

Every board re-reads the live part after each burst of events (static/incidents/board.js). Rendered per
request, 200 boards rendering the casualty list and computing the plan (about half a second of CPU each)
saturated two cores within one burst; rendered per change, a burst costs one rendering per server process:
the first request renders while the others of the process wait for it (giving their database connection back
meanwhile), then read the shared cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from jedel.accounts.policy import Principal, allowed, target_of
from jedel.common import clock
from jedel.common.realtime.selectors import event_list, stream_heads
from jedel.incidents.models import Incident
from jedel.incidents.permissions import ASSIGN_CASUALTY, VIEW_CASUALTIES

LIVE_PART_SECONDS = 15
"""How long one rendering serves every board of the same kind of viewer, at most. Events change the key at
once; the bound is for what changes with time alone (a report becoming overdue, a walk-in leaving the counted
window)."""
RENDER_WAIT_SECONDS = 10
LIVE_PART_GENERATION = "1"  # part of the key: a test database rolled back reuses ids and heads (tests change it)
_CSRF_SLOT = "csrf-slot-4b1f9e"
_rendering: dict[str, threading.Event] = {}
_rendering_lock = threading.Lock()


def live_part(request: HttpRequest, viewer: Principal | None, incident: Incident, heads: dict[str, int], *,
              render_context: Callable[[Principal | None, Incident], dict[str, Any]]) -> str:
    """The live part's HTML for this viewer, from the cache when nothing it shows has changed.

    The key holds what the part depends on: the incident's version, the heads of the three streams the board
    listens to (any event there may change it), the language, what the viewer may see and do, and a 15-second
    clock. The CSRF token of the plan's form is the requester's own, put in after the cache.
    """
    target = target_of(incident)  # resolved once: each resolution reads the incident's regions and roles
    may_see = viewer is not None and allowed(viewer, VIEW_CASUALTIES, target)
    flags = [may_see, viewer is not None and allowed(viewer, ASSIGN_CASUALTY, target),
             None if may_see or viewer is None else viewer.facility_id]
    bucket = int(clock.utcnow().timestamp() // LIVE_PART_SECONDS)

    def key(at: dict[str, int]) -> str:
        return "mci-live:" + hashlib.sha256(json.dumps([
            LIVE_PART_GENERATION, incident.pk, incident.version, at, get_language(), flags, bucket],
            sort_keys=True).encode()).hexdigest()

    html = cache.get(key(heads)) or _rendered_once(key(heads), lambda: _render(viewer, incident, heads, key,
                                                                                render_context))
    return html.replace(_CSRF_SLOT, get_token(request))


def _rendered_once(key: str, render: Callable[[], str]) -> str:
    """`render()` in one request of this process per key at a time; the others wait and read the cache."""
    with _rendering_lock:
        pending = _rendering.get(key)
        mine = pending is None
        if mine:
            pending = _rendering[key] = threading.Event()
    assert pending is not None
    if not mine:
        if not connection.in_atomic_block:
            connection.close()  # back to the pool while waiting: the renderer may need one
        pending.wait(RENDER_WAIT_SECONDS)
        html = cache.get(key)
        if html is not None:
            return str(html)
        return render()  # the renderer failed or the cache dropped it: render here
    try:
        # A request that missed the cache just before another finished rendering this key finds it here
        # (the renderer stores the part before it lets go of the key): no second rendering.
        done = cache.get(key)
        return str(done) if done is not None else render()
    finally:
        with _rendering_lock:
            _rendering.pop(key, None)
        pending.set()


def _render(viewer: Principal | None, incident: Incident, heads: dict[str, int], key: Callable[[dict[str, int]], str],
            render_context: Callable[[Principal | None, Incident], dict[str, Any]]) -> str:
    context = {**render_context(viewer, incident), "csrf_token": _CSRF_SLOT}
    html = render_to_string("incidents/partials/board_live.html", context)
    cache.set(key(heads), html, LIVE_PART_SECONDS * 2)
    # Rendering may store a new plan, whose plan.ready event moves the incidents head: this part already shows
    # that plan, so it also answers for the new head — else every board would re-read once more.
    after = stream_heads(list(heads))
    if after != heads and _only_plan_news(incident, heads, after):
        cache.set(key(after), html, LIVE_PART_SECONDS * 2)
    return html


def _only_plan_news(incident: Incident, before: dict[str, int], after: dict[str, int]) -> bool:
    """Whether the events between the two heads are this incident's plan.ready news and nothing else."""
    if any(after[name] != before[name] for name in before if name != "incidents"):
        return False
    events = event_list("incidents", after=before["incidents"], upto=after["incidents"])
    return all(e.kind == "plan.ready" and e.data.get("incident") == incident.pk for e in events)

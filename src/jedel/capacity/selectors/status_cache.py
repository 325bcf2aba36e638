"""Cache of the current status, kept per facility and rebuilt only for the facilities that changed.

Boards and information systems poll GET /api/status, the map and the totals while reports arrive several times a
second in an incident. Rebuilding the whole picture on every change (the previous design, keyed by one data
version) cost a full two-query read of every facility per request under write load. Here the cache (Django's
cache: Redis in production, shared by every worker; locmem by default) holds, per language, each facility's
clock-free status dump with the *stamp* it was built from: the facility's `version` and `updated_at` (every
registry edit moves them) and its current report id (reports are immutable; a new current report moves the
pointer). A read fetches the stamps of the matching facilities in one query and rebuilds only those whose
stamp differs, so after one report one facility is rebuilt.

Workers may write the map concurrently: the last write wins, and an entry it lacks or holds stale is seen by
its stamp on the next read and rebuilt. `minutes_ago` and `overdue` are never cached (status_model.
with_freshness adds them per request). The viewer is not in the key: every reader of the national picture sees
the same payload, and the permission check runs before the cache is read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

from jedel.capacity.selectors.status_values import StatusQuery, filtered_facilities, status_values
from jedel.facilities.models import Facility

# Entries untouched this long are dropped; correctness never depends on it (stamps do), only memory.
CACHE_SECONDS = 600
# Part of every key: bump it when the cached shape changes, so old entries in a shared Redis are never read.
FORMAT = 3
_CHUNK = 500  # facilities rebuilt per query (SQLite limits bound parameters)

Stamp = tuple[int, datetime, int | None]


def _key() -> str:
    return f"jedel:status:rows:{FORMAT}:{(get_language() or 'en')[:2]}"


def stamps(query: StatusQuery) -> list[tuple[int, Stamp]]:
    """(facility id, stamp) of the active facilities matching the data filters, in registry order (1 query)."""
    qs = filtered_facilities(query)
    if qs is None:
        return []
    return [(fid, (version, updated_at, report_id)) for fid, version, updated_at, report_id
            in qs.values_list("id", "version", "updated_at", "status__report")]


def rebuild(facility_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Clock-free JSON-mode dumps of these facilities' current status (2 queries per chunk)."""
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(facility_ids), _CHUNK):
        rows = status_values(StatusQuery(), queryset=Facility.objects.filter(pk__in=facility_ids[i:i + _CHUNK]))
        out.update((r.facility_id, r.model_dump(mode="json")) for r in rows)
    return out


def current_dumps(query: StatusQuery, *, build: Callable[[list[int]], dict[int, dict[str, Any]]] | None = None,
                  ) -> list[dict[str, Any]]:
    """Clock-free dumps of the active facilities matching `query`, in registry order, each fresh for its stamp.

    `min_available` without a bed type (total available beds) is the one filter applied here, not in SQL.
    """
    wanted = stamps(query)
    if not wanted:
        return []
    key = _key()
    entries: dict[int, tuple[Stamp, dict[str, Any]]] = cache.get(key) or {}
    stale = [fid for fid, stamp in wanted if (entry := entries.get(fid)) is None or entry[0] != stamp]
    if stale:
        fresh = (build or rebuild)(stale)
        stamp_of = dict(wanted)
        entries = {**entries, **{fid: (stamp_of[fid], dump) for fid, dump in fresh.items()}}
        cache.set(key, entries, CACHE_SECONDS)
    dumps = [entries[fid][1] for fid, _ in wanted if fid in entries]
    if query.min_available is not None and not query.bed_type:
        dumps = [d for d in dumps if d["current"] is not None
                 and sum(b["available"] for b in d["current"]["beds"].values()) >= query.min_available]
    return dumps

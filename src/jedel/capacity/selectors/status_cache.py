"""Cache of the current status, kept per facility and rebuilt only for the facilities that changed.

Boards and information systems poll GET /api/status, the map and the totals while reports arrive several times a
second in an incident. Rebuilding the whole picture on every change (the previous design, keyed by one data
version) cost a full two-query read of every facility per request under write load. Here each worker process
holds, per language, each facility's clock-free status dump with the *stamp* it was built from: the facility's
`version` (every registry edit goes through the compare-and-set registry service, which bumps it) and its current
report id (reports are immutable; a new current report moves the pointer). A read fetches the stamps of the
matching facilities in one query and rebuilds only those whose stamp differs, so after one report one facility is
rebuilt. An entry older than CACHE_SECONDS is rebuilt anyway, which bounds how long a change made outside the
services (raw SQL, reloaded region names) stays invisible.

The entries live in the process, not in the shared cache: correctness comes from the stamps, not from sharing,
and unpickling ~850 dumps from Redis cost ~8 ms a poll. `minutes_ago` and `overdue` are never cached
(status_model.with_freshness adds them per request). The viewer is not in the key: every reader of the national
picture sees the same payload, and the permission check runs before the cache is read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.utils.translation import get_language

from jedel.capacity.selectors.status_values import StatusQuery, filtered_facilities, status_values
from jedel.facilities.models import Facility

# An entry is rebuilt after this long even when its stamp is unchanged (see above).
CACHE_SECONDS = 600
_CHUNK = 500  # facilities rebuilt per query (SQLite limits bound parameters)

Stamp = tuple[int, int | None]
# language -> facility id -> (stamp, monotonic build time, dump). Replaced entry by entry: a thread reading
# while another rebuilds sees either the old or the new entry, both valid for their stamps.
_ENTRIES: dict[str, dict[int, tuple[Stamp, float, dict[str, Any]]]] = {}


def clear() -> None:
    """Forget every entry of this process (tests; an operator's reload)."""
    _ENTRIES.clear()


def stamps(query: StatusQuery) -> list[tuple[int, Stamp]]:
    """(facility id, stamp) of the active facilities matching the data filters, in registry order (1 query)."""
    qs = filtered_facilities(query)
    if qs is None:
        return []
    return [(fid, (version, report_id)) for fid, version, report_id
            in qs.values_list("id", "version", "status__report")]


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
    entries = _ENTRIES.setdefault((get_language() or "en")[:2], {})
    expired = time.monotonic() - CACHE_SECONDS
    stale = [fid for fid, stamp in wanted
             if (entry := entries.get(fid)) is None or entry[0] != stamp or entry[1] < expired]
    if stale:
        built_at, stamp_of = time.monotonic(), dict(wanted)
        for fid, dump in (build or rebuild)(stale).items():
            entries[fid] = (stamp_of[fid], built_at, dump)
    dumps = [entries[fid][2] for fid, _ in wanted if fid in entries]
    if query.min_available is not None and not query.bed_type:
        dumps = [d for d in dumps if d["current"] is not None
                 and sum(b["available"] for b in d["current"]["beds"].values()) >= query.min_available]
    return dumps

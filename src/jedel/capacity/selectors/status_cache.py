"""Cache of the current-status payloads, keyed by a data version read in one cheap query.

Boards poll GET /api/status every 15 s from many browsers; the payload changes only when a facility's status
pointer moves or a facility changes. What is cached (Django's cache: Redis in production, shared by every
worker; locmem by default) is everything that does not depend on the clock. `minutes_ago` and `overdue` are
computed per request from the cached `reported_at`: they tick at each report's own second offset, not at the
clock's minute, so a payload cached per clock minute would be up to 59 s stale.

The key holds the data version (`data_version`), the active language (names are translated) and the caller's
parameters. The viewer is not in it: every reader of the national picture sees the same payload, and the
permission check runs before the cache is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from jedel.capacity.models import FacilityStatus
from jedel.facilities.models import Facility

T = TypeVar("T")

# Bounds how long a change the version cannot see stays visible: region reference data edited in place, or a
# write made with raw SQL. Everything written through the services changes the version at once.
CACHE_SECONDS = 60
# Part of every key: bump it when the cached shape changes, so old entries in a shared Redis are never read.
FORMAT = 2


def _version_sql() -> str:
    q = connection.ops.quote_name
    return (
        # Facilities: a rename or deactivation bumps `version` (compare-and-set in the registry service) and
        # `updated_at`; count and max(id) see creations and deletions.
        f"SELECT f.n, f.max_id, f.versions, f.updated, s.n, s.ids, s.max_id FROM "
        f"(SELECT COUNT(*) AS n, MAX({q('id')}) AS max_id, SUM({q('version')}) AS versions, "
        f"MAX({q('updated_at')}) AS updated FROM {q(Facility._meta.db_table)}) AS f CROSS JOIN "
        # Status pointers: a new current report has the highest id when it is written, so max moves; sum and
        # count also move when two reports commit out of id order, or a facility reports for the first time.
        # A backfilled report that does not become current moves none of them.
        f"(SELECT COUNT(*) AS n, SUM({q('report_id')}) AS ids, MAX({q('report_id')}) AS max_id "
        f"FROM {q(FacilityStatus._meta.db_table)}) AS s"
    )


def data_version() -> tuple[str, ...]:
    """What the current-status picture depends on, read in one query over two 1-row-per-facility tables."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return tuple(str(value) for value in row)


def cache_key(name: str, params: object, version: tuple[str, ...]) -> str:
    """Key of one cached payload: name, parameters, language and data version (hashed: parameters are input)."""
    raw = repr((FORMAT, params, get_language(), version)).encode()
    return f"jedel:status:{name}:{hashlib.sha256(raw).hexdigest()}"


def cached(name: str, params: object, build: Callable[[], T]) -> T:
    """`build()`'s result for the current data, from the cache when the data have not changed since.

    The version is read before `build()` reads the data, so an entry is never older than its key says.
    """
    key = cache_key(name, params, data_version())
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value

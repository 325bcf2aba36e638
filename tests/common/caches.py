"""In-process caches that outlive a test (or a rolled-back savepoint): a rolled-back test database reuses ids, so
whatever they hold must be dropped between tests."""

from __future__ import annotations

import uuid


def clear_process_caches() -> None:
    from jedel.capacity.selectors import status_cache
    from jedel.incidents import board_live
    from jedel.supplies.catalogue_cache import catalogue_cache

    status_cache.clear()
    catalogue_cache.clear()
    board_live.LIVE_PART_GENERATION = uuid.uuid4().hex  # cached MCI board parts of earlier tests never match

"""Every catalogue item by id, kept in the process: stock reads name thousands of items per call.

Building 2,000 Item objects costs more than the stock sums themselves on a national warehouse, and grouping the
balances by the items' columns doubles the query (bench/supplies_stock.py). The catalogue is national reference
data: items are created (services/catalogue.py), never edited or deleted by the application. So each read checks
a stamp (number of items, highest id: one index-only aggregate) and reloads the whole catalogue when it moved, when
an id is not known, or after `MAX_AGE_S` (a change made outside the application, such as a restored database, is
seen within that time). Tests clear it between tests, as ids are reused after a rollback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from django.db.models import Count, Max

from jedel.supplies.models import Item

MAX_AGE_S = 300.0


class CatalogueCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[int, Item] = {}
        self._stamp: tuple[int, int | None] | None = None
        self._loaded_at = 0.0

    def clear(self) -> None:
        with self._lock:
            self._items, self._stamp, self._loaded_at = {}, None, 0.0

    def items(self, ids: Iterable[int]) -> dict[int, Item]:
        """The items with these ids (all of the catalogue, current as of this call's stamp)."""
        wanted = set(ids)
        found = Item.objects.aggregate(n=Count("pk"), top=Max("pk"))
        stamp = (found["n"], found["top"])
        with self._lock:
            fresh = (stamp == self._stamp and time.monotonic() - self._loaded_at < MAX_AGE_S
                     and wanted <= self._items.keys())
            if not fresh:
                self._items = {i.pk: i for i in Item.objects.all()}
                self._stamp, self._loaded_at = stamp, time.monotonic()
            return self._items


catalogue_cache = CatalogueCache()

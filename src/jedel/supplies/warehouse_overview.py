"""Rows of the overview page: one per warehouse (its worst line) and one per item (national totals)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from jedel.supplies.engines import SAFETY_STOCK_DAYS, Outlook
from jedel.supplies.models import Item, Warehouse


@dataclass(frozen=True)
class WarehouseRow:
    warehouse: Warehouse
    items: int
    below_minimum: int
    expired_units: int
    lowest_days: float | None  # None: nothing is being used

    @property
    def status(self) -> str:
        """red: an item below its minimum or within the safety days; amber: expired stock to write off."""
        if self.below_minimum or (self.lowest_days is not None and self.lowest_days < SAFETY_STOCK_DAYS):
            return "red"
        return "amber" if self.expired_units else "green"


def warehouse_rows(warehouses: list[Warehouse], outlooks: list[Outlook]) -> list[WarehouseRow]:
    by_warehouse: dict[int, list[Outlook]] = defaultdict(list)
    for o in outlooks:
        by_warehouse[o.line.warehouse_id].append(o)
    rows = []
    for w in warehouses:
        mine = by_warehouse.get(w.pk, [])
        finite = [o.days_of_supply for o in mine if math.isfinite(o.days_of_supply)]
        rows.append(WarehouseRow(warehouse=w, items=sum(1 for o in mine if o.line.on_hand > 0),
                                 below_minimum=sum(1 for o in mine if o.line.below_minimum),
                                 expired_units=sum(o.line.expired for o in mine),
                                 lowest_days=min(finite) if finite else None))
    return rows


@dataclass(frozen=True)
class ItemRow:
    item: Item
    on_hand: int
    daily_use: float
    warehouses: int
    below_minimum: int

    @property
    def days_of_supply(self) -> float | None:
        return self.on_hand / self.daily_use if self.daily_use > 0 else None


def national_rows(outlooks: list[Outlook]) -> list[ItemRow]:
    """Per item, all warehouses together: usable units, daily use, where it is held, where it is short."""
    acc: dict[int, list[Outlook]] = defaultdict(list)
    for o in outlooks:
        acc[o.line.item.pk].append(o)
    rows = [ItemRow(item=group[0].line.item, on_hand=sum(o.line.on_hand - o.line.expired for o in group),
                    daily_use=sum(o.daily_use_units for o in group),
                    warehouses=sum(1 for o in group if o.line.on_hand > 0),
                    below_minimum=sum(1 for o in group if o.line.below_minimum)) for group in acc.values()]
    return sorted(rows, key=lambda r: (r.item.category, r.item.code))

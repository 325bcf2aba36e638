"""Reads of the catalogue, warehouses and stock. Every person may read them (view_supplies, no personal data).

Stock on hand is read from the balances (one indexed row per warehouse, item and lot), never summed from the
ledger; average daily use is the units issued or distributed in the last `USE_WINDOW_DAYS` days, read through the
(warehouse, item, at) index. Days of supply are computed from both by engines.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.common.errors import NotFound
from jedel.supplies.catalogue_cache import catalogue_cache
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import (EntryKind, Item, KitVersion, LedgerEntry, MinimumStock, StockBalance, Warehouse)
from jedel.supplies.permissions import VIEW_SUPPLIES

USE_WINDOW_DAYS = 14  # two weeks: long enough to smooth a day's peak, short enough to follow a flood's surge
EXPIRING_WITHIN_DAYS = 90
CONSUMPTION = (EntryKind.ISSUE, EntryKind.DISTRIBUTION)


@dataclass(frozen=True)
class StockLine:
    """One item at one warehouse: units on hand, of them expiring soon or expired, minimum, and recent use."""

    warehouse_id: int
    item: Item
    on_hand: int
    expiring_soon: int
    expired: int
    min_units: int | None
    used_in_window: int
    window_days: int

    @property
    def below_minimum(self) -> bool:
        """Usable units only: expired stock waiting to be written off does not keep a warehouse supplied."""
        return self.min_units is not None and self.on_hand - self.expired < self.min_units


def items(viewer: Principal | None, *, category: str | None = None) -> list[Item]:
    require(viewer, VIEW_SUPPLIES, object_type="item")
    qs = Item.objects.filter(active=True)
    return list(qs.filter(category=category) if category else qs)


def kit_versions(viewer: Principal | None, kit_id: int | None = None) -> list[KitVersion]:
    """Kit versions, newest first per kit, with their components."""
    require(viewer, VIEW_SUPPLIES, object_type="kit")
    qs = KitVersion.objects.select_related("kit").prefetch_related("components__item")
    return list(qs.filter(kit_id=kit_id) if kit_id else qs)


def kit_version_current(kit_id: int) -> KitVersion | None:
    return KitVersion.objects.filter(kit_id=kit_id).order_by("-number").first()


def warehouses(viewer: Principal | None, *, region_id: int | None = None, kind: str | None = None) -> list[Warehouse]:
    require(viewer, VIEW_SUPPLIES, object_type="warehouse")
    qs = Warehouse.objects.filter(active=True).select_related("region", "facility")
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)


def warehouse_get(viewer: Principal | None, warehouse_id: int) -> Warehouse:
    warehouse = Warehouse.objects.select_related("region", "facility").filter(pk=warehouse_id).first()
    if warehouse is None:
        raise NotFound(SupplyError.WAREHOUSE_NOT_FOUND)
    require(viewer, VIEW_SUPPLIES, warehouse, object_type="warehouse", object_id=warehouse.pk)
    return warehouse


def _window_start(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def stock_lines(viewer: Principal | None, *, warehouse_ids: list[int] | None = None, item_id: int | None = None,
                now: datetime, window_days: int = USE_WINDOW_DAYS) -> list[StockLine]:
    """Stock per (warehouse, item) for some warehouses and/or one item, including items at their minimum only."""
    require(viewer, VIEW_SUPPLIES, object_type="stock")
    today = timezone.localdate(now)
    where = Q()
    if warehouse_ids is not None:
        where &= Q(warehouse_id__in=warehouse_ids)
    if item_id is not None:
        where &= Q(item_id=item_id)
    soon = today + timedelta(days=EXPIRING_WITHIN_DAYS)
    totals = (StockBalance.objects.filter(where).values("warehouse_id", "item_id")
              .annotate(units=Sum("on_hand"),
                        expired=Sum("on_hand", filter=Q(batch__expires_on__lt=today)),
                        soon=Sum("on_hand", filter=Q(batch__expires_on__gte=today, batch__expires_on__lte=soon)))
              .values_list("warehouse_id", "item_id", "units", "expired", "soon"))
    used = (LedgerEntry.objects.filter(where, kind__in=CONSUMPTION, at__gte=_window_start(now, window_days),
                                       at__lte=now)
            .values_list("warehouse_id", "item_id").annotate(units=Sum("quantity")))
    minimums = dict(((w, i), units) for w, i, units in
                    MinimumStock.objects.filter(where).values_list("warehouse_id", "item_id", "min_units"))
    # (on hand, expired, expiring soon, used in the window) per (warehouse, item)
    rows: dict[tuple[int, int], list[int]] = {(w, i): [units or 0, expired or 0, soon_units or 0, 0]
                                              for w, i, units, expired, soon_units in totals}
    for w, i, units in used:
        rows.setdefault((w, i), [0, 0, 0, 0])[3] = -(units or 0)
    for key in minimums:
        rows.setdefault(key, [0, 0, 0, 0])
    catalogue = catalogue_cache.items(i for _, i in rows)
    lines = [StockLine(warehouse_id=w, item=catalogue[i], on_hand=r[0], expiring_soon=r[2], expired=r[1],
                       min_units=minimums.get((w, i)), used_in_window=r[3], window_days=window_days)
             for (w, i), r in rows.items()]
    return sorted(lines, key=lambda s: (s.warehouse_id, s.item.category, s.item.code))


def ledger(viewer: Principal | None, warehouse_id: int, *, item_id: int | None = None,
           since: date | None = None, limit: int = 200) -> list[LedgerEntry]:
    """A warehouse's latest movements, newest first."""
    warehouse_get(viewer, warehouse_id)
    qs = LedgerEntry.objects.filter(warehouse_id=warehouse_id).select_related("item", "batch")
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if since is not None:
        qs = qs.filter(at__date__gte=since)
    return list(qs.order_by("-at", "-pk")[:limit])


def units_on_order(warehouse_ids: list[int] | None = None, item_id: int | None = None) -> dict[tuple[int, int], int]:
    """(destination warehouse, item) -> units approved on open requests and not yet received there."""
    from jedel.supplies.models_requests import RequestLine, RequestStatus, ShipmentLine

    lines = RequestLine.objects.filter(request__status__in=[RequestStatus.APPROVED, RequestStatus.PARTLY_FULFILLED],
                                       quantity_approved__gt=0)
    if warehouse_ids is not None:
        lines = lines.filter(request__destination_id__in=warehouse_ids)
    if item_id is not None:
        lines = lines.filter(item_id=item_id)
    approved = lines.values("request__destination_id", "item_id").annotate(units=Sum("quantity_approved"))
    received = (ShipmentLine.objects.filter(line__in=lines, quantity_received__isnull=False)
                .values("line__request__destination_id", "line__item_id").annotate(units=Sum("quantity_received")))
    out = {(a["request__destination_id"], a["item_id"]): int(a["units"] or 0) for a in approved}
    for r in received:
        key = (r["line__request__destination_id"], r["line__item_id"])
        out[key] = max(0, out.get(key, 0) - int(r["units"] or 0))
    return out


def item_ids_by_code(codes: list[str]) -> dict[str, int]:
    return dict(Item.objects.filter(code__in=codes, active=True).values_list("code", "pk"))


@dataclass(frozen=True)
class CensusInput:
    on_hand: int
    units_per_patient_day: float


def census_input(viewer: Principal | None, warehouse_id: int, item_id: int,
                 units_per_patient_day: float | None) -> CensusInput:
    """Usable (unexpired) stock of an item at a warehouse and its per patient-day rate (given, or the item's)."""
    from jedel.common.errors import DomainError

    warehouse_get(viewer, warehouse_id)
    item = Item.objects.filter(pk=item_id, active=True).first()
    if item is None:
        raise DomainError(SupplyError.ITEM_NOT_FOUND, field="item")
    rate = units_per_patient_day if units_per_patient_day is not None else item.units_per_patient_day
    if rate is None:
        raise DomainError(SupplyError.FORECAST_INVALID, field="units_per_patient_day")
    today = timezone.localdate()
    units = (StockBalance.objects.filter(warehouse_id=warehouse_id, item_id=item_id)
             .filter(Q(batch__expires_on__isnull=True) | Q(batch__expires_on__gte=today))
             .aggregate(s=Sum("on_hand"))["s"])
    return CensusInput(on_hand=int(units or 0), units_per_patient_day=float(rate))

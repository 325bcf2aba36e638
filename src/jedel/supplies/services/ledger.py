"""The stock ledger: every movement is an entry, and a balance moves with it in the same transaction.

`put` and `take` are the only writers of `StockBalance`. `take` lowers a balance with a conditional UPDATE
(`on_hand >= quantity`): on PostgreSQL a second writer waits for the first one's row lock and re-checks the
condition against the committed value, on SQLite writers are serialised by the database lock, and the check
constraint `on_hand >= 0` stands behind both; so no interleaving of concurrent issues can drive stock
negative. Issues without a named lot take the earliest expiry first (FEFO), skipping expired lots.

The public services check the permission, write inside one transaction and audit the write; `put` / `take`
are for the app's other services (shipments, distributions), which check and audit their own step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from jedel.accounts.policy import Action, Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError, NotFound
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import Batch, EntryKind, Item, LedgerEntry, StockBalance, Warehouse
from jedel.supplies.permissions import MOVE_STOCK
from jedel.supplies.services.low_stock import low_stock_check_on_commit


@dataclass(frozen=True)
class Taken:
    batch: Batch
    quantity: int


def warehouse_for(actor: Principal | None, warehouse_id: int, action: Action = MOVE_STOCK) -> Warehouse:
    """The active warehouse (404 when none) once `actor` may take `action` there (403 otherwise)."""
    warehouse = Warehouse.objects.filter(pk=warehouse_id).first()
    if warehouse is None:
        raise NotFound(SupplyError.WAREHOUSE_NOT_FOUND, field="warehouse")
    require(actor, action, warehouse, object_type="warehouse", object_id=warehouse.pk)
    if not warehouse.active:
        raise DomainError(SupplyError.WAREHOUSE_INACTIVE, field="warehouse", status=409)
    return warehouse


def item_get(item_id: int) -> Item:
    item = Item.objects.filter(pk=item_id, active=True).first()
    if item is None:
        raise NotFound(SupplyError.ITEM_NOT_FOUND, field="item")
    return item


def batch_for(item: Item, lot: str, expires_on: date | None) -> Batch:
    """The item's lot (created on first receipt); a lot keeps the expiry date it was first recorded with.

    Stock without a lot number never expires: an expiry date needs the lot it belongs to, or all of the item's
    unnumbered stock would share the first date ever given.
    """
    lot = lot.strip()[:60]
    if not lot and expires_on is not None:
        raise DomainError(SupplyError.LOT_REQUIRED, field="lot")
    try:
        with transaction.atomic():
            batch, _ = Batch.objects.get_or_create(item=item, lot=lot, defaults={"expires_on": expires_on})
    except IntegrityError:  # created by a concurrent receipt between our read and our insert
        batch = Batch.objects.get(item=item, lot=lot)
    if lot and expires_on is not None and batch.expires_on != expires_on:
        raise DomainError(SupplyError.EXPIRY_CONFLICT, field="expires_on")
    return batch


def positive_units(quantity: int, field: str = "quantity") -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise DomainError(SupplyError.NOT_POSITIVE, field=field)
    return quantity


def _entry(warehouse: Warehouse, item: Item, batch: Batch, quantity: int, kind: str, *, actor_label: str,
           now: datetime, reference: str, note: str) -> LedgerEntry:
    return LedgerEntry.objects.create(warehouse=warehouse, item=item, batch=batch, kind=kind, quantity=quantity,
                                      at=now, actor_label=actor_label[:200], reference=reference[:60],
                                      note=note[:300])


def put(warehouse: Warehouse, item: Item, batch: Batch, quantity: int, kind: str, *, actor_label: str,
        now: datetime, reference: str = "", note: str = "") -> LedgerEntry:
    """Add `quantity` units (> 0) of a batch to a warehouse. Call inside a transaction."""
    positive_units(quantity)
    if batch.item_id != item.pk:
        raise DomainError(SupplyError.BATCH_ITEM_MISMATCH, field="lot")
    keys = {"warehouse": warehouse, "item": item, "batch": batch}
    if not StockBalance.objects.filter(**keys).update(on_hand=F("on_hand") + quantity):
        try:
            with transaction.atomic():
                StockBalance.objects.create(**keys, on_hand=quantity)
        except IntegrityError:  # a concurrent first receipt created the row: add to it
            StockBalance.objects.filter(**keys).update(on_hand=F("on_hand") + quantity)
    return _entry(warehouse, item, batch, quantity, kind, actor_label=actor_label, now=now, reference=reference,
                  note=note)


def _take_batch(warehouse: Warehouse, item: Item, batch: Batch, quantity: int, kind: str, *, actor_label: str,
                now: datetime, reference: str, note: str) -> bool:
    if not StockBalance.objects.filter(warehouse=warehouse, item=item, batch=batch,
                                       on_hand__gte=quantity).update(on_hand=F("on_hand") - quantity):
        return False
    _entry(warehouse, item, batch, -quantity, kind, actor_label=actor_label, now=now, reference=reference, note=note)
    return True


def take(warehouse: Warehouse, item: Item, quantity: int, kind: str, *, actor_label: str, now: datetime,
         batch: Batch | None = None, reference: str = "", note: str = "",
         allow_expired: bool = False) -> list[Taken]:
    """Remove `quantity` units from a warehouse, from `batch` or earliest expiry first; all or nothing.

    Call inside a transaction: when too little is on hand, SupplyError.INSUFFICIENT_STOCK is raised after part
    may have been taken, and the caller's rollback undoes it.
    """
    positive_units(quantity)
    today = timezone.localdate(now)
    if batch is not None:
        if batch.item_id != item.pk:
            raise DomainError(SupplyError.BATCH_ITEM_MISMATCH, field="lot")
        if not allow_expired and batch.expires_on is not None and batch.expires_on < today:
            raise DomainError(SupplyError.LOT_EXPIRED, field="lot")
        if not _take_batch(warehouse, item, batch, quantity, kind, actor_label=actor_label, now=now,
                           reference=reference, note=note):
            raise DomainError(SupplyError.INSUFFICIENT_STOCK, field="quantity", status=409)
        low_stock_check_on_commit(warehouse.pk, item.pk)
        return [Taken(batch, quantity)]
    usable = Q(batch__expires_on__isnull=True) | Q(batch__expires_on__gte=today)
    # Lock the lots to take from, in FEFO order, so the amounts read are the amounts taken: a concurrent issue
    # waits here (PostgreSQL) instead of shortening a lot between our read and our update.
    balances = (StockBalance.objects.select_for_update(of=("self",))
                .filter(warehouse=warehouse, item=item, on_hand__gt=0)
                .filter(Q() if allow_expired else usable).select_related("batch")
                .order_by(F("batch__expires_on").asc(nulls_last=True), "batch__lot"))
    left, taken = quantity, []
    for balance in balances:
        part = min(left, balance.on_hand)
        if not _take_batch(warehouse, item, balance.batch, part, kind, actor_label=actor_label, now=now,
                           reference=reference, note=note):
            raise DomainError(SupplyError.INSUFFICIENT_STOCK, field="quantity", status=409)  # cannot happen locked
        taken.append(Taken(balance.batch, part))
        left -= part
        if left == 0:
            break
    if left:
        raise DomainError(SupplyError.INSUFFICIENT_STOCK, field="quantity", status=409)
    low_stock_check_on_commit(warehouse.pk, item.pk)
    return taken


def on_hand(warehouse_id: int, item_id: int) -> int:
    """Units of an item on hand at a warehouse, all lots together."""
    total = StockBalance.objects.filter(warehouse_id=warehouse_id, item_id=item_id).aggregate(s=Sum("on_hand"))["s"]
    return int(total or 0)


def warehouse_audit(actor: Principal, action: str, warehouse: Warehouse, changes: dict[str, object], now: datetime) -> None:
    audit_record(actor=actor, action=action, object_type="warehouse", object_id=warehouse.pk,
                 region_id=warehouse.region_id, facility_id=warehouse.facility_id, now=now,
                 changes={k: str(v)[:80] for k, v in changes.items()})


def stock_receive(*, actor: Principal | None, warehouse_id: int, item_id: int, quantity: int, lot: str = "",
                  expires_on: date | None = None, reference: str = "", note: str = "",
                  now: datetime | None = None) -> LedgerEntry:
    """Record stock received at a warehouse (from a supplier, a donation, a procurement)."""
    warehouse = warehouse_for(actor, warehouse_id)
    assert actor is not None
    item, now = item_get(item_id), now or utcnow()
    positive_units(quantity)
    with transaction.atomic():
        entry = put(warehouse, item, batch_for(item, lot, expires_on), quantity, EntryKind.RECEIPT,
                    actor_label=actor.label, now=now, reference=reference, note=note)
        warehouse_audit(actor, "stock_receive", warehouse, {"item": item.code, "quantity": quantity, "lot": lot,
                                                   "expires_on": expires_on}, now)
    return entry


def stock_issue(*, actor: Principal | None, warehouse_id: int, item_id: int, quantity: int, lot: str | None = None,
                reference: str = "", note: str = "", now: datetime | None = None) -> list[Taken]:
    """Record stock issued for use (to a ward, a team); refused with nothing written if too little is on hand."""
    warehouse = warehouse_for(actor, warehouse_id)
    assert actor is not None
    item, now = item_get(item_id), now or utcnow()
    positive_units(quantity)
    batch = _lot(item, lot)
    with transaction.atomic():
        taken = take(warehouse, item, quantity, EntryKind.ISSUE, actor_label=actor.label, now=now, batch=batch,
                     reference=reference, note=note)
        warehouse_audit(actor, "stock_issue", warehouse, {"item": item.code, "quantity": quantity,
                                                 "lots": ",".join(t.batch.lot or "-" for t in taken)}, now)
    return taken


def _lot(item: Item, lot: str | None) -> Batch | None:
    if lot is None:
        return None
    batch = Batch.objects.filter(item=item, lot=lot.strip()).first()
    if batch is None:
        raise DomainError(SupplyError.BATCH_ITEM_MISMATCH, field="lot")
    return batch


def stock_adjust(*, actor: Principal | None, warehouse_id: int, item_id: int, delta: int, lot: str = "",
                 expires_on: date | None = None, note: str, now: datetime | None = None) -> LedgerEntry | list[Taken]:
    """Correct stock by `delta` units (found, damaged, miscounted); the reason is required."""
    warehouse = warehouse_for(actor, warehouse_id)
    assert actor is not None
    item, now = item_get(item_id), now or utcnow()
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise DomainError(SupplyError.NOT_POSITIVE, field="delta")
    if not note.strip():
        raise DomainError(SupplyError.INVALID, field="note")
    with transaction.atomic():
        if delta > 0:
            result: LedgerEntry | list[Taken] = put(
                warehouse, item, batch_for(item, lot, expires_on), delta, EntryKind.ADJUSTMENT,
                actor_label=actor.label, now=now, note=note)
        else:
            result = take(warehouse, item, -delta, EntryKind.ADJUSTMENT, actor_label=actor.label, now=now,
                          batch=_lot(item, lot), note=note, allow_expired=True)
        warehouse_audit(actor, "stock_adjust", warehouse, {"item": item.code, "delta": delta, "lot": lot, "note": note}, now)
    return result


def expiry_write_off(*, actor: Principal | None, warehouse_id: int, item_id: int, lot: str,
                     now: datetime | None = None) -> int:
    """Write off everything left of an expired lot at a warehouse; returns the units written off."""
    warehouse = warehouse_for(actor, warehouse_id)
    assert actor is not None
    item, now = item_get(item_id), now or utcnow()
    batch = _lot(item, lot)
    assert batch is not None
    if batch.expires_on is None or batch.expires_on >= timezone.localdate(now):
        raise DomainError(SupplyError.NOT_EXPIRED, field="lot")
    with transaction.atomic():
        balance = (StockBalance.objects.select_for_update()
                   .filter(warehouse=warehouse, item=item, batch=batch).first())
        units = balance.on_hand if balance else 0
        if units == 0:
            raise DomainError(SupplyError.INSUFFICIENT_STOCK, field="lot", status=409)
        take(warehouse, item, units, EntryKind.EXPIRY, actor_label=actor.label, now=now, batch=batch,
             note=f"expired {batch.expires_on.isoformat()}", allow_expired=True)
        warehouse_audit(actor, "stock_expiry_write_off", warehouse, {"item": item.code, "lot": lot, "units": units}, now)
    return units

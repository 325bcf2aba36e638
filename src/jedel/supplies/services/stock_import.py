"""Import of stock counts (CSV): each line says how many units of an item's lot were counted at a warehouse.

The file is all or nothing: every line is checked first (codes, numbers, dates, lots, the caller's right to
move stock at that warehouse, duplicates), every problem is listed with its line number, and nothing is
written unless the whole file is valid. A valid file becomes one adjustment entry per line whose count differs
from the balance (counted − on hand), written in one transaction; lines that match write nothing.

Columns: warehouse,item,lot,expires_on,counted — `lot` may be empty (stock without a lot number), `expires_on`
is YYYY-MM-DD or empty, `counted` a whole number ≥ 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from jedel.accounts.models import AuditEvent
from jedel.accounts.policy import Principal, allowed
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.facilities.io import ImportFailed, ImportIssue
from jedel.facilities.io.csv_format import csv_rows
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import Batch, EntryKind, Item, StockBalance, Warehouse
from jedel.supplies.permissions import MOVE_STOCK
from jedel.supplies.services.ledger import batch_for, put, take

COLUMNS = ("warehouse", "item", "lot", "expires_on", "counted")


@dataclass(frozen=True)
class CountLine:
    line: int
    warehouse: Warehouse
    item: Item
    lot: str
    expires_on: date | None
    counted: int


@dataclass(frozen=True)
class CountResult:
    lines: int
    adjusted: int
    units_added: int
    units_removed: int


def _issue(line: int, field: str, message: str) -> ImportIssue:
    return ImportIssue("line", line, field, SupplyError.IMPORT_INVALID, message)  # type: ignore[arg-type]


def _parse(text: str, actor: Principal,
           denied: dict[Warehouse, list[int]]) -> tuple[list[CountLine], list[ImportIssue]]:
    """The file's lines, and every bad one; lines at warehouses out of the actor's scope are added to `denied`."""
    issues: list[ImportIssue] = []
    rows = list(csv_rows(text, COLUMNS, issues))
    warehouses = {w.code: w for w in Warehouse.objects.filter(code__in={r["warehouse"] for _, r in rows})}
    items = {i.code: i for i in Item.objects.filter(code__in={r["item"] for _, r in rows}, active=True)}
    known_lots = {(b.item_id, b.lot): b for b in Batch.objects.filter(item__in=items.values())}
    seen: dict[tuple[str, str, str], int] = {}
    new_lots: dict[tuple[int, str], tuple[date, int]] = {}  # a lot first named in this file: its date and line
    parsed: list[CountLine] = []
    for line, row in rows:
        before = len(issues)
        warehouse, item = warehouses.get(row["warehouse"]), items.get(row["item"])
        if warehouse is None or not warehouse.active:
            issues.append(_issue(line, "warehouse", _("no open warehouse has the code %(code)s") % {
                "code": row["warehouse"]}))
        elif not allowed(actor, MOVE_STOCK, warehouse):
            denied.setdefault(warehouse, []).append(line)
            issues.append(_issue(line, "warehouse", _("you may not record stock at %(code)s") % {
                "code": warehouse.code}))
        if item is None:
            issues.append(_issue(line, "item", _("no item has the code %(code)s") % {"code": row["item"]}))
        expires_on = None
        if row["expires_on"]:
            try:
                expires_on = date.fromisoformat(row["expires_on"])
            except ValueError:
                issues.append(_issue(line, "expires_on", _("not a date (YYYY-MM-DD): %(v)s") % {
                    "v": row["expires_on"]}))
        counted = -1
        if row["counted"].isascii() and row["counted"].isdecimal() and len(row["counted"]) <= 12:
            counted = int(row["counted"])
        else:
            issues.append(_issue(line, "counted", _("must be a whole number of units, 0 or more: %(v)s") % {
                "v": row["counted"]}))
        if expires_on is not None and not row["lot"]:
            issues.append(_issue(line, "lot", _("stock with an expiry date needs its lot number")))
        if item is not None and row["lot"] and expires_on is not None:
            batch = known_lots.get((item.pk, row["lot"]))
            first = new_lots.setdefault((item.pk, row["lot"]), (expires_on, line)) if batch is None else None
            if batch is not None and batch.expires_on != expires_on:
                issues.append(_issue(line, "expires_on", _("lot %(lot)s is recorded as expiring on %(d)s") % {
                    "lot": row["lot"], "d": batch.expires_on or "—"}))
            elif first is not None and first[0] != expires_on:
                issues.append(_issue(line, "expires_on", _("line %(n)d gives lot %(lot)s another expiry date") % {
                    "n": first[1], "lot": row["lot"]}))
        key = (row["warehouse"], row["item"], row["lot"])
        if key in seen:
            issues.append(_issue(line, "lot", _("the same warehouse, item and lot as line %(n)d") % {"n": seen[key]}))
        seen.setdefault(key, line)
        if len(issues) == before and warehouse is not None and item is not None:
            parsed.append(CountLine(line, warehouse, item, row["lot"][:60], expires_on, counted))
    if not rows and not issues:
        issues.append(_issue(1, "file", _("the file has no lines")))
    return parsed, issues


def stock_counts_import(text: str, *, actor: Principal | None, now: datetime | None = None,
                        dry_run: bool = False) -> CountResult:
    """Apply a stock-count file (all or nothing); ImportFailed lists every bad line."""
    if actor is None:
        require(actor, MOVE_STOCK, object_type="stock_count")  # answers 401
    assert actor is not None
    now = now or utcnow()
    denied: dict[Warehouse, list[int]] = {}
    lines, issues = _parse(text, actor, denied)
    for warehouse, at_lines in denied.items():
        # As require() does for any refused write: the attempt is on record (committed, as the import fails).
        audit_record(actor=actor, action=MOVE_STOCK.value, object_type="warehouse", object_id=warehouse.pk,
                     region_id=warehouse.region_id, facility_id=warehouse.facility_id, now=now,
                     outcome=AuditEvent.Outcome.DENIED, changes={"via": "stock_count_import", "lines": at_lines[:50]})
    if issues:
        raise ImportFailed(issues)
    adjusted = added = removed = 0
    with transaction.atomic():
        for c in lines:
            known = Batch.objects.filter(item=c.item, lot=c.lot).first()
            balance = (StockBalance.objects.select_for_update()
                       .filter(warehouse=c.warehouse, item=c.item, batch=known).first() if known else None)
            delta = c.counted - (balance.on_hand if balance else 0)
            if delta == 0:
                continue  # a count that matches writes nothing, not even a new lot
            batch = known or batch_for(c.item, c.lot, c.expires_on)
            note = _("stock count (line %(n)d)") % {"n": c.line}
            if delta > 0:
                put(c.warehouse, c.item, batch, delta, EntryKind.ADJUSTMENT, actor_label=actor.label, now=now,
                    reference="count", note=note)
                added += delta
            else:
                take(c.warehouse, c.item, -delta, EntryKind.ADJUSTMENT, actor_label=actor.label, now=now,
                     batch=batch, reference="count", note=note, allow_expired=True)
                removed += -delta
            adjusted += 1
        audit_record(actor=actor, action="stock_count_import", object_type="stock_count", now=now,
                     changes={"lines": len(lines), "adjusted": adjusted, "added": added, "removed": removed,
                              "dry_run": dry_run})
        if dry_run:
            transaction.set_rollback(True)
    return CountResult(lines=len(lines), adjusted=adjusted, units_added=added, units_removed=removed)

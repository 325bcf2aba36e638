"""Benchmark: stock on hand and days of supply over 1,000 warehouses x 2,000 items and 10 million ledger entries.

Prints one JSON object. Two reads, each timed end to end in process over random targets after a warm-up:
- ``warehouse``: what a warehouse's page and the stock API read, ``engines.outlooks(viewer, warehouse_id=w,
  now=...)``: the stock lines (on hand from the balances, expired / expiring, minimum, 14 days of use from the
  ledger), units on order, and days of supply and reorder for every line;
- ``item``: one item across all warehouses, ``engines.outlooks(viewer, item_id=i, now=...)``.
The baseline of each, measured in the same run over the same targets, is the naive read: on hand, expired and
expiring summed from all ledger entries of that warehouse (item), grouped by item (warehouse), with the same 14-day
use sum in the same query, then the same minimums, items and outlooks. Both reads are checked to give identical
lines on the first targets. Goal: p95 <= 50 ms. ``ratio`` = baseline p95 / figure p95.

Data (seeded; ``now`` is fixed at ANCHOR, so a kept database answers alike any day): 0.3 % national, 4 % regional,
5.7 % partner warehouses, the rest hospital stores (a synthetic facility each); 2,000 items, about 80 % with four
lots (one expired, one expiring within 90 days, two later), the rest one lot without expiry; each warehouse holds
about 400 items drawn by a skewed popularity, 1-3 lots of each. Each (warehouse, item, lot) runs cycles over the
past 365 days: a receipt (or transfer in), then issues, distributions, transfers out and adjustments taking at most
what it brought, so no balance is ever negative; balances are the sums. Entries are written in time order, as a
live ledger grows, by COPY with the secondary indexes and foreign keys dropped and rebuilt afterwards.

Usage: python bench/supplies_stock.py [--database-url URL] [--warehouses 1000] [--items 2000]
           [--entries 10000000] [--items-per-warehouse 400] [--queries 500] [--warmup 20] [--keep]
Quick run: --warehouses 100 --items 400 --entries 500000 --items-per-warehouse 80 --queries 100.
Without --keep the database is dropped and created afresh; with --keep it is reused when the warehouse, item and
entry counts match: no load, only the reads (about 3 minutes at full size with 500 reads of each kind).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/supbench"
ANCHOR = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # "now" of the data and of every read
DAY_S = 86_400
IN_KINDS = ("receipt", "transfer_in")
OUT_KINDS = ("issue", "distribution", "transfer_out", "adjustment")
OUT_P = (0.60, 0.25, 0.12, 0.03)
CATEGORIES = (("ppe", 0.20, "piece", 20), ("medicine", 0.45, "pack", 5), ("device", 0.10, "piece", 1),
              ("hygiene", 0.15, "piece", 5), ("kit", 0.03, "kit", 1), ("other", 0.07, "piece", 2))
TABLES = ("supplies_ledgerentry", "supplies_stockbalance")


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _database(url: str, keep: bool, counts: tuple[int, int, int]) -> bool:
    """Create (or keep) the database; True when a kept one already holds the requested data."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
    if exists and keep:
        with psycopg.connect(url) as conn:
            try:
                found = conn.execute("select (select count(*) from supplies_warehouse), (select count(*) from "
                                     "supplies_item), (select count(*) from supplies_ledgerentry)").fetchone()
            except psycopg.errors.UndefinedTable:
                found = None
        if found == counts:
            return True
        _say(f"kept database holds {found}, wanted {counts}: loading afresh")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    return False


def _catalogue(rng: np.random.Generator, n_wh: int, n_items: int) -> tuple[dict, dict]:
    """Warehouses (with facilities for hospital stores), items and lots through the ORM; their ids as arrays."""
    from jedel.facilities.models import Facility
    from jedel.geo.models import Town
    from jedel.supplies.models import Batch, Item, Warehouse

    towns = list(Town.objects.order_by("-population", "pk")[:300])
    n_nat, n_reg, n_par = max(1, round(n_wh * 0.003)), round(n_wh * 0.04), round(n_wh * 0.057)
    kinds = ["national"] * n_nat + ["regional"] * n_reg + ["partner"] * n_par
    kinds += ["hospital"] * (n_wh - len(kinds))
    hospitals = Facility.objects.bulk_create([
        Facility(code=f"SUPB-{k:04d}", name_en=f"Bench hospital {k}", kind="city_hospital", region=t.region,
                 town=t, lat=t.lat, lon=t.lon, synthetic=True)
        for k, t in ((k, towns[k % len(towns)]) for k in range(kinds.count("hospital")))])
    whs = []
    for k, kind in enumerate(kinds):
        town = towns[k % len(towns)]
        facility = hospitals[k - n_nat - n_reg - n_par] if kind == "hospital" else None
        whs.append(Warehouse(code=f"b-{kind[:3]}-{k:04d}", kind=kind, name_en=f"Bench {kind} warehouse {k}",
                             region=None if kind == "national" else town.region, facility=facility,
                             partner="Red Crescent" if kind == "partner" else "", lat=town.lat, lon=town.lon))
    whs = Warehouse.objects.bulk_create(whs)
    cat_idx = rng.choice(len(CATEGORIES), size=n_items, p=[c[1] for c in CATEGORIES])
    items = []
    for k in range(n_items):
        cat, _, unit, _ = CATEGORIES[cat_idx[k]]
        shelf = None if cat in ("device", "other") or rng.random() < 0.05 else int(rng.integers(365, 1826))
        items.append(Item(code=f"b-{cat}-{k:04d}", category=cat, unit=unit, name_en=f"Bench {cat} {k}",
                          shelf_life_days=shelf, pack_size=int(rng.choice([1, 10, 50, 100])) if cat in
                          ("ppe", "medicine") else 1))
    items = Item.objects.bulk_create(items)
    today, lots = ANCHOR.date(), []
    for it in items:
        if it.shelf_life_days is None:
            lots.append(Batch(item=it, lot="", expires_on=None))
            continue
        offsets = (-int(rng.integers(1, 61)), int(rng.integers(1, 91)), int(rng.integers(120, 400)),
                   int(rng.integers(400, 1200)))
        lots += [Batch(item=it, lot=f"L{it.pk}-{c}", expires_on=today + timedelta(days=d))
                 for c, d in zip("ABCD", offsets)]
    lots = Batch.objects.bulk_create(lots)
    by_item: dict[int, list[Batch]] = {i.pk: [] for i in items}
    for b in lots:
        by_item[b.item_id].append(b)
    return ({"wh_id": np.array([w.pk for w in whs]), "wh_kind": np.array(kinds)},
            {"item_id": np.array([i.pk for i in items]), "scale": np.array([CATEGORIES[c][3] for c in cat_idx]),
             "lots": [by_item[i.pk] for i in items]})


def _streams(rng: np.random.Generator, wh: dict, it: dict, per_wh: int) -> dict:
    """(warehouse, item, lot) streams: which warehouse holds which items and lots, and each stream's time span."""
    n_wh, n_items = len(wh["wh_id"]), len(it["item_id"])
    popularity = 1.0 / (np.arange(n_items) + 10.0) ** 0.8
    popularity = popularity[rng.permutation(n_items)]
    popularity /= popularity.sum()
    size_w = np.select([wh["wh_kind"] == "national", wh["wh_kind"] == "regional", wh["wh_kind"] == "partner"],
                       [4.0, 2.5, 0.8], 0.9) * rng.lognormal(0, 0.3, n_wh)
    size_w = np.clip(np.rint(size_w / size_w.mean() * per_wh), min(20, n_items), n_items).astype(int)
    p_w, p_i = [], []
    for w in range(n_wh):
        p_w.append(np.full(size_w[w], w))
        p_i.append(rng.choice(n_items, size=size_w[w], replace=False, p=popularity))
    p_w, p_i = np.concatenate(p_w), np.concatenate(p_i)
    s_w, s_i, s_batch, s_end = [], [], [], []
    window_s, start = 365 * DAY_S, ANCHOR - timedelta(days=365)
    hold = rng.random((len(p_w), 4)) < np.array([0.15, 0.5, 0.7, 0.7])  # lots A (expired) .. D
    hold[~hold.any(axis=1), 2] = True
    for k in range(len(p_w)):
        lots = it["lots"][p_i[k]]
        for j, lot in enumerate(lots):
            if len(lots) == 4 and not hold[k, j]:
                continue
            s_w.append(p_w[k]), s_i.append(p_i[k]), s_batch.append(lot.pk)
            expiry = lot.expires_on
            end = window_s if expiry is None or expiry >= ANCHOR.date() else \
                int((datetime(expiry.year, expiry.month, expiry.day, tzinfo=UTC) - start).total_seconds())
            s_end.append(max(end, DAY_S))
    activity = rng.lognormal(0, 1.0, n_items) * popularity * n_items
    s_i_arr = np.array(s_i)
    return {"w": np.array(s_w), "i": s_i_arr, "batch": np.array(s_batch), "end": np.array(s_end),
            "weight": activity[s_i_arr] * rng.lognormal(0, 0.5, len(s_i)), "pairs": len(p_w)}


def _ledger(rng: np.random.Generator, s: dict, it: dict, n_entries: int) -> dict:
    """Entries of every stream: counts, times, receipt/issue cycles with no running balance below zero."""
    n_streams = len(s["w"])
    if n_entries < n_streams:
        raise SystemExit(f"--entries must be at least the {n_streams} (warehouse, item, lot) streams")
    counts = 1 + rng.multinomial(n_entries - n_streams, s["weight"] / s["weight"].sum())
    stream = np.repeat(np.arange(n_streams), counts)
    t = (rng.random(n_entries) * s["end"][stream]).astype(np.int64)
    t = t[np.lexsort((t, stream))]  # stream is already grouped, so this sorts the times within each stream
    first = np.zeros(n_entries, bool)
    first[np.concatenate(([0], np.cumsum(counts)[:-1]))] = True
    receipt = first | (rng.random(n_entries) < 1 / 6)
    cycle = np.cumsum(receipt) - 1
    issues = np.bincount(cycle) - 1
    scale = it["scale"][s["i"][stream[receipt]]]
    brought = np.where(issues > 0, issues * rng.integers(10, 60, len(issues)), rng.integers(10, 500, len(issues)))
    brought = brought * scale
    weight = np.where(receipt, 0.0, rng.uniform(0.5, 1.5, n_entries))
    share = rng.uniform(0.5, 1.0, len(issues)) / np.maximum(np.bincount(cycle, weights=weight), 1e-9)
    taken = np.maximum(1, np.floor(brought[cycle] * share[cycle] * weight)).astype(np.int64)
    qty = np.where(receipt, brought[cycle], -taken)
    running = np.cumsum(qty)
    running -= np.repeat(running[first] - qty[first], counts)
    assert running.min() >= 0, "generator drove a balance negative"
    kind = np.where(receipt, rng.choice(2, n_entries, p=[0.85, 0.15]),
                    2 + rng.choice(4, n_entries, p=OUT_P)).astype(np.int8)
    return {"stream": stream, "t": t, "qty": qty, "kind": kind, "cycle": cycle, "receipt": receipt,
            "order": np.argsort(t, kind="stable"),
            "balance": np.bincount(stream, weights=qty, minlength=n_streams).astype(np.int64)}


def _drop_secondary(cur, table: str) -> list[str]:
    """Drop a table's foreign keys, unique constraints and plain indexes (not the key); return how to rebuild."""
    cur.execute("select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = %s::regclass "
                "and contype in ('f', 'u')", (table,))
    cons = cur.fetchall()
    cur.execute("select indexname, indexdef from pg_indexes where tablename = %s and indexname not in "
                "(select conname from pg_constraint where conrelid = %s::regclass)", (table, table))
    idx = cur.fetchall()
    for q in [f'alter table {table} drop constraint "{n}"' for n, _ in cons] + [f'drop index "{n}"' for n, _ in idx]:
        cur.execute(q)
    return [d for _, d in idx] + [f'alter table {table} add constraint "{n}" {d}' for n, d in cons]


def _load(url: str, s: dict, it: dict, wh: dict, led: dict, progress) -> None:
    import psycopg
    from psycopg.copy import QueuedLibpqWriter

    n, kinds = len(led["t"]), np.array(IN_KINDS + OUT_KINDS, dtype=object)
    start = np.datetime64(ANCHOR.replace(tzinfo=None) - timedelta(days=365), "s")
    stream_w, stream_i = wh["wh_id"][s["w"]], it["item_id"][s["i"]]
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("set maintenance_work_mem = '512MB'; set synchronous_commit = off")
        rebuild = [q for table in TABLES for q in _drop_secondary(cur, table)]
        task = progress.add_task("ledger entries (COPY)", total=n)
        cols = "id, warehouse_id, item_id, batch_id, kind, quantity, at, actor_label, reference, note"
        with cur.copy(f"copy supplies_ledgerentry ({cols}) from stdin",
                      writer=QueuedLibpqWriter(cur)) as copy:
            for lo in range(0, n, 250_000):
                rows = led["order"][lo:lo + 250_000]
                st = led["stream"][rows]
                at = np.datetime_as_string(start + led["t"][rows], unit="s").tolist()
                refs = [f"shipment:{c}" if r else "" for c, r in
                        zip(led["cycle"][rows].tolist(), led["receipt"][rows].tolist())]
                copy.write("".join(
                    f"{k}\t{w}\t{i}\t{b}\t{kd}\t{q}\t{a}+00\tbench\t{r}\t\n" for k, w, i, b, kd, q, a, r in zip(
                        range(lo + 1, lo + 1 + len(rows)), stream_w[st].tolist(), stream_i[st].tolist(),
                        s["batch"][st].tolist(), kinds[led["kind"][rows]].tolist(), led["qty"][rows].tolist(),
                        at, refs)))
                progress.advance(task, len(rows))
        task = progress.add_task("balances and minimums (COPY)", total=2)
        with cur.copy("copy supplies_stockbalance (id, warehouse_id, item_id, batch_id, on_hand) from stdin") as c:
            for k, row in enumerate(zip(stream_w.tolist(), stream_i.tolist(), s["batch"].tolist(),
                                        led["balance"].tolist()), start=1):
                c.write_row((k, *row))
        progress.advance(task)
        # A minimum for about one held (warehouse, item) in ten: two weeks of its average use, at least 10.
        cur.execute("insert into supplies_minimumstock (created_at, updated_at, version, warehouse_id, item_id, "
                    "min_units) select now(), now(), 1, warehouse_id, item_id, greatest(10, coalesce(-sum(quantity) "
                    "filter (where quantity < 0), 0) * 14 / 365)::int from supplies_ledgerentry "
                    "where hashint8(warehouse_id * 100003 + item_id) % 10 = 0 group by warehouse_id, item_id")
        progress.advance(task)
        for table in TABLES:
            cur.execute(f"select setval(pg_get_serial_sequence('{table}', 'id'), (select max(id) from {table}))")
        task = progress.add_task("indexes and foreign keys", total=len(rebuild))
        for q in rebuild:
            cur.execute(q)
            progress.advance(task)
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        task = progress.add_task("vacuum analyze", total=1)
        conn.execute("vacuum analyze")
        progress.advance(task)


def _verify(cur, rng: np.random.Generator, n_pairs: int) -> int:
    """balance == SUM(ledger) per lot, and no running balance below zero, on random held (warehouse, item)s."""
    cur.execute("select max(id) from supplies_stockbalance")
    top = cur.fetchone()[0]
    picks = rng.choice(top, min(top, 3 * n_pairs), replace=False) + 1  # several lots can share a pair
    cur.execute("select distinct warehouse_id, item_id from supplies_stockbalance where id = any(%s)",
                [picks.tolist()])
    pairs = cur.fetchall()[:n_pairs]
    for w, i in pairs:  # per lot: the balance, the entries' sum and their lowest running sum
        cur.execute("select b.on_hand, e.total, e.low from (select * from supplies_stockbalance where warehouse_id "
                    "= %(w)s and item_id = %(i)s) b full join (select batch_id, sum(quantity) total, min(run) low "
                    "from (select batch_id, sum(quantity) over (partition by batch_id order by at, id) run, quantity "
                    "from supplies_ledgerentry where warehouse_id = %(w)s and item_id = %(i)s) r group by batch_id) "
                    "e using (batch_id)", {"w": w, "i": i})
        rows = cur.fetchall()
        if any(bal is None or bal != total or low < 0 for bal, total, low in rows):
            raise SystemExit(f"balance != SUM(ledger) at warehouse {w}, item {i}: {rows}")
    _say(f"verified {len(pairs)} (warehouse, item) pairs: balances equal the ledger sums, never negative")
    return len(pairs)


NAIVE = """
select e.warehouse_id, e.item_id, sum(e.quantity)::bigint,
       sum(e.quantity) filter (where b.expires_on < %(today)s)::bigint,
       sum(e.quantity) filter (where b.expires_on >= %(today)s and b.expires_on <= %(soon)s)::bigint,
       -sum(e.quantity) filter (where e.kind in ('issue', 'distribution') and e.at >= %(since)s
                                and e.at <= %(now)s)::bigint
from supplies_ledgerentry e join supplies_batch b on b.id = e.batch_id where {where} group by 1, 2"""


def _naive(cur, *, warehouse_id: int | None = None, item_id: int | None = None) -> list:
    """The same lines from SUM(quantity) over all movements, then the same minimums, items and outlooks."""
    from django.utils import timezone

    from jedel.supplies.engines import outlook
    from jedel.supplies.models import Item, MinimumStock
    from jedel.supplies.selectors import EXPIRING_WITHIN_DAYS, USE_WINDOW_DAYS, StockLine

    today = timezone.localdate(ANCHOR)
    field, value = ("warehouse_id", warehouse_id) if item_id is None else ("item_id", item_id)
    cur.execute(NAIVE.format(where=f"e.{field} = %(v)s"),
                {"v": value, "today": today, "soon": today + timedelta(days=EXPIRING_WITHIN_DAYS),
                 "since": ANCHOR - timedelta(days=USE_WINDOW_DAYS), "now": ANCHOR})
    rows = {(w, i): r for w, i, *r in cur.fetchall()}
    minimums = {(m.warehouse_id, m.item_id): m.min_units for m in MinimumStock.objects.filter(**{field: value})}
    for key in minimums:
        rows.setdefault(key, [0, 0, 0, 0])
    catalogue = Item.objects.in_bulk({i for _, i in rows})
    lines = sorted((StockLine(warehouse_id=w, item=catalogue[i], on_hand=r[0] or 0, expiring_soon=r[2] or 0,
                              expired=r[1] or 0, min_units=minimums.get((w, i)), used_in_window=r[3] or 0,
                              window_days=USE_WINDOW_DAYS) for (w, i), r in rows.items()),
                   key=lambda s: (s.warehouse_id, s.item.category, s.item.code))
    return [outlook(line) for line in lines]


def _stats(ms: list[float]) -> dict[str, float]:
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2), "p99_ms": round(q[98], 2)}


def _timed(fn, base, targets) -> tuple[list[float], list[float], int]:
    """Figure and baseline on each target in turn, alternating which goes first, so load on a shared machine
    falls on both alike."""
    out: tuple[list[float], list[float]] = ([], [])
    lines = 0
    for k, x in enumerate(targets):
        for which in ((0, 1) if k % 2 == 0 else (1, 0)):
            t = time.perf_counter()
            n = len((fn, base)[which](x))
            out[which].append((time.perf_counter() - t) * 1000)
            lines += n if which == 0 else 0
    return out[0], out[1], lines


def _key(outlooks: list) -> list[tuple]:
    return [(o.line.warehouse_id, o.line.item.pk, o.line.on_hand, o.line.expired, o.line.expiring_soon,
             o.line.min_units, o.line.used_in_window, o.days_of_supply, o.reorder) for o in outlooks]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--warehouses", type=int, default=1_000)
    ap.add_argument("--items", type=int, default=2_000)
    ap.add_argument("--entries", type=int, default=10_000_000)
    ap.add_argument("--items-per-warehouse", type=int, default=400)
    ap.add_argument("--queries", type=int, default=500, help="timed reads of each kind (and baselines)")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--verify-pairs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--keep", action="store_true", help="reuse the database when its counts match")
    args = ap.parse_args()
    if urlsplit(args.database_url).scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("supplies_stock: --database-url must be a PostgreSQL URL (postgresql://...)")

    kept = _database(args.database_url, args.keep, (args.warehouses, args.items, args.entries))
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jedel.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jedel.accounts.models import AuditEvent, Role, ScopeLevel
    from jedel.accounts.policy import Principal
    from jedel.geo.models import Region
    from jedel.geo.services import reference_geography_load
    from jedel.supplies.engines import outlooks

    rng = np.random.default_rng(args.seed)  # the data; the reads' targets draw from their own generator
    load_s, started = None, time.perf_counter()
    call_command("migrate", verbosity=0)  # a no-op on a kept database unless the app gained a migration
    if not kept:
        if Region.objects.count() < 20:
            reference_geography_load()
        wh, it = _catalogue(rng, args.warehouses, args.items)
        streams = _streams(rng, wh, it, args.items_per_warehouse)
        ledger = _ledger(rng, streams, it, args.entries)
        _say(f"generated {args.entries} entries in {len(streams['w'])} streams, {streams['pairs']} pairs, "
             f"{time.perf_counter() - started:.0f} s")
        connection.close()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True)) as progress:
            _load(args.database_url, streams, it, wh, ledger, progress)
        load_s = round(time.perf_counter() - started, 1)
        _say(f"loaded in {load_s} s")
        del ledger, streams
    cur = connection.cursor()
    rng = np.random.default_rng(args.seed + 1)
    verified = _verify(cur, rng, args.verify_pairs)

    viewer = Principal(label="bench", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)
    n, targets = args.warmup + args.queries, {}
    for kind in ("warehouse", "item"):
        cur.execute(f"select id from supplies_{kind} order by id")
        targets[kind] = rng.choice([r[0] for r in cur.fetchall()], n).tolist()
    figure = {"warehouse": lambda w: outlooks(viewer, warehouse_id=w, now=ANCHOR),
              "item": lambda i: outlooks(viewer, item_id=i, now=ANCHOR)}
    naive = {"warehouse": lambda w: _naive(cur, warehouse_id=w), "item": lambda i: _naive(cur, item_id=i)}
    audits, load_before = AuditEvent.objects.count(), os.getloadavg()[0]
    benchmarks = []
    for kind in ("warehouse", "item"):
        warm, timed = targets[kind][:args.warmup], targets[kind][args.warmup:]
        for x in warm:  # warm-up, and the two reads must agree line for line
            if _key(figure[kind](x)) != _key(naive[kind](x)):
                raise SystemExit(f"{kind} {x}: engines.outlooks and the ledger sums disagree")
        fig_ms, base_ms, lines = _timed(figure[kind], naive[kind], timed)
        f, b = _stats(fig_ms), _stats(base_ms)
        benchmarks.append({
            "name": f"supplies_stock_{kind}_p95", "figure": f["p95_ms"], "unit": "ms",
            "figure_is": f"p95 of engines.outlooks({'warehouse_id=w' if kind == 'warehouse' else 'item_id=i'})",
            **f, "baseline": b["p95_ms"],
            "baseline_p50_ms": b["p50_ms"], "baseline_p99_ms": b["p99_ms"],
            "baseline_name": f"naive SUM(quantity) over all ledger entries of the {kind}, grouped by "
                             f"{'item' if kind == 'warehouse' else 'warehouse'}, with the 14-day use sum",
            "ratio": round(b["p95_ms"] / f["p95_ms"], 2), "ratio_is": "baseline p95 / figure p95",
            "goal": "p95 <= 50 ms", "met": f["p95_ms"] <= 50.0, "queries": args.queries,
            "lines_per_query": round(lines / args.queries, 1)})
    assert AuditEvent.objects.count() == audits, "the reads wrote audit events"
    cur.execute("select (select count(*) from supplies_warehouse), (select count(*) from supplies_item), "
                "(select count(*) from supplies_batch), (select count(*) from supplies_ledgerentry), "
                "(select count(*) from supplies_stockbalance), (select count(*) from supplies_minimumstock), "
                "(select count(distinct (warehouse_id, item_id)) from supplies_stockbalance), version()")
    w, i, b, e, sb, mins, pairs, version = cur.fetchone()
    print(json.dumps({"benchmarks": benchmarks, "dataset": {
        "warehouses": w, "items": i, "lots": b, "ledger_entries": e, "balances": sb, "minimums": mins,
        "warehouse_item_pairs": pairs, "now": ANCHOR.isoformat(), "seed": args.seed, "load_s": load_s,
        "kept": kept, "verified_pairs": verified, "postgres": version.split(" on ")[0]},
        "machine": {"cpus": os.cpu_count(), "load_1min_before": round(load_before, 2),
                    "load_1min_after": round(os.getloadavg()[0], 2)}}, indent=2))


if __name__ == "__main__":
    main()

"""Benchmark: notices fanned out to recipients over websockets, escalation timers running, kill -9 in the middle.

Goal (issue 17): 1,000 notices fanned out to 2,000 recipients over websockets with escalation timers running:
p99 commit -> delivered <= 200 ms; 0 lost or duplicated across a `kill -9` of a worker.

Set-up (fresh each run): PostgreSQL $JEDEL_NOTIFY_LOAD_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/bench_notify, dropped and re-created), `jedel demo` (synthetic network,
~850 hospitals, demo users), Redis $JEDEL_NOTIFY_LOAD_REDIS_URL (default redis://127.0.0.1:6379/8, flushed).
Then --recipients viewer accounts (bulk, unusable passwords, one API token each), one admissions desk per
hospital (up to --notices desks) with the recipients on duty round-robin (position 0, 1, ...), and an SMS
number for every --sms-every-th recipient. Processes: 2 x `uvicorn jedel.config.asgi:application` (one process
each, JEDEL_NOTIFY_WORKER=off, Redis channel layer) + `jedel notify worker --interval 0.2` + a local SMS gateway
(JEDEL_NOTIFY_SMS=http) that records every POST's idempotency id.

Scenario: every recipient opens a socket (half on each server) subscribed to "inbox", their own personal
stream (their own seqs: a reconnect replays only their missed notices). Baseline: --baseline
single notices, one at a time, each to one person, with all sockets open and nothing else happening. Load:
--notices notices POSTed by the demo national coordinator (--concurrency at a time, alternating servers, each
with a dedupe key so a retry after a killed server collapses into the committed one), each to a desk: level 0
= the desk's first-called person, level 1 = the whole desk, --ack-timeout s per level, nobody acknowledges, so
every notice escalates once and then ends unanswered while the load runs. Failures: the notify worker is
`kill -9`ed once the gateway has seen 20 % of the SMS, one uvicorn once half the notices are posted; both
restart after --down-seconds. Clients of the killed server reconnect (to the other server first) with
`after` = the last seq they saw. At the end every socket pings once (what realtime.js does every 25 s: the
server sends anything the at-most-once Redis layer dropped), then the Delivery table is compared with what
each socket got: lost = an in-app delivery its recipient never received (socket or inbox reload after a
"reset"), duplicated = one received twice. SMS: every queued SMS delivery id must reach the gateway at least
once (the worker's claim lease is 60 s, so an SMS claimed by the killed worker is resent ~60 s later).

Latency figure: a notice.received frame's receipt time minus its event's `at`. `at` is taken by the service
before it locks and writes (notice_send's `now`; for an escalation, the clock when the worker starts that
notice's transaction), so it is an upper bound of commit -> delivered (it includes lock waits and the
transaction). How late the worker got to each escalation is reported apart (escalation_lag_ms). Live frames only (frames replayed on
reconnect after the kill are reported apart). Same machine clock on both ends.

Usage: python bench/notify_load.py [--notices 1000] [--recipients 2000]   (smoke: --notices 50 --recipients 100)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notify_clients import ROOT, Gateway, Proc, Recipient, Server, Stats  # noqa: E402
from serve_harness import _cpu_model, _free_port, bench_env, machine_busy_seconds, pct  # noqa: E402

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/bench_notify"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"

SETUP_SCRIPT = r"""
import hashlib, json, os, secrets, sys
from datetime import timedelta
from jedel.cli.django_setup import setup
setup()
from django.db import transaction
from jedel.accounts.models import ApiToken, User
from jedel.accounts.services import SYSTEM, token_create
from jedel.common.clock import utcnow
from jedel.facilities.models import Facility
from jedel.notifications.models import Address, Desk, Shift

n, desks_wanted, sms_every = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
now = utcnow()
with transaction.atomic():
    users = User.objects.bulk_create([User(username=f"bench-r{i:05d}", password="!bench", role="viewer",
                                           scope_level="national") for i in range(n)])
    raws = ["jdl_" + secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create([ApiToken(name="notify-bench", prefix=r[4:12],
                                           digest=hashlib.sha256(r.encode()).hexdigest(), user=u)
                                  for u, r in zip(users, raws)])
    facilities = list(Facility.objects.order_by("pk")[:min(desks_wanted, n)])
    desks = Desk.objects.bulk_create([Desk(kind="admissions", facility=f) for f in facilities])
    members = {d.pk: [] for d in desks}
    shifts = []
    for i, u in enumerate(users):
        d = desks[i % len(desks)]
        shifts.append(Shift(desk=d, user=u, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=12),
                            position=len(members[d.pk])))
        members[d.pk].append(i)
    Shift.objects.bulk_create(shifts)
    Address.objects.bulk_create([Address(user=u, channel="sms", value=f"+7700{i:07d}")
                                 for i, u in enumerate(users) if sms_every and i % sms_every == 0])
national = User.objects.get(username="demo-national")
print(json.dumps({
    "sender": token_create(actor=SYSTEM, name="notify-bench-sender", user=national)[1],
    "recipients": [{"id": u.pk, "token": r} for u, r in zip(users, raws)],
    "desks": [{"desk": d.pk, "facility": f.pk, "region": f.region_id, "members": members[d.pk]}
              for d, f in zip(desks, facilities)],
}))
"""

# Only the benchmark's own notices (titled "Bench …"): `jedel demo` also leaves notices (its closed exercise's
# declaration and pre-alerts) to demo people who hold no socket here, and those are not the benchmark's to count.
FINAL_SQL = {
    "in_app": "select d.id, d.recipient_id, d.notice_id, d.level from notifications_delivery d"
              " join notifications_notice n on n.id = d.notice_id where d.channel = 'in_app' and n.title like 'Bench %'",
    "sms": "select d.id, d.state, d.attempts from notifications_delivery d"
           " join notifications_notice n on n.id = d.notice_id where d.channel = 'sms' and n.title like 'Bench %'",
    "notices": "select status, level, count(*) from notifications_notice where title like 'Bench %'"
               " group by status, level",
    # How often the servers read the outbox (event_list: replays and gap reads) and the stream head.
    "scans": "select relname, coalesce(idx_scan, 0) + coalesce(seq_scan, 0), n_tup_ins from pg_stat_user_tables"
             " where relname in ('common_event', 'common_streamhead')",
    # How late each escalation happened: level-1 in-app delivery queued at - (notice created + level-0 timeout).
    "escalation_lag": "select extract(epoch from (d.queued_at - n.created_at)) * 1000"
                      " - (n.ack_timeout_s->>0)::float * 1000 from notifications_delivery d"
                      " join notifications_notice n on n.id = d.notice_id"
                      " where d.channel = 'in_app' and d.level = 1 and n.dedupe_key like 'notify-bench-%'",
    "pending": "select (select count(*) from notifications_notice where status = 'open'),"
               " (select count(*) from notifications_delivery where state = 'queued' and channel <> 'in_app')",
}


def _run(env: dict[str, str], *args: str, timeout: int = 900) -> str:
    import subprocess

    result = subprocess.run(list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(args, db_url: str, redis_url: str, env: dict[str, str]) -> dict:
    import psycopg
    import redis

    base, _, name = db_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    redis.Redis.from_url(redis_url).flushdb()
    _run(env, sys.executable, "-c", "from jedel.cli.main import app; app()", "demo")
    out = _run(env, sys.executable, "-c", SETUP_SCRIPT, str(args.recipients), str(args.notices), str(args.sms_every))
    return json.loads(out.strip().splitlines()[-1])


def query(db_url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        return conn.execute(sql).fetchall()


# ---------------------------------------------------------------------------------------------- load
class Sender:
    """POSTs notices; on a transport error or 5xx the same notice (same dedupe key) goes to the other server."""

    def __init__(self, bases: list[str], token: str, concurrency: int) -> None:
        self.apis = [httpx.AsyncClient(base_url=b, timeout=60, headers={"Authorization": f"Bearer {token}"},
                                       limits=httpx.Limits(max_connections=concurrency)) for b in bases]
        self.gate = asyncio.Semaphore(concurrency)
        self.posted = 0
        self.collapsed = 0
        self.retries = 0
        self.errors: dict[str, int] = {}
        self.ms: list[float] = []
        self.notice_ids: set[int] = set()

    async def send(self, i: int, body: dict) -> int | None:
        async with self.gate:
            for attempt in range(20):
                api = self.apis[(i + attempt) % len(self.apis)]
                t = time.perf_counter()
                try:
                    r = await api.post("/api/notices", json=body)
                except httpx.HTTPError as exc:
                    key = f"post {type(exc).__name__}"
                else:
                    if r.status_code == 201:
                        self.ms.append((time.perf_counter() - t) * 1000)
                        self.posted += 1
                        self.collapsed += bool(r.json()["collapsed"])
                        self.notice_ids.add(r.json()["notice"]["id"])
                        return r.json()["notice"]["id"]
                    key = f"post {r.status_code}: {r.text[:80]}"
                self.errors[key] = self.errors.get(key, 0) + 1
                self.retries += 1
                await asyncio.sleep(0.3)
            return None

    async def close(self) -> None:
        for api in self.apis:
            await api.aclose()


def desk_notice(i: int, desk: dict, timeout: int) -> dict:
    return {"kind": "incoming_patient", "priority": "urgent", "title": f"Bench patient {i}", "body": "ETA 12 min",
            "levels": [[{"desk": desk["desk"], "position": 0}], [{"desk": desk["desk"]}]],
            "ack_timeout_s": [timeout, timeout], "facility": desk["facility"], "region": desk["region"],
            "dedupe_key": f"notify-bench-{i}"}


async def wait_until(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()


async def bench(args, setup: dict, servers: list[Server], worker: Proc, gateway: Gateway, db_url: str) -> dict:
    stats, stop = Stats(), asyncio.Event()
    ws_urls = [s.base.replace("http", "ws", 1) + "/ws/events/" for s in servers]
    http_urls = [s.base for s in servers]
    clients = [Recipient(r["id"], r["token"], i % 2, ws_urls, http_urls, stats, stop)
               for i, r in enumerate(setup["recipients"])]
    t0 = time.perf_counter()
    tasks = []
    for k in range(0, len(clients), 100):  # open in waves: 2,000 handshakes at once only measure the accept queue
        tasks += [asyncio.create_task(c.run()) for c in clients[k:k + 100]]
        await asyncio.sleep(0.2)
    await wait_until(lambda: stats.connected >= len(clients), 120)
    connect_s = time.perf_counter() - t0
    if stats.connected < len(clients):
        raise SystemExit(f"only {stats.connected}/{len(clients)} sockets subscribed: {dict(stats.failures)}")

    sender = Sender(http_urls, setup["sender"], args.concurrency)
    # Baseline: one notice at a time to one person, all sockets open, no other load.
    base_ids = []
    for j in range(args.baseline):
        before = len(stats.samples)
        who = setup["recipients"][(j * 7) % len(clients)]["id"]
        nid = await sender.send(j, {"kind": "other", "title": f"Bench baseline {j}", "priority": "routine",
                                    "levels": [[{"user": who}]], "ack_timeout_s": [3600]})
        base_ids.append(nid)
        await wait_until(lambda b=before: len(stats.samples) > b, 10, 0.005)
    baseline_ms = [ms for n, _lvl, ms, rep in stats.samples if n in base_ids and not rep]

    # Load, with the failures injected by `chaos` on the way.
    desks = setup["desks"]
    expected_sms0 = sum(1 for i in range(args.notices) if desks[i % len(desks)]["members"][0] % args.sms_every == 0) \
        if args.sms_every else 0
    scans0 = {r[0]: r[1] for r in await asyncio.to_thread(query, db_url, FINAL_SQL["scans"])}
    busy0, load_t0, load_epoch = machine_busy_seconds(), time.perf_counter(), time.time()
    client_cpu0 = time.process_time()
    procs = {"uvicorn1": servers[0], "uvicorn2": servers[1], "worker": worker}
    proc_cpu0 = {name: p.cpu_seconds() for name, p in procs.items()}
    pids0 = {name: p.proc.pid for name, p in procs.items()}
    events: list[dict] = []

    async def chaos() -> None:
        if args.no_kill:
            return
        await wait_until(lambda: gateway.distinct() >= max(1, expected_sms0 // 5), 120, 0.02)
        worker.kill9()
        events.append({"at_s": round(time.perf_counter() - load_t0, 2), "what": "kill -9 notify worker",
                       "sms_seen": gateway.distinct()})
        await asyncio.sleep(args.down_seconds)
        worker.start()
        events.append({"at_s": round(time.perf_counter() - load_t0, 2), "what": "notify worker restarted"})
        await wait_until(lambda: sender.posted >= args.notices // 2, 300, 0.02)
        servers[1].kill9()
        events.append({"at_s": round(time.perf_counter() - load_t0, 2), "what": "kill -9 uvicorn #2",
                       "posted": sender.posted})
        await asyncio.sleep(args.down_seconds)
        servers[1].start()
        await asyncio.to_thread(servers[1].wait_ready)
        events.append({"at_s": round(time.perf_counter() - load_t0, 2), "what": "uvicorn #2 ready again"})

    async def progress() -> None:  # one line every 5 s on stderr, to see a stall while it happens
        while True:
            await asyncio.sleep(5)
            print(f"[{time.perf_counter() - load_t0:6.1f}s] posted {sender.posted} frames {len(stats.samples)} "
                  f"open sockets {sum(c.ws is not None for c in clients)} reconnects {stats.reconnects} "
                  f"sms {gateway.distinct()} failures {dict(stats.failures.most_common(3))}", file=sys.stderr)

    monitor = asyncio.create_task(progress())
    chaos_task = asyncio.create_task(chaos())
    await asyncio.gather(*(sender.send(args.baseline + i, desk_notice(i, desks[i % len(desks)], args.ack_timeout))
                           for i in range(args.notices)))
    load_s = time.perf_counter() - load_t0
    await chaos_task

    # Settle: every notice escalated and ended, every SMS sent (an SMS claimed by the killed worker waits out
    # its 60 s lease), then one ping per socket and a quiet second.
    settle_t0 = time.perf_counter()
    while time.perf_counter() - settle_t0 < args.settle_timeout:
        open_n, queued = (await asyncio.to_thread(query, db_url, FINAL_SQL["pending"]))[0]
        if not open_n - len(base_ids) > 0 and not queued:
            break
        await asyncio.sleep(1)
    settle_s = time.perf_counter() - settle_t0
    busy = machine_busy_seconds() - busy0
    load_wall = time.perf_counter() - load_t0
    client_cores = round((time.process_time() - client_cpu0) / load_wall, 2)
    # A process restarted after its kill -9 counts from its restart (its first incarnation's CPU is lost).
    proc_cores = {name: round((p.cpu_seconds() - (proc_cpu0[name] if p.proc.pid == pids0[name] else 0)) / load_wall, 2)
                  for name, p in procs.items()}
    flushed = sum(await asyncio.gather(*(c.flush() for c in clients)))
    await asyncio.sleep(1.0)
    stop.set()
    for t in tasks:  # closing 2,000 sockets one by one waits out each close handshake: cancel instead
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    monitor.cancel()
    await sender.close()

    # Compare with the database.
    await asyncio.sleep(0.6)  # pg_stat_* is flushed by backends at most every 0.5 s
    scans = {r[0]: (r[1] - scans0.get(r[0], 0), r[2]) for r in await asyncio.to_thread(query, db_url, FINAL_SQL["scans"])}
    in_app = await asyncio.to_thread(query, db_url, FINAL_SQL["in_app"])
    sms = await asyncio.to_thread(query, db_url, FINAL_SQL["sms"])
    notices = await asyncio.to_thread(query, db_url, FINAL_SQL["notices"])
    lag = [float(r[0]) for r in await asyncio.to_thread(query, db_url, FINAL_SQL["escalation_lag"])]
    by_user = {c.user_id: c for c in clients}
    lost, dup, dup_seq, reloaded_only = 0, 0, 0, 0
    lost_examples = []
    for did, uid, nid, level in in_app:
        c = by_user.get(uid)
        got = c.deliveries.get(did, 0) if c else 0
        if got == 0 and c is not None and did in c.reloaded:
            reloaded_only += 1
        elif got == 0:
            lost += 1
            if len(lost_examples) < 5:
                lost_examples.append({"delivery": did, "notice": nid, "level": level, "recipient": uid})
        elif got > 1:
            dup += got - 1
    for c in clients:
        dup_seq += sum(n - 1 for n in c.seqs.values() if n > 1)
    sms_ids = {f"jedel-delivery-{did}" for did, _s, _a in sms}
    sms_missing = [k for k in sms_ids if k not in gateway.ids]
    sms_repeats = sum(n - 1 for k, n in gateway.ids.items() if k in sms_ids and n > 1)

    base_set = set(base_ids)
    live = [ms for n, _l, ms, rep in stats.samples if n not in base_set and not rep]
    live0 = [ms for n, lvl, ms, rep in stats.samples if n not in base_set and not rep and lvl == 0]
    live_esc = [ms for n, lvl, ms, rep in stats.samples if n not in base_set and not rep and lvl >= 1]
    replayed = [ms for n, _l, ms, rep in stats.samples if n not in base_set and rep]
    # Live latency by when the frame arrived, in 5 s windows from the start of the load: the failures are
    # injected at known times (failures_injected), so a window shows the steady state or the recovery.
    windows: dict[int, list[float]] = {}
    for (n, _l, ms, rep), at in zip(stats.samples, stats.received_at):
        if n not in base_set and not rep:
            windows.setdefault(max(0, int((at - load_epoch) // 5)) * 5, []).append(ms)
    timeline = {f"{w}-{w + 5}s": {"p50": pct(v, 50), "p99": pct(v, 99), "n": len(v)} for w, v in sorted(windows.items())}
    p99 = pct(live, 99)
    base_p50 = pct(baseline_ms, 50)
    escalated = sum(1 for _d, _u, n, lvl in in_app if lvl >= 1 and n not in base_set)

    def ratio(a, b):
        return round(a / b, 2) if a is not None and b else None

    return {
        "benchmarks": [{
            "name": "notice_commit_to_socket_p99", "figure": p99, "unit": "ms",
            "figure_is": "event `at` (service's `now`, before its transaction) -> frame received, live "
                         "notice.received frames of the load (level 0 and escalations), all sockets",
            "p50_ms": pct(live, 50), "p95_ms": pct(live, 95), "max_ms": round(max(live), 1) if live else None,
            "samples": len(live),
            "level0_ms": {"p50": pct(live0, 50), "p95": pct(live0, 95), "p99": pct(live0, 99), "n": len(live0)},
            "escalation_ms": {"p50": pct(live_esc, 50), "p95": pct(live_esc, 95), "p99": pct(live_esc, 99),
                              "n": len(live_esc)},
            "replayed_after_reconnect_ms": {"p50": pct(replayed, 50), "p99": pct(replayed, 99), "n": len(replayed)},
            "live_ms_by_arrival": timeline,
            "escalation_lag_ms": {"p50": pct(lag, 50), "p99": pct(lag, 99), "max": round(max(lag), 1) if lag else None,
                                  "n": len(lag), "is": "level-1 deliveries: queued at (the escalation's clock) - "
                                  "(notice created + level-0 timeout); the worker's lateness, before the "
                                  "escalation's own commit -> delivered above"},
            "baseline": base_p50, "baseline_p99": pct(baseline_ms, 99), "baseline_samples": len(baseline_ms),
            "baseline_name": f"{args.baseline} single notices sent one at a time to one person, all "
                             f"{len(clients)} sockets open, no other load: p50 of the same measure",
            "ratio": ratio(p99, base_p50), "goal": "p99 <= 200 ms", "met": p99 is not None and p99 <= 200,
        }, {
            "name": "lost_or_duplicated_across_kill9", "figure": lost + dup + dup_seq + len(sms_missing),
            "unit": "deliveries", "goal": "0 lost, 0 duplicated (in-app); every SMS id at the gateway",
            "in_app_deliveries": len(in_app), "received_once_or_more": len(in_app) - lost - reloaded_only,
            "lost": lost, "lost_examples": lost_examples, "recovered_by_inbox_reload_after_reset": reloaded_only,
            "duplicated": dup, "duplicated_seq": dup_seq, "sms_deliveries": len(sms), "sms_distinct_at_gateway":
                len(sms_ids) - len(sms_missing), "sms_missing": len(sms_missing), "sms_repeats": sms_repeats,
            "sms_states": _count(s for _d, s, _a in sms), "sms_attempts_max": max((a for *_x, a in sms), default=0),
            "met": lost == 0 and dup == 0 and dup_seq == 0 and not sms_missing,
        }],
        "load": {"notices_posted": sender.posted - len(base_ids), "distinct_notices": len(sender.notice_ids - base_set),
                 "collapsed_retries": sender.collapsed, "post_retries": sender.retries, "post_errors": sender.errors,
                 "post_ms": {"p50": pct(sender.ms, 50), "p95": pct(sender.ms, 95), "p99": pct(sender.ms, 99)},
                 "load_seconds": round(load_s, 1), "notices_per_s": round(args.notices / load_s, 1),
                 "settle_seconds": round(settle_s, 1), "escalation_deliveries": escalated,
                 "notices_by_status_level": {f"{s}/L{lvl}": n for s, lvl, n in notices},
                 "machine_busy_cores": round(busy / load_wall, 2),
                 "cpu_cores": {"client (this process: sockets, sender, SMS gateway)": client_cores, **proc_cores,
                               "is": "CPU seconds / wall seconds over load + settle; 1.0 = one core busy"},
                 "outbox_reads": {"common_event_scans": scans.get("common_event", (None,))[0],
                                  "events_stored": scans.get("common_event", (0, None))[1],
                                  "stream_head_scans": scans.get("common_streamhead", (None,))[0],
                                  "is": "index+seq scans during load and settle (pg_stat_user_tables): replays, "
                                        "gap reads and pings of the sockets"}},
        "sockets": {"recipients": len(clients), "connect_seconds": round(connect_s, 1), "reconnects": stats.reconnects,
                    "resets": stats.resets, "flushed": flushed, "failures": dict(stats.failures)},
        "failures_injected": events,
    }


def _count(items) -> dict:
    out: dict = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=1000)
    ap.add_argument("--recipients", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=20, help="notices POSTed at once")
    ap.add_argument("--ack-timeout", type=int, default=10, help="seconds per escalation level (API minimum 10)")
    ap.add_argument("--sms-every", type=int, default=4, help="every n-th recipient has an SMS number (0: none)")
    ap.add_argument("--baseline", type=int, default=20, help="single notices for the baseline")
    ap.add_argument("--down-seconds", type=float, default=1.0, help="how long a killed process stays down")
    ap.add_argument("--settle-timeout", type=float, default=120.0)
    ap.add_argument("--no-kill", action="store_true", help="no failures injected")
    args = ap.parse_args()

    db_url = os.environ.get("JEDEL_NOTIFY_LOAD_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("JEDEL_NOTIFY_LOAD_REDIS_URL", DEFAULT_REDIS)
    gateway = Gateway()
    env = bench_env(db_url, redis_url, "notify-bench", JEDEL_NOTIFY_WORKER="off", JEDEL_NOTIFY_SMS="http",
                    JEDEL_SMS_URL=gateway.url, JEDEL_SMS_TOKEN="bench")
    started = time.perf_counter()
    setup = prepare(args, db_url, redis_url, env)
    setup_s = time.perf_counter() - started
    servers = [Server(f"uvicorn{i + 1}", env, _free_port()) for i in range(2)]
    worker = Proc("worker", [sys.executable, "-c", "from jedel.cli.main import app; app()", "notify", "worker",
                             "--interval", "0.2"], env)
    try:
        for s in servers:
            s.wait_ready()
        try:
            import uvloop
            runner = uvloop.run
        except ImportError:
            runner = asyncio.run
        result = runner(bench(args, setup, servers, worker, gateway, db_url))
    finally:
        for p in [*servers, worker]:
            p.stop()
        gateway.stop()
    errors: dict[str, int] = {}
    for p in [*servers, worker]:
        for line in p.log_text().splitlines():
            if re.match(r"^[\w.]+(Error|Exception|Timeout|Refused)\b", line):
                errors[f"{p.name}: {line[:150]}"] = errors.get(f"{p.name}: {line[:150]}", 0) + 1
        Path(p.log.name).unlink(missing_ok=True)
    result.update({
        "notes": "Servers: 2 single-process uvicorn (JEDEL_NOTIFY_WORKER=off) + 1 `jedel notify worker "
                 "--interval 0.2`, RedisPubSubChannelLayer, PostgreSQL pool; client (all sockets, asyncio) on the "
                 "same machine. Latency `at` is set before the writing transaction, so it over-states commit -> "
                 "delivered. Lost/duplicated are counted against the Delivery table after a final ping per socket.",
        "machine": {"nproc": os.cpu_count(), "cpu": _cpu_model(), "python": sys.version.split()[0]},
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "command": "uvicorn jedel.config.asgi:application (x2) + jedel notify worker --interval 0.2",
        "parameters": vars(args), "setup_seconds": round(setup_s, 1),
        "total_seconds": round(time.perf_counter() - started, 1), "process_exceptions": errors,
    })
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

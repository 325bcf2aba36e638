"""Benchmark: the production command (uvicorn, 2 workers, PostgreSQL pool, Redis) under real HTTP + websocket load.

Prints one JSON object (figure, baseline measured in the same run, ratio, goal, met) for:
- status read p95: GET /api/status as seen by API clients polling it while boards are open and reports
  arrive at --rate per second. Figure: boards connected by websocket (the new path); baseline: the same
  load with every board polling today's board URLs instead (the old path).
- push commit -> board p99: a websocket event's `at` (server clock, set when the report's event is recorded)
  against the time a board receives it (same machine). Baseline: the old path's staleness, from a report's
  commit (its 201 received) to the end of the first poll cycle of a board that starts after it.
- bytes per board per minute at idle (no reports): websocket frames both ways (payload + frame header,
  including the board's application ping) against the old path's requests and responses (request line,
  headers, body as on the wire; TCP/IP overhead excluded on both sides). The new path's conditional polling
  (If-None-Match + gzip, the fallback when no socket) is shown beside it.
- report submission saturation: concurrent submitters ramped until throughput stops growing (no boards
  connected: the write path alone). Baseline: one submitter (sequential) in the same run.

The old polling path is `old_board_poll`: exactly the four URLs a national board fetches every
JEDEL_BOARD_POLL_SECONDS today (three htmx partials and the map's JSON), without If-None-Match and with
Accept-Encoding: identity (what today's server answers anyway: it sends no ETag and does not compress).
`new_board_poll` is the conditional variant; `ws_board` is the push path.

Set-up (each run starts fresh): database $JEDEL_SERVE_LOAD_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/jedel_serve_load, dropped and re-created), `jedel demo` (synthetic
network and users), Redis $JEDEL_SERVE_LOAD_REDIS_URL (default redis://127.0.0.1:6379/7, flushed: do not point
it at a shared database), then `uvicorn jedel.config.asgi:application --workers 2` on a free local port.
One client process (asyncio + httpx + websockets) shares the machine with the server: client and server CPU
are reported per phase. Whole run about 4 minutes with the defaults.

Usage: python bench/serve_load.py [--boards 300] [--pollers 100] [--rate 10] [--phase-seconds 45] ...
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_clients import (  # noqa: E402
    Phase,
    WsBoards,
    http_wire_bytes,
    new_board_poll,
    old_board_poll,
    status_poller,
    submit,
    submitter_at_rate,
)
# bench/mci_load.py imports prepare() from here.
from serve_harness import (  # noqa: E402
    Server,
    _cpu_model,
    _run,
    bench_env,
    machine_busy_seconds,
    pct,
)

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/jedel_serve_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"


SETUP_SCRIPT = """
import json
from jedel.cli.django_setup import setup
setup()
from django.test import Client
from jedel.accounts.models import User
from jedel.accounts.services import SYSTEM, token_create
user = User.objects.get(username="demo-national")
client = Client()
client.force_login(user)
print(json.dumps({"session": client.cookies["sessionid"].value,
                  "token": token_create(actor=SYSTEM, name="serve-load", user=user)[1]}))
"""


# ---------------------------------------------------------------------------------------------- the server
def prepare(db_url: str, redis_url: str, env: dict[str, str]) -> dict[str, str]:
    import psycopg
    import redis

    base, _, name = db_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    redis.Redis.from_url(redis_url).flushdb()
    jedel = [sys.executable, "-c", "from jedel.cli.main import app; app()"]
    _run(env, *jedel, "demo")  # migrate + synthetic network + demo users
    return json.loads(_run(env, sys.executable, "-c", SETUP_SCRIPT).strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------- phases
async def run_phase(phase: Phase, seconds: float, server: Server) -> None:
    """Let the running tasks work for `seconds`; record the wall window and client/server/machine CPU."""
    cpu0, wall0, srv0 = time.process_time(), time.perf_counter(), server.cpu.seconds()
    busy0 = machine_busy_seconds()
    phase.started = time.time()
    await asyncio.sleep(seconds)
    phase.ended = time.time()
    wall = time.perf_counter() - wall0
    phase.cpu = {"client_cores": round((time.process_time() - cpu0) / wall, 2),
                 "server_cores": round((server.cpu.seconds() - srv0) / wall, 2),
                 "machine_busy_cores": round((machine_busy_seconds() - busy0) / wall, 2), "seconds": round(wall, 1)}


async def load_phase(name: str, args, server: Server, api: httpx.AsyncClient, boards: httpx.AsyncClient,
                     codes: list[str], *, old_boards: int, ws: WsBoards | None) -> Phase:
    """Status pollers + submissions at --rate + either polling boards (old path) or the websocket boards."""
    phase, stop = Phase(name), asyncio.Event()
    tasks = [asyncio.create_task(status_poller(api, args.poll_seconds, phase, stop)) for _ in range(args.pollers)]
    tasks += [asyncio.create_task(old_board_poll(i, boards, args.poll_seconds, phase, stop))
              for i in range(old_boards)]
    if ws is not None:
        ws.phase = phase
    tasks.append(asyncio.create_task(submitter_at_rate(api, codes, args.rate, phase, stop)))
    await run_phase(phase, args.phase_seconds, server)
    stop.set()
    if ws is not None:
        ws.phase = None
    await asyncio.gather(*tasks, return_exceptions=True)
    return phase


def staleness_ms(phase: Phase, period: float) -> list[float]:
    """Old path: commit -> end of the first poll cycle of each board that starts after the commit. Commits in
    the last period of the phase are left out (their next poll may fall after the phase: censored)."""
    commits = [c for c in phase.commits if c <= phase.ended - period - 2]
    out = []
    for cycles in phase.board_cycles.values():
        starts = [s for s, _e in cycles]
        for c in commits:
            i = bisect.bisect_left(starts, c)
            if i < len(cycles):
                out.append((cycles[i][1] - c) * 1000)
    return out


async def saturation(args, server: Server, api_factory, codes: list[str]) -> dict:
    """Ramp concurrent closed-loop submitters; stop when throughput grows < 5 % twice in a row."""
    steps, best, flat = [], 0.0, 0
    for c in [int(x) for x in args.ramp.split(",")]:
        phase, stop = Phase(f"ramp {c}"), asyncio.Event()
        async with api_factory(c) as api:
            async def loop(k: int) -> None:
                n = k
                while not stop.is_set():
                    await submit(api, codes[n % len(codes)], phase)
                    n += c

            tasks = [asyncio.create_task(loop(k)) for k in range(c)]
            await asyncio.sleep(1.0)  # warm-up: connections opened, pool filled
            phase.commits.clear()
            phase.submit_ms.clear()
            await run_phase(phase, args.step_seconds, server)
            done = len([t for t in phase.commits if t <= phase.ended])
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
        rate = done / args.step_seconds
        steps.append({"submitters": c, "per_s": round(rate, 1), "p50_ms": pct(phase.submit_ms, 50),
                      "p95_ms": pct(phase.submit_ms, 95), "errors": phase.errors, **phase.cpu})
        flat = flat + 1 if rate < best * 1.05 else 0
        best = max(best, rate)
        if flat >= 2:
            break
    return {"steps": steps, "max_per_s": best, "sequential_per_s": steps[0]["per_s"]}


def per_board_minute(phase: Phase, kind: str, boards: int) -> float | None:
    if not boards:
        return None
    return round(phase.board_bytes.get(kind, 0) / boards / ((phase.ended - phase.started) / 60), 0)


# ---------------------------------------------------------------------------------------------- main
async def bench(args, server: Server, creds: dict[str, str]) -> dict:
    api_headers = {"Authorization": f"Bearer {creds['token']}"}

    def api_factory(n: int) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=server.base, headers=api_headers, timeout=60,
                                 limits=httpx.Limits(max_connections=n, max_keepalive_connections=n))

    api = api_factory(args.pollers + 100)
    boards = httpx.AsyncClient(base_url=server.base, cookies={"sessionid": creds["session"]}, timeout=60,
                               limits=httpx.Limits(max_connections=args.boards + 50,
                                                   max_keepalive_connections=args.boards + 50))
    status = (await api.get("/api/status")).json()
    codes = [s["code"] for s in status if s.get("beds") or (s.get("current") or {}).get("beds")]
    random.Random(7).shuffle(codes)
    if not codes:
        raise SystemExit("no facility with a current report: is the demo loaded?")
    out: dict = {"facilities": len(status), "reporting_facilities": len(codes)}
    page = await boards.get("/", headers={"Accept-Encoding": "identity"})
    out["board_page_bytes"] = http_wire_bytes(page)
    if page.status_code != 200:
        raise SystemExit(f"board page answered {page.status_code}: is the session valid?")

    # Phase 1, baseline: every board polls today's URLs (no websocket open, so no event fan-out either).
    old = await load_phase("old path", args, server, api, boards, codes, old_boards=args.boards, ws=None)

    # Phase 2, idle: the websocket boards connect and sit; a sample of polling boards of both kinds polls.
    ws = None
    if not args.skip_ws:
        ws = WsBoards(server.base.replace("http", "ws", 1) + "/ws/events/", creds["token"], args.ws_ping_seconds)
        ws_tasks = [asyncio.create_task(ws.board()) for _ in range(args.boards)]
        deadline = time.monotonic() + 60
        while ws.connected + sum(ws.failures.values()) < args.boards and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        out["ws_connected"], out["ws_failures"] = ws.connected, dict(ws.failures)
    idle, stop = Phase("idle"), asyncio.Event()
    if ws is not None:
        ws.phase = idle
    idle_tasks = [asyncio.create_task(old_board_poll(i, boards, args.poll_seconds, idle, stop))
                  for i in range(args.idle_poll_boards)]
    idle_tasks += [asyncio.create_task(new_board_poll(boards, args.poll_seconds, idle, stop))
                   for _ in range(args.idle_poll_boards)]
    await run_phase(idle, args.idle_seconds, server)
    stop.set()
    if ws is not None:
        ws.phase = None
    await asyncio.gather(*idle_tasks, return_exceptions=True)

    # Phase 3, figure: the same load with the boards on websockets.
    new = await load_phase("push path", args, server, api, boards, codes, old_boards=0, ws=ws)
    if ws is not None:
        ws.stop.set()
        await asyncio.gather(*ws_tasks, return_exceptions=True)
        out["ws_failures_end"] = dict(ws.failures)
    await boards.aclose()
    await api.aclose()
    # Phase 4: saturation of the write path (sockets closed).
    sat = await saturation(args, server, api_factory, codes)

    stale = staleness_ms(old, args.poll_seconds)
    expected_events = len(new.commits) * (ws.connected if ws else 0)
    ws_idle = per_board_minute(idle, "ws", ws.connected if ws else 0)
    old_idle = per_board_minute(idle, "old", args.idle_poll_boards)
    cond_idle = per_board_minute(idle, "conditional", args.idle_poll_boards)
    s_new, s_old = pct(new.status_ms, 95), pct(old.status_ms, 95)
    p_new, p_old = pct(new.push_ms, 99), pct(stale, 99)

    def ratio(a, b):
        return round(a / b, 4) if a is not None and b else None

    benchmarks = [
        {"name": "status_read_p95_under_load", "figure": s_new, "unit": "ms",
         "figure_is": f"p95 of GET /api/status from {args.pollers} clients polling every {args.poll_seconds} s, "
                      f"{args.boards} boards on websockets, {args.rate} reports/s",
         "p50_ms": pct(new.status_ms, 50), "samples": len(new.status_ms), "errors": new.errors,
         "baseline": s_old, "baseline_name": f"same, the {args.boards} boards polling today's board URLs",
         "baseline_p50_ms": pct(old.status_ms, 50), "baseline_samples": len(old.status_ms),
         "baseline_errors": old.errors, "ratio": ratio(s_new, s_old), "goal": "p95 <= 50 ms",
         "met": s_new is not None and s_new <= 50},
        {"name": "push_commit_to_board_p99", "figure": p_new, "unit": "ms",
         "figure_is": "event `at` -> received by a websocket board, all boards x all events",
         "p50_ms": pct(new.push_ms, 50), "events_received": new.events, "events_expected": expected_events,
         "baseline": p_old, "baseline_name": f"old path staleness: 201 received -> end of the board's next "
                                             f"poll cycle (every {args.poll_seconds} s)",
         "baseline_p50_ms": pct(stale, 50), "ratio": ratio(p_new, p_old), "goal": "p99 <= 200 ms",
         "met": p_new is not None and p_new <= 200 and new.events >= expected_events > 0},
        {"name": "idle_bytes_per_board_per_minute", "figure": ws_idle, "unit": "bytes",
         "figure_is": f"websocket frames both ways, no reports, app ping every {args.ws_ping_seconds} s",
         "conditional_polling": cond_idle,
         "conditional_polling_is": "fallback polling with If-None-Match + gzip (304 when unchanged)",
         "baseline": old_idle, "baseline_name": f"today's polling: 4 URLs every {args.poll_seconds} s in full",
         "ratio": ratio(ws_idle, old_idle), "goal": "<= 20 KB (20,000 bytes)",
         "met": ws_idle is not None and ws_idle <= 20_000},
        {"name": "report_submission_saturation", "figure": sat["max_per_s"], "unit": "reports/s",
         "figure_is": "201 answers per second at the best step of the ramp, no boards connected",
         "baseline": sat["sequential_per_s"], "baseline_name": "one submitter (sequential), same run",
         "ratio": ratio(sat["max_per_s"], sat["sequential_per_s"]), "goal": ">= 150/s on two cores",
         "met": sat["max_per_s"] >= 150, "ramp": sat["steps"]},
    ]
    out["phases"] = {p.name: {**p.cpu, "submitted": len(p.commits), "submit_p50_ms": pct(p.submit_ms, 50),
                              "submit_p95_ms": pct(p.submit_ms, 95), "board_polls": p.board_polls,
                              "errors": p.errors, "bytes": p.board_bytes}
                     for p in (idle, old, new)}
    return {"benchmarks": benchmarks, **out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boards", type=int, default=300)
    ap.add_argument("--pollers", type=int, default=100, help="API clients polling GET /api/status")
    ap.add_argument("--poll-seconds", type=float, default=15.0, help="today's JEDEL_BOARD_POLL_SECONDS")
    ap.add_argument("--rate", type=float, default=10.0, help="report submissions per second during load")
    ap.add_argument("--phase-seconds", type=float, default=45.0)
    ap.add_argument("--idle-seconds", type=float, default=30.0)
    ap.add_argument("--idle-poll-boards", type=int, default=20, help="polling boards sampled in the idle phase")
    ap.add_argument("--ws-ping-seconds", type=float, default=30.0, help="the board's application ping")
    ap.add_argument("--ramp", default="1,2,4,8,16,32,64")
    ap.add_argument("--step-seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-ws", action="store_true", help="HTTP parts only")
    args = ap.parse_args()

    db_url = os.environ.get("JEDEL_SERVE_LOAD_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("JEDEL_SERVE_LOAD_REDIS_URL", DEFAULT_REDIS)
    env = bench_env(db_url, redis_url, "serve-load")
    started = time.perf_counter()
    creds = prepare(db_url, redis_url, env)
    setup_s = time.perf_counter() - started
    server = Server(env, args.workers)
    try:
        server.wait_ready()
        result = asyncio.run(bench(args, server, creds))
    finally:
        server.stop()
    # The server's exceptions, counted by their last line (e.g. "psycopg_pool.PoolTimeout: couldn't get a
    # connection after 10.00 sec"): what the 500s of an overloaded phase were.
    errors: dict[str, int] = {}
    for line in Path(server.log.name).read_text(errors="replace").splitlines():
        if re.match(r"^[\w.]+(Error|Exception|Timeout|Refused)\b", line):
            errors[line[:160]] = errors.get(line[:160], 0) + 1
    Path(server.log.name).unlink(missing_ok=True)
    result.update({
        "machine": {"nproc": os.cpu_count(), "cpu": _cpu_model(), "python": sys.version.split()[0]},
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "command": f"uvicorn jedel.config.asgi:application --workers {args.workers} (PostgreSQL pool, Redis)",
        "parameters": vars(args), "setup_seconds": round(setup_s, 1),
        "total_seconds": round(time.perf_counter() - started, 1), "server_exceptions": errors,
    })
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

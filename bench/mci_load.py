"""Benchmark: an MCI on the production command (uvicorn, 2 workers, PostgreSQL pool, Redis) under real HTTP and
websocket load.

Prints one JSON object with two benchmarks (figure, baseline measured in the same run, ratio, goal, met):
- casualty throughput: --clients concurrent scene/coordinator clients run the whole path of a casualty through
  the API: register the tag, triage it (START findings, a mix of immediate, delayed and minimal), read the
  live plan, accept the plan's destination (an override with a reason where the plan proposes none), put it in
  transport and mark it arrived (so hospitals' places free up again, as they do when the ambulances deliver).
  Figure: at an offered --rate casualties a minute spread over the clients (each starts a path on its own
  clock, whatever the answers' latency), the rate sustained through assignment and the p99 of the
  registration, triage and assignment calls. Beside it, saturation: every client starting its next casualty
  as soon as the last is done (Little's law then sets latency by the number of clients, not by the server).
  Baseline: one client (sequential).
- commit -> MCI board: --boards boards hold a websocket subscribed to the incidents stream and behave like
  the board page's script (board.js): on an event of their incident they wait 250 ms for the burst to end
  (while events keep coming, at most one re-read every 3 s), then re-read the board's live part
  (GET /incidents/<id>/board/?partial=1, one request at a time; served from the shared cache). A writer
  registers, triages and assigns casualties at --board-rate per second. Figure: p99 from an event's `at`
  (server clock, set when the write records it, inside its transaction) to a board receiving it (same
  machine). Baseline: the same writer with one board connected. The refresh (event -> live part received,
  the board's wait included) is reported beside it.

Set-up (each run starts fresh): database $JEDEL_MCI_LOAD_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/jedel_mci_load, dropped and re-created), `jedel demo`, Redis
$JEDEL_MCI_LOAD_REDIS_URL (default redis://127.0.0.1:6379/8, flushed), an exercise incident declared through
the API on the region with most receiving hospitals. One client process shares the machine with the server.

Usage: python bench/mci_load.py [--clients 50] [--seconds 60] [--boards 200] [--board-rate 2] ...
"""

from __future__ import annotations

import argparse
import asyncio
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
from mci_clients import Boards, Ops, casualty_path, declare_incident  # noqa: E402
from serve_harness import Server, _cpu_model, bench_env, machine_busy_seconds  # noqa: E402
from serve_load import prepare  # noqa: E402

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/jedel_mci_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"
CORE_OPS = ("register", "triage", "assign")


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


async def _window(server: Server, seconds: float, body) -> dict:
    """Run `body()` for `seconds` of wall time; CPU of client, server and machine over the window."""
    cpu0, wall0, srv0, busy0 = time.process_time(), time.perf_counter(), server.cpu.seconds(), machine_busy_seconds()
    await body()
    wall = time.perf_counter() - wall0
    return {"seconds": round(wall, 1), "client_cores": round((time.process_time() - cpu0) / wall, 2),
            "server_cores": round((server.cpu.seconds() - srv0) / wall, 2),
            "machine_busy_cores": round((machine_busy_seconds() - busy0) / wall, 2)}


async def throughput(api: httpx.AsyncClient, server: Server, incident: int, clients: int, seconds: float,
                     label: str) -> dict:
    """`clients` closed-loop clients, each taking one casualty after another through the whole path."""
    ops = Ops()
    stop = asyncio.Event()

    async def client(n: int) -> None:
        i = 0
        while not stop.is_set():
            await casualty_path(api, incident, f"{label}{n}-{i}", ops)
            i += 1

    async def body() -> None:
        tasks = [asyncio.create_task(client(n)) for n in range(clients)]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*tasks)

    started = time.perf_counter()
    cpu = await _window(server, seconds, body)
    wall = time.perf_counter() - started  # includes finishing the paths under way
    return {"clients": clients, "assigned": ops.assigned, "per_min": round(ops.assigned / wall * 60, 1),
            "latency_ms": ops.summary(), "core_p99_ms": ops.p99(CORE_OPS), "errors": ops.errors,
            "overrides": ops.overrides, "cpu": cpu}


async def at_rate(api: httpx.AsyncClient, server: Server, incident: int, clients: int, per_min: float,
                  seconds: float, label: str) -> dict:
    """Open loop: client n starts a casualty path every clients/per_min minutes, staggered over the clients."""
    ops, every = Ops(), 60.0 * clients / per_min
    start = time.perf_counter()

    async def client(n: int) -> None:
        i, tasks = 0, []
        while True:
            due = start + (n / clients + i) * every
            if due - start >= seconds:
                break
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(casualty_path(api, incident, f"{label}{n}-{i}", ops)))
            i += 1
        await asyncio.gather(*tasks)

    async def body() -> None:
        await asyncio.gather(*(client(n) for n in range(clients)))

    cpu = await _window(server, seconds, body)
    return {"clients": clients, "offered_per_min": per_min, "assigned": ops.assigned,
            "per_min": round(ops.assigned / seconds * 60, 1), "latency_ms": ops.summary(),
            "core_p99_ms": ops.p99(CORE_OPS), "errors": ops.errors, "overrides": ops.overrides, "cpu": cpu}


async def board_latency(api: httpx.AsyncClient, base: str, token: str, session: str, server: Server,
                        incident: int, boards: int, rate: float, seconds: float, label: str) -> dict:
    """`boards` boards connected; a writer starts one casualty's path every 1/rate s (open loop)."""
    group = Boards(base, token, session, incident)
    ready = [asyncio.create_task(group.board()) for _ in range(boards)]
    deadline = time.monotonic() + 120
    while group.connected < boards and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    ops, stop = Ops(), asyncio.Event()
    group.measuring = True

    async def writer() -> None:
        tasks, n, start = set(), 0, time.perf_counter()
        while not stop.is_set():
            task = asyncio.create_task(casualty_path(api, incident, f"{label}-{n}", ops, arrive=False))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            n += 1
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
        await asyncio.gather(*tasks)

    async def body() -> None:
        w = asyncio.create_task(writer())
        await asyncio.sleep(seconds)
        stop.set()
        await w
        await asyncio.sleep(2)  # the last events and refreshes arrive

    cpu = await _window(server, seconds, body)
    group.stop.set()
    await asyncio.gather(*ready, return_exceptions=True)
    return {"boards": boards, "connected": group.connected, "writes_per_s": rate, "events": len(group.push_ms),
            "push_p50_ms": Ops.pct(group.push_ms, 50), "push_p99_ms": Ops.pct(group.push_ms, 99),
            "refresh_p50_ms": Ops.pct(group.refresh_ms, 50), "refresh_p99_ms": Ops.pct(group.refresh_ms, 99),
            "refreshes": len(group.refresh_ms), "board_failures": group.failures,
            "writer_latency_ms": ops.summary(), "writer_errors": ops.errors, "cpu": cpu}


async def bench(args, server: Server, creds: dict) -> dict:
    limits = httpx.Limits(max_connections=args.clients + 10, max_keepalive_connections=args.clients + 10)
    headers = {"Authorization": f"Bearer {creds['token']}"}
    async with httpx.AsyncClient(base_url=server.base, headers=headers, limits=limits, timeout=60) as api:
        incident = await declare_incident(api)
        await throughput(api, server, incident, min(args.clients, 5), 5, "w")  # warm both workers
        sequential = await throughput(api, server, incident, 1, args.baseline_seconds, "s")
        loaded = await at_rate(api, server, incident, args.clients, args.rate, args.seconds, "r")
        saturated = await throughput(api, server, incident, args.clients, args.saturation_seconds, "c")
        one = await board_latency(api, server.base, creds["token"], creds["session"], server, incident, 1,
                                  args.board_rate, args.board_seconds, "b1")
        many = await board_latency(api, server.base, creds["token"], creds["session"], server, incident,
                                   args.boards, args.board_rate, args.board_seconds, "bn")
    return {"benchmarks": [
        {"name": "casualty throughput: register + triage + plan + assign (+ transport, arrival)",
         "figure": loaded["per_min"], "unit": "casualties assigned per minute",
         "figure_is": f"{args.rate:.0f}/min offered by {args.clients} clients, sustained over {args.seconds:.0f} s",
         "p99_register_triage_assign_ms": loaded["core_p99_ms"],
         "baseline": sequential["per_min"], "baseline_name": "one client (sequential), same run",
         "ratio": ratio(loaded["per_min"], sequential["per_min"]),
         "goal": ">= 200 casualties/min with p99 <= 300 ms",
         "met": loaded["per_min"] >= 200 and (loaded["core_p99_ms"] or 1e9) <= 300,
         "loaded": loaded, "saturation": saturated, "sequential": sequential},
        {"name": "commit -> MCI board (websocket event received)", "figure": many["push_p99_ms"], "unit": "ms p99",
         "figure_is": f"{args.boards} boards connected, {args.board_rate}/s casualty writes",
         "baseline": one["push_p99_ms"], "baseline_name": "one board connected, same writer, same run",
         "ratio": ratio(many["push_p99_ms"], one["push_p99_ms"]), "goal": "p99 <= 200 ms",
         "met": many["push_p99_ms"] is not None and many["push_p99_ms"] <= 200 and many["connected"] == args.boards,
         "boards": many, "one_board": one},
    ]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rate", type=float, default=200.0, help="casualties a minute offered in the loaded phase")
    ap.add_argument("--seconds", type=float, default=60.0, help="the loaded phase at --rate")
    ap.add_argument("--saturation-seconds", type=float, default=30.0)
    ap.add_argument("--baseline-seconds", type=float, default=20.0)
    ap.add_argument("--boards", type=int, default=200)
    ap.add_argument("--board-rate", type=float, default=2.0, help="casualty writes per second while boards watch")
    ap.add_argument("--board-seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    random.seed(args.seed)

    db_url = os.environ.get("JEDEL_MCI_LOAD_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("JEDEL_MCI_LOAD_REDIS_URL", DEFAULT_REDIS)
    env = bench_env(db_url, redis_url, "mci-load")
    started = time.perf_counter()
    creds = prepare(db_url, redis_url, env)
    setup_s = time.perf_counter() - started
    server = Server(env, args.workers)
    try:
        server.wait_ready()
        result = asyncio.run(bench(args, server, creds))
    finally:
        server.stop()
    # The server's warnings and exceptions, counted by their first 160 characters: what a 503 or a slow phase was.
    problems: dict[str, int] = {}
    for line in server.log_text().splitlines():
        if re.search(r"(Error|Exception|Timeout|unavailable)\b", line):
            key = re.sub(r"\d+", "N", line)[:160]
            problems[key] = problems.get(key, 0) + 1
    if os.environ.get("JEDEL_MCI_LOAD_KEEP_LOG"):
        print(f"server log: {server.log.name}", file=sys.stderr)
    else:
        Path(server.log.name).unlink(missing_ok=True)
    result.update({
        "machine": {"nproc": os.cpu_count(), "cpu": _cpu_model(), "python": sys.version.split()[0]},
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "command": f"uvicorn jedel.config.asgi:application --workers {args.workers} (PostgreSQL pool, Redis)",
        "parameters": vars(args), "setup_seconds": round(setup_s, 1),
        "total_seconds": round(time.perf_counter() - started, 1), "server_problems": problems})
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

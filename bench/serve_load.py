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
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/jedel_serve_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
BOARD_ID = "board-table"
# What one national board fetches per poll today (board.html: the totals, regions and table partials poll
# with hx-trigger="every N s"; board.js re-reads the map's JSON on the same clock). The overdue partial
# exists only for regional coordinators.
OLD_BOARD_URLS = ("/board/totals/", "/board/regions/", "/board/table/?", "/board/map.json")
HX_TARGETS = {"/board/totals/": "board-totals", "/board/regions/": "board-regions", "/board/table/?": BOARD_ID}

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


# ---------------------------------------------------------------------------------------------- measuring
def pct(samples: list[float], q: int) -> float | None:
    if len(samples) < 2:
        return round(samples[0], 2) if samples else None
    return round(statistics.quantiles(samples, n=100, method="inclusive")[q - 1], 2)


def http_wire_bytes(response: httpx.Response) -> int:
    """Request line + headers + body, status line + headers + body as received (compressed if it was)."""
    req = response.request
    sent = len(f"{req.method} {req.url.raw_path.decode()} HTTP/1.1\r\n") + 2 + len(req.content or b"")
    sent += sum(len(k) + len(v) + 4 for k, v in req.headers.raw)
    received = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n") + 2
    received += sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + response.num_bytes_downloaded
    return sent + received


def ws_frame_bytes(payload: int, *, masked: bool) -> int:
    header = 2 if payload <= 125 else 4 if payload <= 65535 else 10
    return payload + header + (4 if masked else 0)


class Phase:
    """Counters of one phase of the run."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.started = self.ended = 0.0
        self.status_ms: list[float] = []
        self.errors: dict[str, int] = {}
        self.board_bytes: dict[str, int] = {}  # path kind -> bytes, summed over boards
        self.board_count: dict[str, int] = {}
        self.board_polls = 0
        self.board_cycles: dict[int, list[tuple[float, float]]] = {}  # old board -> [(start, end)]
        self.commits: list[float] = []  # wall time a submission's 201 arrived
        self.submit_ms: list[float] = []
        self.push_ms: list[float] = []
        self.events = 0
        self.cpu: dict[str, float] = {}

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class ServerCpu:
    """CPU seconds of the uvicorn process group (master and workers) from /proc."""

    def __init__(self, pgid: int) -> None:
        self.pgid = pgid
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[2]) == self.pgid:  # field 5: process group
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / self.tick


# ---------------------------------------------------------------------------------------------- the server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(env: dict[str, str], *args: str, timeout: int = 600) -> str:
    result = subprocess.run(list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


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


class Server:
    """The production command in its own process group; stderr to a log file."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port, self.workers = _free_port(), workers
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="serve_load-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "jedel.config.asgi:application", "--workers", str(workers),
             "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"],
            cwd=ROOT, env=env, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT)
        self.cpu = ServerCpu(self.proc.pid)

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"uvicorn exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            if self.log_text().count("Started server process") >= self.workers:
                try:
                    if httpx.get(f"{self.base}/api/status", timeout=2).status_code == 401:
                        return
                except httpx.TransportError:
                    pass
            time.sleep(0.3)
        raise SystemExit(f"uvicorn not ready in {timeout} s:\n{self.log_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


# ---------------------------------------------------------------------------------------------- clients
def report_body() -> dict:
    occupied = random.randint(5, 70)
    return {"reported_at": dt.datetime.now(dt.UTC).isoformat(),
            "beds": [{"bed_type": "AdultICU", "staffed": 10, "occupied": random.randint(0, 10)},
                     {"bed_type": "MedicalSurgical", "staffed": 80, "occupied": occupied,
                      "available": 80 - occupied, "surge_24h": 10}],
            "ventilators_total": 8, "ventilators_in_use": random.randint(0, 8), "oxygen_status": "adequate"}


async def submit(api: httpx.AsyncClient, code: str, phase: Phase) -> bool:
    t = time.perf_counter()
    try:
        r = await api.post(f"/api/facilities/{code}/reports", json=report_body())
    except httpx.HTTPError as exc:
        phase.error(f"submit {type(exc).__name__}")
        return False
    if r.status_code != 201:
        phase.error(f"submit {r.status_code}")
        return False
    phase.submit_ms.append((time.perf_counter() - t) * 1000)
    phase.commits.append(time.time())
    return True


async def submitter_at_rate(api: httpx.AsyncClient, codes: list[str], rate: float, phase: Phase,
                            stop: asyncio.Event) -> None:
    """Open loop: one submission every 1/rate s whatever the answers' latency (hospitals do not wait)."""
    tasks, n, start = set(), 0, time.perf_counter()
    while not stop.is_set():
        task = asyncio.create_task(submit(api, codes[n % len(codes)], phase))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
        await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
    await asyncio.gather(*tasks, return_exceptions=True)


async def status_poller(api: httpx.AsyncClient, period: float, phase: Phase, stop: asyncio.Event) -> None:
    await _sleep_or_stop(random.uniform(0, period), stop)
    while not stop.is_set():
        t = time.perf_counter()
        try:
            r = await api.get("/api/status")
            if r.status_code == 200:
                phase.status_ms.append((time.perf_counter() - t) * 1000)
            else:
                phase.error(f"status {r.status_code}")
        except httpx.HTTPError as exc:
            phase.error(f"status {type(exc).__name__}")
        await _sleep_or_stop(period - (time.perf_counter() - t), stop)


async def _sleep_or_stop(seconds: float, stop: asyncio.Event) -> None:
    if seconds > 0:
        try:
            await asyncio.wait_for(stop.wait(), seconds)
        except TimeoutError:
            pass


async def _board_get(client: httpx.AsyncClient, path: str, headers: dict[str, str], phase: Phase,
                     kind: str) -> httpx.Response | None:
    try:
        r = await client.get(path, headers=headers)
    except httpx.HTTPError as exc:
        phase.error(f"{kind} {type(exc).__name__}")
        return None
    if r.status_code not in (200, 304):
        phase.error(f"{kind} {r.status_code}")
    phase.board_bytes[kind] = phase.board_bytes.get(kind, 0) + http_wire_bytes(r)
    return r


def _old_headers(path: str, base: str) -> dict[str, str]:
    if path in HX_TARGETS:  # htmx's request headers
        return {"HX-Request": "true", "HX-Trigger": HX_TARGETS[path], "HX-Target": HX_TARGETS[path],
                "HX-Current-URL": f"{base}/", "Accept-Encoding": "identity"}
    return {"Accept": "application/json", "Accept-Encoding": "identity"}  # board.js fetch()


async def old_board_poll(board: int, client: httpx.AsyncClient, period: float, phase: Phase,
                         stop: asyncio.Event) -> None:
    """TODAY'S POLLING PATH: every `period` s the four board URLs in full, no validators, no compression."""
    base = str(client.base_url).rstrip("/")
    await _sleep_or_stop(random.uniform(0, period), stop)
    cycles = phase.board_cycles.setdefault(board, [])
    while not stop.is_set():
        start, t = time.time(), time.perf_counter()
        await asyncio.gather(*(_board_get(client, p, _old_headers(p, base), phase, "old") for p in OLD_BOARD_URLS))
        cycles.append((start, time.time()))
        phase.board_polls += 1
        await _sleep_or_stop(period - (time.perf_counter() - t), stop)


async def new_board_poll(client: httpx.AsyncClient, period: float, phase: Phase, stop: asyncio.Event) -> None:
    """THE NEW POLLING FALLBACK: the same URLs with If-None-Match (304 when unchanged) and gzip."""
    base = str(client.base_url).rstrip("/")
    etags: dict[str, str] = {}
    await _sleep_or_stop(random.uniform(0, period), stop)

    async def one(path: str) -> None:
        headers = {**_old_headers(path, base), "Accept-Encoding": "gzip"}
        if path in etags:
            headers["If-None-Match"] = etags[path]
        r = await _board_get(client, path, headers, phase, "conditional")
        if r is not None and r.headers.get("ETag"):
            etags[path] = r.headers["ETag"]

    while not stop.is_set():
        t = time.perf_counter()
        await asyncio.gather(*(one(p) for p in OLD_BOARD_URLS))
        await _sleep_or_stop(period - (time.perf_counter() - t), stop)


class WsBoards:
    """THE PUSH PATH: boards holding a websocket subscribed to the capacity stream; counters go to `phase`."""

    def __init__(self, url: str, token: str, ping_seconds: float) -> None:
        self.url, self.token, self.ping_seconds = url, token, ping_seconds
        self.phase: Phase | None = None
        self.connected = 0
        self.failures: dict[str, int] = {}
        self.stop = asyncio.Event()

    def _count(self, kind: str, n: int) -> None:
        if self.phase is not None:
            self.phase.board_bytes[kind] = self.phase.board_bytes.get(kind, 0) + n

    async def board(self, ready: asyncio.Event | None = None) -> None:
        from websockets.asyncio.client import connect

        try:
            async with connect(self.url, additional_headers={"Authorization": f"Bearer {self.token}"},
                               ping_interval=None, max_size=2**24, open_timeout=60) as ws:
                sub = json.dumps({"type": "subscribe", "stream": "capacity", "after": None})
                await ws.send(sub)
                self._count("ws", ws_frame_bytes(len(sub), masked=True))
                pinger = asyncio.create_task(self._ping(ws))
                try:
                    while not self.stop.is_set():
                        try:
                            raw = await asyncio.wait_for(ws.recv(), 1.0)
                        except TimeoutError:
                            continue
                        received = time.time()
                        self._count("ws", ws_frame_bytes(len(raw.encode() if isinstance(raw, str) else raw),
                                                         masked=False))
                        msg = json.loads(raw)
                        if msg.get("type") == "subscribed":
                            self.connected += 1
                            if ready is not None:
                                ready.set()
                        elif msg.get("type") == "event" and self.phase is not None:
                            at = dt.datetime.fromisoformat(msg["at"].replace("Z", "+00:00")).timestamp()
                            self.phase.push_ms.append((received - at) * 1000)
                            self.phase.events += 1
                        elif msg.get("type") in ("reset", "error"):
                            self.failures[msg["type"]] = self.failures.get(msg["type"], 0) + 1
                finally:
                    pinger.cancel()
        except Exception as exc:  # noqa: BLE001 - counted and reported
            key = type(exc).__name__
            self.failures[key] = self.failures.get(key, 0) + 1

    async def _ping(self, ws) -> None:
        ping = json.dumps({"type": "ping"})
        while True:
            await asyncio.sleep(self.ping_seconds * random.uniform(0.9, 1.1))
            await ws.send(ping)
            self._count("ws", ws_frame_bytes(len(ping), masked=True))


# ---------------------------------------------------------------------------------------------- phases
def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy (everything but idle and iowait), PostgreSQL and Redis included."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JEDEL_", "DATABASE_URL", "REDIS_URL"))}
    env.update({"DATABASE_URL": db_url, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "jedel.config.settings",
                "JEDEL_DEBUG": "0", "JEDEL_VAR_DIR": os.environ.get("JEDEL_VAR_DIR", str(ROOT / "var")),
                "JEDEL_CHANNEL_PREFIX": "serve-load", "PYTHONPATH": str(ROOT / "src"),
                "JEDEL_SECRET_KEY": "bench-only-key-not-a-secret-0123456789abcdef"})
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


def _cpu_model() -> str:
    try:
        return next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown"


if __name__ == "__main__":
    main()

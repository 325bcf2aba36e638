"""The clients of bench/serve_load.py: report submitters, status pollers, the old polling board, the conditional
polling board and the websocket board, with the counters of a phase and on-the-wire byte accounting."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time

import httpx

BOARD_ID = "board-table"
# What one national board fetches per poll today (board.html: the totals, regions and table partials poll
# with hx-trigger="every N s"; board.js re-reads the map's JSON on the same clock). The overdue partial
# exists only for regional coordinators.
OLD_BOARD_URLS = ("/board/totals/", "/board/regions/", "/board/table/?", "/board/map.json")
HX_TARGETS = {"/board/totals/": "board-totals", "/board/regions/": "board-regions", "/board/table/?": BOARD_ID}

# ---------------------------------------------------------------------------------------------- measuring
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

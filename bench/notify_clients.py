"""Pieces of bench/notify_load.py: the recipients' websocket clients, the SMS gateway double, the servers.

Kept apart so notify_load.py reads as the scenario; nothing here knows the scenario's numbers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PING_SECONDS = 25.0  # what common/static/common/realtime.js does


# ---------------------------------------------------------------------------------------------- SMS gateway
class Gateway:
    """A local HTTP SMS gateway (JEDEL_NOTIFY_SMS=http): records every POST's `id`, answers 200 at once."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.first_at: dict[str, float] = {}
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with gateway.lock:
                    gateway.ids[body.get("id", "")] += 1
                    gateway.first_at.setdefault(body.get("id", ""), time.time())
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sms"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def distinct(self) -> int:
        with self.lock:
            return len(self.ids)

    def stop(self) -> None:
        self.httpd.shutdown()


# ---------------------------------------------------------------------------------------------- processes
class Proc:
    """A child process in its own session (so `kill -9` takes exactly it), output to a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.name, self.args, self.env = name, args, env
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"notify_load-{name}-", suffix=".log", delete=False)
        self.proc: subprocess.Popen | None = None
        self.kills = 0
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, start_new_session=True,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def cpu_seconds(self) -> float:
        """CPU seconds (user + system) of the current incarnation and its children; 0 when it is gone."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rpartition(")")[2].split()
        except (OSError, AttributeError):
            return 0.0
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class Server(Proc):
    """`uvicorn jedel.config.asgi:application` (the production command), one process, on a fixed port."""

    def __init__(self, name: str, env: dict[str, str], port: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        super().__init__(name, [sys.executable, "-m", "uvicorn", "jedel.config.asgi:application", "--host",
                                "127.0.0.1", "--port", str(port), "--no-access-log"], env)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            try:
                if httpx.get(f"{self.base}/api/status", timeout=2).status_code == 401:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} not ready in {timeout} s:\n{self.log_text()[-3000:]}")


# ---------------------------------------------------------------------------------------------- clients
def parse_at(at: str) -> float:
    return dt.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()


class Stats:
    """What all clients saw, shared (one event loop: no locks needed)."""

    def __init__(self) -> None:
        # (notice id, level, ms from the event's `at` to receipt, replayed?) per notice.received frame
        self.samples: list[tuple[int, int, float, bool]] = []
        self.received_at: list[float] = []  # time.time() of each sample, same order
        self.failures: Counter[str] = Counter()
        self.reconnects = 0
        self.resets = 0
        self.recovered_by_reload = 0
        self.connected = 0


STREAM = "inbox"  # the person's own stream (jedel.notifications.realtime.INBOX): seqs are this person's


class Recipient:
    """One person's browser tab: a socket subscribed to "inbox", reconnecting with `after` = last seq seen.

    Servers are tried from `home`, the next one after each failure (so the clients of a killed server move to
    the survivor). A "reset" (too much missed) is handled as realtime.js's page does: reload, here the inbox.
    """

    def __init__(self, user_id: int, token: str, home: int, ws_urls: list[str], http_urls: list[str],
                 stats: Stats, stop: asyncio.Event) -> None:
        self.user_id, self.token, self.home = user_id, token, home
        self.ws_urls, self.http_urls, self.stats, self.stop = ws_urls, http_urls, stats, stop
        self.last_seq: int | None = None
        self.seqs: Counter[int] = Counter()            # seq of each notice.received frame
        self.deliveries: Counter[int] = Counter()      # delivery id of each notice.received frame
        self.reloaded: set[int] = set()                # delivery ids learnt from an inbox reload after a reset
        self.ws = None
        self.subscribed = asyncio.Event()
        self.pong = asyncio.Event()

    async def run(self) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed

        attempt = 0
        while not self.stop.is_set():
            url = self.ws_urls[(self.home + attempt) % len(self.ws_urls)]
            try:
                async with connect(url, additional_headers={"Authorization": f"Bearer {self.token}"},
                                   ping_interval=None, open_timeout=30, max_size=2**24) as ws:
                    self.ws = ws
                    await ws.send(json.dumps({"type": "subscribe", "stream": STREAM, "after": self.last_seq}))
                    replaying = True
                    pinger = asyncio.create_task(self._ping(ws))
                    try:
                        async for raw in ws:
                            received = time.time()
                            msg = json.loads(raw)
                            kind = msg.get("type")
                            if kind == "event":
                                self._event(msg, received, replaying)
                            elif kind == "subscribed":
                                replaying = False
                                self.last_seq = max(self.last_seq or 0, msg["seq"])
                                if not self.subscribed.is_set():
                                    self.stats.connected += 1
                                self.subscribed.set()
                            elif kind == "pong":
                                self.pong.set()
                            elif kind == "reset":
                                self.stats.resets += 1
                                self.last_seq = msg["seq"]
                                await self._reload()
                                replaying = False
                                self.subscribed.set()
                            else:
                                self.stats.failures[f"frame {kind}"] += 1
                    finally:
                        pinger.cancel()
                        self.ws = None
                if self.stop.is_set():
                    return
                self.stats.failures["closed by server"] += 1
            except ConnectionClosed as exc:
                if self.stop.is_set():
                    return
                close = exc.rcvd or exc.sent  # e.g. 1011 keepalive ping timeout: which end was too slow
                self.stats.failures[f"{type(exc).__name__} {close.code if close else ''} "
                                    f"{(close.reason if close else '')[:40]}".strip()] += 1
            except (OSError, TimeoutError) as exc:
                if self.stop.is_set():
                    return
                self.stats.failures[type(exc).__name__] += 1
            except Exception as exc:  # noqa: BLE001 - counted and reported; the client goes on like a browser
                self.stats.failures[f"{type(exc).__name__}: {exc}"[:80]] += 1
            attempt += 1
            self.stats.reconnects += 1
            await asyncio.sleep(random.uniform(0.2, 1.0))  # realtime.js backs off with jitter too

    def _event(self, msg: dict, received: float, replaying: bool) -> None:
        if msg.get("stream") != STREAM:
            return
        seq = msg["seq"]
        self.last_seq = max(self.last_seq or 0, seq)
        if msg.get("kind") != "notice.received":
            return
        self.seqs[seq] += 1
        data = msg["data"]
        self.deliveries[data["delivery"]] += 1
        self.stats.received_at.append(received)
        self.stats.samples.append((data["notice"], data.get("level", 0), (received - parse_at(msg["at"])) * 1000,
                                   replaying))

    async def _reload(self) -> None:
        """After a reset: what the page does, read the inbox over HTTP."""
        for base in self.http_urls[self.home:] + self.http_urls[:self.home]:
            try:
                async with httpx.AsyncClient(base_url=base, timeout=30,
                                             headers={"Authorization": f"Bearer {self.token}"}) as api:
                    r = await api.get("/api/notices/inbox")
                if r.status_code == 200:
                    for item in r.json():
                        if item["delivery"] not in self.deliveries and item["delivery"] not in self.reloaded:
                            self.reloaded.add(item["delivery"])
                            self.stats.recovered_by_reload += 1
                    return
                self.stats.failures[f"inbox {r.status_code}"] += 1
            except httpx.HTTPError as exc:
                self.stats.failures[f"inbox {type(exc).__name__}"] += 1

    async def _ping(self, ws) -> None:
        while True:
            await asyncio.sleep(PING_SECONDS * random.uniform(0.9, 1.1))
            await ws.send(json.dumps({"type": "ping"}))

    async def flush(self) -> bool:
        """One ping now (the server sends what the layer dropped); True when its pong came back."""
        ws = self.ws
        if ws is None:
            return False
        self.pong.clear()
        try:
            await ws.send(json.dumps({"type": "ping"}))
            await asyncio.wait_for(self.pong.wait(), 30)
            return True
        except Exception:  # noqa: BLE001 - reported as a failed flush
            return False

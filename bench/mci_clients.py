"""The clients of bench/mci_load.py: one casualty's path through the API, and MCI boards that behave like the
board page's script (websocket events, a 250 ms wait for the burst to end, one re-read of the live part)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import statistics
import time

import httpx

# START findings (Benson et al. 1996) for each category, and the mix of a blast or crash scene (roughly 1 in 5
# immediate, 1 in 4 delayed, the rest minimal: the walking wounded are most of any MCI).
FINDINGS = {
    "immediate": {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34},
    "delayed": {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 20,
                "peripheral_pulse_palpable": True, "obeys_commands": True},
    "minimal": {"can_walk": True},
}
MIX = ("immediate",) * 4 + ("delayed",) * 5 + ("minimal",) * 11
# board.js: schedule() waits 250 ms so a burst of events costs one re-read, and re-reads at most every 3 s.
BOARD_WAIT_S, BOARD_PERIOD_S = 0.25, 3.0


class Ops:
    """Latency (ms) of each call by operation, errors by operation and status, casualties assigned."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.assigned = 0
        self.overrides = 0

    @staticmethod
    def pct(samples: list[float], q: int) -> float | None:
        if len(samples) < 2:
            return round(samples[0], 1) if samples else None
        return round(statistics.quantiles(samples, n=100, method="inclusive")[q - 1], 1)

    async def call(self, name: str, request) -> httpx.Response | None:
        t = time.perf_counter()
        try:
            r = await request
        except httpx.HTTPError as exc:
            self.errors[f"{name} {type(exc).__name__}"] = self.errors.get(f"{name} {type(exc).__name__}", 0) + 1
            return None
        self.ms.setdefault(name, []).append((time.perf_counter() - t) * 1000)
        if r.status_code >= 300:
            key = f"{name} {r.status_code} {_code(r)}"
            self.errors[key] = self.errors.get(key, 0) + 1
            return None
        return r

    def summary(self) -> dict[str, dict[str, float | int | None]]:
        return {name: {"n": len(v), "p50": self.pct(v, 50), "p95": self.pct(v, 95), "p99": self.pct(v, 99)}
                for name, v in self.ms.items()}

    def p99(self, names: tuple[str, ...]) -> float | None:
        return self.pct([x for n in names for x in self.ms.get(n, [])], 99)


def _code(r: httpx.Response) -> str:
    try:
        return str(r.json().get("code", ""))
    except ValueError:
        return ""


async def declare_incident(api: httpx.AsyncClient, region: str = "KZ-75", lat: float = 43.24,
                           lon: float = 76.89) -> int:
    r = await api.post("/api/incidents", json={
        "title": "Load benchmark (exercise)", "kind": "earthquake", "scene_lat": lat, "scene_lon": lon,
        "regions": [region], "estimated_casualties": 5000, "response_level": "national", "is_exercise": True})
    if r.status_code != 201:
        raise SystemExit(f"declaring the incident failed: {r.status_code} {r.text[:500]}")
    return int(r.json()["id"])


async def casualty_path(api: httpx.AsyncClient, incident: int, tag: str, ops: Ops, *, arrive: bool = True) -> None:
    """Register, triage, read the plan, accept its destination (or override), then transport and arrival."""
    base, tag = f"/api/incidents/{incident}/casualties", tag.upper()  # tags are stored upper-case
    r = await ops.call("register", api.post(base, json={"tag": tag, "age_band": "adult"}))
    if r is None:
        return
    category = random.choice(MIX)
    r = await ops.call("triage", api.post(f"{base}/{tag}/triage", json={
        "method": "start", "findings": FINDINGS[category], "version": r.json()["version"]}))
    if r is None:
        return
    version = r.json()["version"]
    r = await ops.call("plan", api.get(f"/api/incidents/{incident}/plan"))
    if r is None:
        return
    plan = r.json()
    proposed = next((p["hospital"] for p in plan["proposals"] if p["tag"] == tag), None)
    body = {"version": version, "plan": plan["id"]}
    if proposed is not None:
        body["hospital"] = proposed
    else:  # no place proposed: the coordinator sends it anyway, to the first hospital, and says why
        ops.overrides += 1
        body.update(hospital=plan["hospitals"][0]["code"], over_capacity=True, reason="load benchmark: no place left")
    r = await ops.call("assign", api.post(f"{base}/{tag}/assign", json=body))
    if r is None:
        return
    ops.assigned += 1
    if not arrive:
        return
    r = await ops.call("in_transport", api.post(f"{base}/{tag}/move", json={
        "status": "in_transport", "version": version + 1, "destination": body["hospital"], "vehicle": "AMB-1"}))
    if r is None:
        return
    await ops.call("arrived", api.post(f"{base}/{tag}/move", json={"status": "arrived",
                                                                     "version": r.json()["version"]}))


class Boards:
    """MCI boards: a websocket on the incidents stream, and board.js's re-read of the live part on events."""

    def __init__(self, base: str, token: str, session: str, incident: int) -> None:
        self.ws_url = base.replace("http://", "ws://") + "/ws/events/"
        self.token, self.incident = token, incident
        self.http = httpx.AsyncClient(base_url=base, cookies={"sessionid": session}, timeout=60,
                                      limits=httpx.Limits(max_connections=400, max_keepalive_connections=400))
        self.partial = f"/incidents/{incident}/board/?partial=1"
        self.connected = 0
        self.measuring = False
        self.push_ms: list[float] = []
        self.refresh_ms: list[float] = []
        self.failures: dict[str, int] = {}
        self.stop = asyncio.Event()

    def _fail(self, key: str) -> None:
        self.failures[key] = self.failures.get(key, 0) + 1

    async def board(self) -> None:
        from websockets.asyncio.client import connect

        state = {"waiting": False, "inflight": False, "again": False, "since": 0.0, "last": 0.0}
        try:
            async with connect(self.ws_url, additional_headers={"Authorization": f"Bearer {self.token}"},
                               ping_interval=None, max_size=2**24, open_timeout=120) as ws:
                await ws.send(json.dumps({"type": "subscribe", "stream": "incidents", "after": None}))
                while not self.stop.is_set():
                    try:
                        raw = await asyncio.wait_for(ws.recv(), 1.0)
                    except TimeoutError:
                        continue
                    received = time.time()
                    msg = json.loads(raw)
                    if msg.get("type") == "subscribed":
                        self.connected += 1
                    elif msg.get("type") == "event" and (msg.get("data") or {}).get("incident") == self.incident:
                        if self.measuring:
                            at = dt.datetime.fromisoformat(msg["at"].replace("Z", "+00:00")).timestamp()
                            self.push_ms.append((received - at) * 1000)
                        self._schedule(state, received)
                    elif msg.get("type") in ("reset", "error"):
                        self._fail(msg["type"])
        except Exception as exc:  # noqa: BLE001 - counted and reported
            self._fail(type(exc).__name__)

    def _schedule(self, state: dict, received: float) -> None:
        if state["waiting"]:
            return
        if state["inflight"]:
            state["again"] = True
            return
        state["waiting"], state["since"] = True, received
        wait = max(BOARD_WAIT_S, BOARD_PERIOD_S - (time.time() - state["last"]))
        asyncio.get_running_loop().call_later(wait, lambda: asyncio.ensure_future(self._refresh(state)))

    async def _refresh(self, state: dict) -> None:
        state["waiting"], state["inflight"], state["last"] = False, True, time.time()
        try:
            r = await self.http.get(self.partial, headers={"Accept": "text/html"})
            if r.status_code == 200:
                if self.measuring:
                    self.refresh_ms.append((time.time() - state["since"]) * 1000)
            else:
                self._fail(f"partial {r.status_code}")
        except httpx.HTTPError as exc:
            self._fail(f"partial {type(exc).__name__}")
        finally:
            state["inflight"] = False
            if state["again"]:
                state["again"] = False
                self._schedule(state, time.time())

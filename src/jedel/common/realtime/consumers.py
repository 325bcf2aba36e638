"""The websocket at ws/events/: subscribe to streams, replay by seq, live events in order, each one authorised.

Protocol (JSON text frames):
  client: {"type": "subscribe", "stream": "capacity", "after": 123}   after: last seq seen, or null = from now
          {"type": "ping"}
  server: {"type": "event", "stream", "seq", "kind", "at", "data"}    in seq order, never twice
          {"type": "subscribed", "stream", "seq"}                      replay done; seq = head at that time
          {"type": "reset", "stream", "seq"}                           too old or too many: reload, then go on
          {"type": "error", "code": "bad_message" | "unknown_stream", "message"}   the socket stays open
          {"type": "pong"}
An unauthenticated connection is accepted and closed at once with code 4401 (a browser sees the code; a
refused handshake would reach it only as 1006).

A personal stream (streams.register_stream(..., personal=True)) is subscribed to by its name like any other;
the socket then follows its own user's sequence only: seq, `after`, replay and live events are that person's.
"""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import connections

from jedel.common.realtime import access
from jedel.common.realtime.selectors import event_list, stream_floor, stream_head
from jedel.common.realtime.streams import group_name, is_personal, is_registered, stream_key
from jedel.common.realtime.wire import client_frame, event_message

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
REPLAY_LIMIT = 5000  # more missed events than this: the client reloads the full state instead
BATCH = 500
# Two workers send their events after commit, so their sends can cross on the way to Redis and arrive one
# after the other in the wrong order. An event that skips ahead is held this long for the missing ones to
# arrive live; only then are they read from the database (otherwise every socket would query at once).
GAP_WAIT_SECONDS = 0.5


READ_THREADS = 4
# The sockets' reads run on threads of their own, not on the one thread that runs every view of the process:
# after a server dies, a thousand reconnecting sockets each read their head and replay, and a socket handles
# its messages one at a time, so live events waited behind that queue (and the views behind it). Bounded, so
# a process holds at most READ_THREADS more database connections (the pool's JEDEL_DB_POOL_MAX is 10).
_readers = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="jedel-realtime-read")


def _off_loop(func: Any) -> Any:
    """`func` as a coroutine function run on the socket readers' threads.

    Each call hands its connection back at once (to the pool in production): a reader thread is reused by
    other sockets' calls and must not keep a connection of its own between them.
    """
    def run(*args: Any) -> Any:
        try:
            return func(*args)
        finally:
            connections.close_all()

    return database_sync_to_async(run, thread_sensitive=False, executor=_readers)


def _opening(key: str, after: int | None) -> tuple[int, int, list[dict[str, Any]] | None]:
    """Head, oldest retained seq and, when `after` asks for a replay, its first batch: one trip for a subscribe."""
    head = stream_head(key)
    floor = stream_floor(key, head)
    first = None
    if after is not None and floor <= after + 1 and after < head and head - after <= REPLAY_LIMIT:
        first = _batch(key, after, min(head, after + BATCH))
    return head, floor, first


def _batch(key: str, after: int, upto: int) -> list[dict[str, Any]]:
    return [event_message(e) for e in event_list(key, after=after, upto=upto)]


# Reads of the same events by several sockets of this process at once (a gap every socket of a shared stream
# noticed, the final pings of a benchmark) become one query. Committed events below a known seq never change,
# so sharing the answer is exact. Keyed by loop too: tests run one loop after another in one process.
_reading: dict[tuple[int, str, int, int], asyncio.Future[list[dict[str, Any]]]] = {}


async def _shared_batch(key: str, after: int, upto: int) -> list[dict[str, Any]]:
    """`_batch`, with one database read per (key, after, upto) in flight in this process."""
    name = (id(asyncio.get_running_loop()), key, after, upto)
    future = _reading.get(name)
    if future is None:
        future = asyncio.ensure_future(_off_loop(_batch)(key, after, upto))
        _reading[name] = future
        future.add_done_callback(lambda _done: _reading.pop(name, None))
    return await asyncio.shield(future)  # a socket closing mid-read must not cancel the others' read


class EventsConsumer(AsyncJsonWebsocketConsumer):
    """One socket, any number of streams; remembers the last seq sent per stream."""

    async def connect(self) -> None:
        self.last: dict[str, int] = {}
        self.keys: dict[str, str] = {}  # stream -> where its events are stored (per user for a personal one)
        self.groups: dict[str, str] = {}  # stream -> the channel group its live events come on
        self.held: dict[str, dict[int, dict[str, Any]]] = {}  # stream -> seq -> event that skipped ahead
        self.watching: set[str] = set()  # streams with a gap check scheduled
        self.closed = False
        self.principal = await _off_loop(access.principal_from_scope)(self.scope)
        await self.accept()
        if self.principal is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code: int) -> None:
        self.closed = True
        for group in list(getattr(self, "groups", {}).values()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if self.principal is None:
            return
        try:
            content = json.loads(text_data) if text_data is not None else None
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self._error("bad_message", "expected a JSON object")
            return
        await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
            for stream in list(self.last):
                # Renew the membership (Redis forgets groups after a day) and send what the layer dropped.
                await self.channel_layer.group_add(self.groups[stream], self.channel_name)
                await self._catch_up(stream, None)
                await self._release(stream)
        elif kind == "subscribe":
            await self._subscribe(content.get("stream"), content.get("after"))
        else:
            await self._error("bad_message", "type must be 'subscribe' or 'ping'")

    async def _subscribe(self, stream: Any, after: Any) -> None:
        if not isinstance(stream, str):
            await self._error("bad_message", "stream must be a string")
            return
        if not is_registered(stream):
            await self._error("unknown_stream", f"unknown stream {stream[:64]!r}")
            return
        if after is not None and (isinstance(after, bool) or not isinstance(after, int) or after < 0):
            await self._error("bad_message", "after must be a non-negative integer or null")
            return
        user_id = getattr(self.principal, "user_id", None)
        if is_personal(stream) and user_id is None:
            await self._error("unknown_stream", f"stream {stream!r} is personal: it needs a signed-in person")
            return
        if stream not in self.last:
            # Join before reading the head: an event committed in between arrives live and is deduplicated.
            self.keys[stream] = stream_key(stream, user_id)
            self.groups[stream] = group_name(stream, user_id)
            await self.channel_layer.group_add(self.groups[stream], self.channel_name)
        head, floor, first = await _off_loop(_opening)(self.keys[stream], after)
        if after is None:
            self.last[stream] = head
        elif after > head or after + 1 < floor or head - after > REPLAY_LIMIT:
            await self._reset(stream, head)
            return
        else:
            self.last[stream] = after
            if not await self._catch_up(stream, head, first):
                return
        await self.send_json({"type": "subscribed", "stream": stream, "seq": self.last[stream]})

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels closes stale database connections before every message, a hop to a worker thread; a live
        # event touches no database (a gap read goes through _off_loop, which does its own), and
        # with 300 boards x 10 events/s those hops were ~28 % of a worker's time.
        if message.get("type") == "realtime.event":
            await self.realtime_event(message)
        else:
            await super().dispatch(message)

    async def realtime_event(self, message: dict[str, Any]) -> None:
        """A live event from the channel layer (group message type 'realtime.event')."""
        event = message["event"]
        stream, seq = event["stream"], event["seq"]
        last = self.last.get(stream)
        if last is None or seq <= last:
            return  # not subscribed, or already sent (replay overlap, duplicate)
        if seq == last + 1:
            self.last[stream] = seq
            await self._deliver(event)
            await self._release(stream)
            return
        # A gap: the missing events are committed (this one was sent after its commit, and seqs commit in
        # order) and usually on their way. Hold this one; if they have not come in GAP_WAIT_SECONDS, a
        # message to this very consumer (so it is handled in turn, never concurrently) reads them.
        self.held.setdefault(stream, {})[seq] = event
        self._watch_gap(stream)

    def _watch_gap(self, stream: str) -> None:
        if stream not in self.watching:
            self.watching.add(stream)
            asyncio.get_running_loop().call_later(GAP_WAIT_SECONDS, self._gap_check, stream)

    def _gap_check(self, stream: str) -> None:
        self.watching.discard(stream)
        if self.held.get(stream) and not self.closed:
            asyncio.ensure_future(self.channel_layer.send(self.channel_name, {"type": "realtime.gap",
                                                                              "stream": stream}))

    async def realtime_gap(self, message: dict[str, Any]) -> None:
        """Held events are still waiting for a missing one: read everything up to the newest held."""
        stream = message["stream"]
        held = self.held.get(stream)
        if held:
            await self._catch_up(stream, max(held))
            await self._release(stream)

    async def _release(self, stream: str) -> None:
        """Send the held events that now follow in order, forget those already sent, keep watching the rest."""
        held = self.held.get(stream)
        if not held:
            return
        while self.last[stream] + 1 in held:
            event = held.pop(self.last[stream] + 1)
            self.last[stream] = event["seq"]
            await self._deliver(event)
        for seq in [s for s in held if s <= self.last[stream]]:
            del held[seq]
        if held:
            self._watch_gap(stream)

    async def _catch_up(self, stream: str, upto: int | None, first: list[dict[str, Any]] | None = None) -> bool:
        """Send every event after the last one sent up to `upto` (None: the current head); False if reset.

        `first`: the first batch, already read (by `_opening`)."""
        key = self.keys[stream]
        if upto is None:
            upto = await _off_loop(stream_head)(key)
        if upto - self.last[stream] > REPLAY_LIMIT:
            await self._reset(stream, upto)
            return False
        while self.last[stream] < upto:
            start = self.last[stream]
            if first is not None:
                batch, first = first, None
            else:
                batch = await _shared_batch(key, start, min(upto, start + BATCH))
            if [e["seq"] for e in batch] != list(range(start + 1, start + 1 + len(batch))) or not batch:
                await self._reset(stream, upto)  # pruned under our feet
                return False
            for event in batch:
                self.last[stream] = event["seq"]
                await self._deliver(event)
        return True

    async def _deliver(self, event: dict[str, Any]) -> None:
        recipient = event.get("recipient_id")
        if recipient is not None and recipient != getattr(self.principal, "user_id", None):
            return  # someone else's event on a shared stream (a personal stream never brings one here)
        try:
            ok = access.may_read(self.principal, event["read_action"], event["region_id"], event["facility_id"])
        except Exception:
            log.warning("real-time access check failed; event %s#%s withheld", event["stream"], event["seq"],
                        exc_info=True)
            ok = False
        if ok:
            # One event reaches every socket of the process as the same dict: encode its frame once.
            text = event.get("_frame")
            if text is None:
                text = event["_frame"] = json.dumps(client_frame(event))
            await self.send(text_data=text)

    async def _reset(self, stream: str, head: int) -> None:
        self.last[stream] = head
        await self.send_json({"type": "reset", "stream": stream, "seq": head})

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

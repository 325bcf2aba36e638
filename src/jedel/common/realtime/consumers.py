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
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from jedel.common.realtime import access
from jedel.common.realtime.selectors import event_list, stream_floor, stream_head
from jedel.common.realtime.streams import group_name, is_registered
from jedel.common.realtime.wire import client_frame, event_message

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
REPLAY_LIMIT = 5000  # more missed events than this: the client reloads the full state instead
BATCH = 500
# Two workers send their events after commit, so their sends can cross on the way to Redis and arrive one
# after the other in the wrong order. An event that skips ahead is held this long for the missing ones to
# arrive live; only then are they read from the database (otherwise every socket would query at once).
GAP_WAIT_SECONDS = 0.5


def _head_and_floor(stream: str) -> tuple[int, int]:
    head = stream_head(stream)
    return head, stream_floor(stream, head)


def _batch(stream: str, after: int, upto: int) -> list[dict[str, Any]]:
    return [event_message(e) for e in event_list(stream, after=after, upto=upto)]


class EventsConsumer(AsyncJsonWebsocketConsumer):
    """One socket, any number of streams; remembers the last seq sent per stream."""

    async def connect(self) -> None:
        self.last: dict[str, int] = {}
        self.held: dict[str, dict[int, dict[str, Any]]] = {}  # stream -> seq -> event that skipped ahead
        self.watching: set[str] = set()  # streams with a gap check scheduled
        self.closed = False
        self.principal = await database_sync_to_async(access.principal_from_scope)(self.scope)
        await self.accept()
        if self.principal is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code: int) -> None:
        self.closed = True
        for stream in list(getattr(self, "last", {})):
            await self.channel_layer.group_discard(group_name(stream), self.channel_name)

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
                await self.channel_layer.group_add(group_name(stream), self.channel_name)
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
        if stream not in self.last:
            # Join before reading the head: an event committed in between arrives live and is deduplicated.
            await self.channel_layer.group_add(group_name(stream), self.channel_name)
        head, floor = await database_sync_to_async(_head_and_floor)(stream)
        if after is None:
            self.last[stream] = head
        elif after > head or after + 1 < floor or head - after > REPLAY_LIMIT:
            await self._reset(stream, head)
            return
        else:
            self.last[stream] = after
            if not await self._catch_up(stream, head):
                return
        await self.send_json({"type": "subscribed", "stream": stream, "seq": self.last[stream]})

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels closes stale database connections before every message, a hop to a worker thread; a live
        # event touches no database (a gap read goes through database_sync_to_async, which does its own), and
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

    async def _catch_up(self, stream: str, upto: int | None) -> bool:
        """Send every event after the last one sent up to `upto` (None: the current head); False if reset."""
        if upto is None:
            upto = await database_sync_to_async(stream_head)(stream)
        if upto - self.last[stream] > REPLAY_LIMIT:
            await self._reset(stream, upto)
            return False
        while self.last[stream] < upto:
            start = self.last[stream]
            batch = await database_sync_to_async(_batch)(stream, start, min(upto, start + BATCH))
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
            return  # someone else's notice
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

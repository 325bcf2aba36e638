"""Writes of the outbox: `publish` inside the caller's transaction, `events_prune` for old events."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from jedel.common.clock import utcnow
from jedel.common.realtime.models import Event, StreamHead
from jedel.common.realtime.streams import group_name, is_personal, require_stream, stream_key
from jedel.common.realtime.wire import event_message

log = logging.getLogger(__name__)


class NotInTransaction(RuntimeError):
    """`publish` was called outside `transaction.atomic()`."""


def publish(stream: str, kind: str, data: dict[str, Any], *, read_action: str, region_id: int | None = None,
            facility_id: int | None = None, exercise: bool = False, now: datetime | None = None,
            recipient_id: int | None = None) -> Event:
    """Store an event with the stream's next seq and send it to subscribers once the transaction commits.

    Call inside the caller's `transaction.atomic()`, next to the write the event describes: the event then
    exists exactly when the write does. The stream's head row stays locked until commit, so within a stream
    commit order is seq order and a reader never sees seq N+1 before N: publish as late in the transaction as
    the write allows, since every other writer of the stream waits for that lock.

    `recipient_id`: a personal event, delivered only to that user's sockets (and still only if the policy
    allows `read_action`). On a personal stream it is required and the event takes the recipient's own next
    seq, locking only that person's head. (On a shared stream each socket filters it: prefer a personal one.)
    """
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("publish() must be called inside transaction.atomic(), with the write it announces")
    require_stream(stream)
    if is_personal(stream) and recipient_id is None:
        raise ValueError(f"an event on the personal stream {stream!r} needs recipient_id")
    key = stream_key(stream, recipient_id)
    data = json.loads(json.dumps(data))  # what is stored is exactly what subscribers get (tuples become lists)
    head = _head_locked(key)
    seq = head.seq + 1
    StreamHead.objects.filter(pk=key).update(seq=seq)
    event = Event.objects.create(stream=key, seq=seq, kind=kind, at=now or utcnow(), data=data,
                                 read_action=read_action, region_id=region_id, facility_id=facility_id,
                                 exercise=exercise, recipient_id=recipient_id)
    transaction.on_commit(partial(_send, stream, event_message(event)))
    return event


def _head_locked(key: str) -> StreamHead:
    """The head row of a stream key, locked for the rest of the transaction (created on first use)."""
    head = StreamHead.objects.select_for_update().filter(pk=key).first()
    if head is None:
        try:
            # Savepoint: if a concurrent first publisher inserted the row meanwhile, wait for and lock it.
            with transaction.atomic():
                head = StreamHead.objects.create(stream=key, seq=0)
        except IntegrityError:
            head = StreamHead.objects.select_for_update().get(pk=key)
    return head


SEND_TIMEOUT_S = 10.0
_sender: tuple[int, asyncio.AbstractEventLoop] | None = None  # (pid, loop) of this process's sending thread
_sender_lock = threading.Lock()


def _sender_loop() -> asyncio.AbstractEventLoop:
    """An event loop on a thread of its own that hands this process's events to a cross-process layer (Redis).

    Without it, a send from the notify worker (no loop to hop to) made a new loop per event, and the Redis
    layer a new connection per loop: about 3.5 ms an event, a quarter of an escalation's time. In a server,
    a view's send no longer waits for the server's own loop, which is busiest exactly when it matters (a
    thousand sockets reconnecting). One loop, one connection; sends run in submission order.
    """
    global _sender
    with _sender_lock:
        if _sender is None or _sender[0] != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="jedel-realtime-send", daemon=True).start()
            _sender = (os.getpid(), loop)
        return _sender[1]


def _send(stream: str, message: dict[str, Any]) -> None:
    """Hand a committed event to the channel layer; never fails the write (a client recovers it by replay)."""
    try:
        from asgiref.sync import async_to_sync
        from channels.layers import InMemoryChannelLayer, get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            group = group_name(stream, message.get("recipient_id") if is_personal(stream) else None)
            body = {"type": "realtime.event", "event": message}
            if isinstance(layer, InMemoryChannelLayer):  # one process, one loop's queues: hop to that loop
                async_to_sync(layer.group_send)(group, body)
            else:
                asyncio.run_coroutine_threadsafe(layer.group_send(group, body), _sender_loop()).result(
                    SEND_TIMEOUT_S)
    except Exception:
        log.warning("real-time send failed for %s#%s; subscribers will replay it", stream, message.get("seq"),
                    exc_info=True)


def events_prune(older_than: timedelta, *, now: datetime | None = None) -> int:
    """Delete events older than `older_than`; returns how many. Heads are kept, so seqs never restart.

    Per stream, everything up to the newest old event goes, so what remains is always a contiguous run of
    seqs (a clock step between publishers cannot leave a hole a client would replay across).
    """
    cutoff = (now or utcnow()) - older_than
    deleted = 0
    limits = Event.objects.filter(at__lt=cutoff).values("stream").annotate(upto=Max("seq"))
    for row in list(limits):
        with transaction.atomic():
            count, _ = Event.objects.filter(stream=row["stream"], seq__lte=row["upto"]).delete()
        deleted += count
    return deleted

"""Writes of the outbox: `publish` inside the caller's transaction, `events_prune` for old events."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from jedel.common.clock import utcnow
from jedel.common.realtime.models import Event, StreamHead
from jedel.common.realtime.streams import group_name, require_stream
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
    commit order is seq order and a reader never sees seq N+1 before N. `recipient_id`: a personal event,
    sent only to that user's sockets (and still only if the policy allows `read_action`).
    """
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("publish() must be called inside transaction.atomic(), with the write it announces")
    require_stream(stream)
    data = json.loads(json.dumps(data))  # what is stored is exactly what subscribers get (tuples become lists)
    head = _head_locked(stream)
    seq = head.seq + 1
    StreamHead.objects.filter(pk=stream).update(seq=seq)
    event = Event.objects.create(stream=stream, seq=seq, kind=kind, at=now or utcnow(), data=data,
                                 read_action=read_action, region_id=region_id, facility_id=facility_id,
                                 exercise=exercise, recipient_id=recipient_id)
    transaction.on_commit(partial(_send, stream, event_message(event)))
    return event


def _head_locked(stream: str) -> StreamHead:
    """The stream's head row, locked for the rest of the transaction (created on first use)."""
    head = StreamHead.objects.select_for_update().filter(pk=stream).first()
    if head is None:
        try:
            # Savepoint: if a concurrent first publisher inserted the row meanwhile, wait for and lock it.
            with transaction.atomic():
                head = StreamHead.objects.create(stream=stream, seq=0)
        except IntegrityError:
            head = StreamHead.objects.select_for_update().get(pk=stream)
    return head


def _send(stream: str, message: dict[str, Any]) -> None:
    """Hand a committed event to the channel layer; never fails the write (a client recovers it by replay)."""
    try:
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group_name(stream), {"type": "realtime.event", "event": message})
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

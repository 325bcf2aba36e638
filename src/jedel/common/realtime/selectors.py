"""Reads of the outbox: the head of a stream, the oldest retained event, and the events after a seq."""

from __future__ import annotations

from django.db.models import Min

from jedel.common.realtime.models import Event, StreamHead
from jedel.common.realtime.streams import stream_key


def stream_head(stream: str, recipient_id: int | None = None) -> int:
    """The last committed seq of `stream` (of that recipient's sequence, for a personal stream); 0 when
    nothing was ever published."""
    key = stream_key(stream, recipient_id)
    return StreamHead.objects.filter(stream=key).values_list("seq", flat=True).first() or 0


def stream_heads(streams: list[str]) -> dict[str, int]:
    """`stream_head` of several shared streams in one query (0 for those never published to)."""
    found = dict(StreamHead.objects.filter(stream__in=streams).values_list("stream", "seq"))
    return {name: found.get(name, 0) for name in streams}


def stream_floor(stream: str, head: int, recipient_id: int | None = None) -> int:
    """The oldest retained seq (head + 1 when every event was pruned or none was published)."""
    key = stream_key(stream, recipient_id)
    oldest = Event.objects.filter(stream=key, seq__lte=head).aggregate(m=Min("seq"))["m"]
    return head + 1 if oldest is None else oldest


def event_list(stream: str, *, after: int, upto: int, recipient_id: int | None = None) -> list[Event]:
    """Events with after < seq <= upto, in seq order."""
    key = stream_key(stream, recipient_id)
    return list(Event.objects.filter(stream=key, seq__gt=after, seq__lte=upto).order_by("seq"))

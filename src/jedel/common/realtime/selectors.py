"""Reads of the outbox: the head of a stream, the oldest retained event, and the events after a seq."""

from __future__ import annotations

from django.db.models import Min

from jedel.common.realtime.models import Event, StreamHead


def stream_head(stream: str) -> int:
    """The last committed seq of `stream` (0 when nothing was ever published)."""
    return StreamHead.objects.filter(stream=stream).values_list("seq", flat=True).first() or 0


def stream_floor(stream: str, head: int) -> int:
    """The oldest retained seq (head + 1 when every event was pruned or none was published)."""
    oldest = Event.objects.filter(stream=stream, seq__lte=head).aggregate(m=Min("seq"))["m"]
    return head + 1 if oldest is None else oldest


def event_list(stream: str, *, after: int, upto: int) -> list[Event]:
    """Events with after < seq <= upto, in seq order."""
    return list(Event.objects.filter(stream=stream, seq__gt=after, seq__lte=upto).order_by("seq"))

"""The stream registry: apps name the streams they publish on; a client asking for any other is refused.

A *personal* stream (`register_stream(name, personal=True)`) is one sequence per person: each event has a
recipient, is stored under the key `name@<user id>` with that person's next seq, travels on that person's
own channel group, and a socket subscribed to it reads and replays only its own user's events. A notice fanned
out to 2,000 people is then 2,000 small streams, not 2,000 events every socket must look at and drop.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_STREAMS: set[str] = set()
_PERSONAL: set[str] = set()
PERSONAL_NAME_MAX = 40  # name + "@" + a user id still fits the 64 characters of Event.stream


class UnknownStream(ValueError):
    """Publishing on (or subscribing to) a stream no app registered."""


def register_stream(name: str, *, personal: bool = False) -> str:
    """Declare a stream (idempotent); call at import time of the app that publishes on it.

    `personal`: one sequence per recipient (see the module docstring); every publish on it names a recipient.
    """
    if not _NAME.match(name):
        raise ValueError(f"bad stream name {name!r}: lower-case letters, digits, '_', '.', '-'; at most 64")
    if personal and len(name) > PERSONAL_NAME_MAX:
        raise ValueError(f"personal stream name {name!r} longer than {PERSONAL_NAME_MAX}")
    if (name in _STREAMS) and (name in _PERSONAL) != personal:
        raise ValueError(f"stream {name!r} is already registered as {'' if personal else 'not '}personal")
    _STREAMS.add(name)
    if personal:
        _PERSONAL.add(name)
    return name


def is_registered(name: object) -> bool:
    """True when `name` is a registered stream."""
    return isinstance(name, str) and name in _STREAMS


def require_stream(name: str) -> None:
    """Raise UnknownStream unless `name` is registered."""
    if not is_registered(name):
        raise UnknownStream(f"unknown stream {name!r}: register it with register_stream()")


def is_personal(name: str) -> bool:
    """True when `name` is a registered personal stream."""
    return name in _PERSONAL


def stream_key(stream: str, recipient_id: int | None = None) -> str:
    """Where a stream's events and head are stored: the name itself, or `name@<user id>` for a personal one."""
    if stream in _PERSONAL:
        if recipient_id is None:
            raise ValueError(f"personal stream {stream!r} needs a recipient")
        return f"{stream}@{int(recipient_id)}"
    return stream


def group_name(stream: str, recipient_id: int | None = None) -> str:
    """The Channels group that carries a stream's live events (ASCII, under 100 characters); for a personal
    stream, the group of one recipient's sockets."""
    if stream in _PERSONAL:
        if recipient_id is None:
            raise ValueError(f"personal stream {stream!r} needs a recipient")
        return f"realtime.{stream}.u{int(recipient_id)}"
    return f"realtime.{stream}"

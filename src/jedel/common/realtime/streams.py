"""The stream registry: apps name the streams they publish on; a client asking for any other is refused."""

from __future__ import annotations

import re

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_STREAMS: set[str] = set()


class UnknownStream(ValueError):
    """Publishing on (or subscribing to) a stream no app registered."""


def register_stream(name: str) -> str:
    """Declare a stream (idempotent); call at import time of the app that publishes on it."""
    if not _NAME.match(name):
        raise ValueError(f"bad stream name {name!r}: lower-case letters, digits, '_', '.', '-'; at most 64")
    _STREAMS.add(name)
    return name


def is_registered(name: object) -> bool:
    """True when `name` is a registered stream."""
    return isinstance(name, str) and name in _STREAMS


def require_stream(name: str) -> None:
    """Raise UnknownStream unless `name` is registered."""
    if not is_registered(name):
        raise UnknownStream(f"unknown stream {name!r}: register it with register_stream()")


def group_name(stream: str) -> str:
    """The Channels group that carries a stream's live events (ASCII, under 100 characters)."""
    return f"realtime.{stream}"

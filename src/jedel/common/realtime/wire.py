"""The one shape of an event on the wire (group message and websocket frame alike)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jedel.common.realtime.models import Event


def format_at(at: datetime) -> str:
    """UTC with microseconds and a Z: 2026-12-01T23:40:00.123456Z."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_message(event: Event) -> dict[str, Any]:
    """An event as carried on the channel layer: the client frame plus what the policy needs to filter it."""
    return {
        # A personal stream is stored as "name@<user id>"; clients know it by its name.
        "type": "event", "stream": event.stream.partition("@")[0], "seq": event.seq, "kind": event.kind,
        "at": format_at(event.at), "data": event.data,
        "read_action": event.read_action, "region_id": event.region_id, "facility_id": event.facility_id,
        "recipient_id": event.recipient_id,
    }


def client_frame(message: dict[str, Any]) -> dict[str, Any]:
    """The frame a client receives: no policy fields."""
    return {k: message[k] for k in ("type", "stream", "seq", "kind", "at", "data")}

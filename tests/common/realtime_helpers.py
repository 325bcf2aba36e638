"""Helpers for the in-process websocket tests (channels.testing.WebsocketCommunicator)."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from jedel.common.realtime.publish import publish

TIMEOUT = 3


def publish_now(stream: str = "capacity", n: int = 1, *, read_action: str = "view_board",
                region_id: int | None = None, facility_id: int | None = None, **kw: Any) -> list[int]:
    """Publish `n` events, each in its own committed transaction; returns their seqs."""
    seqs = []
    for i in range(n):
        with transaction.atomic():
            seqs.append(publish(stream, "test.tick", {"i": i}, read_action=read_action, region_id=region_id,
                                facility_id=facility_id, **kw).seq)
    return seqs


apublish = database_sync_to_async(publish_now)


async def open_socket(headers: list[tuple[bytes, bytes]] | None = None) -> WebsocketCommunicator:
    """A connected socket on the full ASGI stack (origin check, session auth, routing)."""
    from jedel.config.asgi import application

    comm = WebsocketCommunicator(application, "/ws/events/", headers=headers or [])
    connected, _ = await comm.connect(timeout=TIMEOUT)
    assert connected
    return comm


async def frames(comm: WebsocketCommunicator, n: int) -> list[dict[str, Any]]:
    """The next `n` JSON frames (each within TIMEOUT)."""
    return [await comm.receive_json_from(timeout=TIMEOUT) for _ in range(n)]


async def frames_until(comm: WebsocketCommunicator, kind: str, limit: int = 100) -> list[dict[str, Any]]:
    """Frames up to and including the first of type `kind`."""
    out = []
    for _ in range(limit):
        out.append(await comm.receive_json_from(timeout=TIMEOUT))
        if out[-1]["type"] == kind:
            return out
    raise AssertionError(f"no {kind!r} frame in {limit}")


def seqs(frames_: list[dict[str, Any]]) -> list[int]:
    """The seqs of the event frames."""
    return [f["seq"] for f in frames_ if f["type"] == "event"]

"""The Redis variant: channel layer and cache round trips when REDIS_URL is set (CI sets it)."""

from __future__ import annotations

import asyncio
import os

import pytest
from asgiref.sync import async_to_sync

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: Redis variant skipped")


def test_channel_layer_is_redis_pubsub_and_delivers_to_a_group():
    from channels.layers import get_channel_layer

    async def round_trip() -> dict:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add("jedel-test", channel)
        try:
            await layer.group_send("jedel-test", {"type": "board.changed", "facility": "X-1"})
            return await asyncio.wait_for(layer.receive(channel), timeout=5)
        finally:
            await layer.group_discard("jedel-test", channel)

    assert type(get_channel_layer()).__name__ == "RedisPubSubChannelLayer"
    assert async_to_sync(round_trip)() == {"type": "board.changed", "facility": "X-1"}


def test_cache_is_redis_and_round_trips():
    from django.core.cache import caches

    cache = caches["default"]
    assert type(cache).__name__ == "RedisCache"
    cache.set("jedel-test-key", {"beds": 3}, timeout=30)
    assert cache.get("jedel-test-key") == {"beds": 3}
    cache.delete("jedel-test-key")

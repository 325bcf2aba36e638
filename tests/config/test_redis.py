"""The Redis variant: channel layer and cache round trips when REDIS_URL is set (CI sets it)."""

from __future__ import annotations

import os

import pytest
from asgiref.sync import async_to_sync

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: Redis variant skipped")


def test_channel_layer_is_redis_and_delivers():
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisChannelLayer"
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.send)(channel, {"type": "board.changed", "facility": "X-1"})
    assert async_to_sync(layer.receive)(channel) == {"type": "board.changed", "facility": "X-1"}


def test_cache_is_redis_and_round_trips():
    from django.core.cache import caches

    cache = caches["default"]
    assert type(cache).__name__ == "RedisCache"
    cache.set("jedel-test-key", {"beds": 3}, timeout=30)
    assert cache.get("jedel-test-key") == {"beds": 3}
    cache.delete("jedel-test-key")

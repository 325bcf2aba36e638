"""The real-time channel across real server processes: a restart loses nothing; two workers on Redis both deliver.

Servers are `uvicorn jedel.config.asgi:application` subprocesses on free ports of 127.0.0.1, sharing a
throw-away database (tests/common/servers.py); the client is the `websockets` library with an API token.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from tests.common.servers import Client, servers
from tests.common.servers import publish_in_child as _publish


def _seqs(frames: list[dict]) -> list[int]:
    return [f["seq"] for f in frames if f["type"] == "event"]


def test_replay_after_a_server_restart(world, tmp_path):
    env, token, _ = world
    assert _publish(env(), 3) == [1, 2, 3]

    async def first(url: str) -> list[dict]:
        async with Client.connect(url, token) as client:
            return await client.subscribe(after=0)

    async def second(url: str) -> tuple[list[dict], bool]:
        async with Client.connect(url, token) as client:
            return await client.subscribe(after=3), await client.quiet(0.3)

    with servers(env(), 1, tmp_path) as (server,):
        got = asyncio.run(first(server.url))
        assert _seqs(got) == [1, 2, 3] and got[-1] == {"type": "subscribed", "stream": "capacity", "seq": 3}
        server.kill()
        assert server.proc.returncode is not None
        assert _publish(env(), 2) == [4, 5]  # while no server runs
    with servers(env(), 1, tmp_path) as (server,):
        got, quiet = asyncio.run(second(server.url))
    assert _seqs(got) == [4, 5] and got[-1] == {"type": "subscribed", "stream": "capacity", "seq": 5}
    assert len(got) == 3 and quiet


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: two-process delivery needs Redis")
def test_two_server_processes_on_redis_both_deliver_exactly_once(world, tmp_path):
    env, token, _ = world
    redis_env = env(os.environ["REDIS_URL"])

    async def watch(url: str, ready: asyncio.Event, done: asyncio.Event) -> list[dict]:
        async with Client.connect(url, token) as client:
            assert await client.subscribe(after=None) == [{"type": "subscribed", "stream": "capacity", "seq": 0}]
            ready.set()
            got = [await client.frame() for _ in range(3)]
            await done.wait()
            assert await client.quiet(0.5), "a duplicate or stray frame arrived"
            return got

    async def scenario(urls: list[str]) -> list[list[dict]]:
        readies = [asyncio.Event() for _ in urls]
        done = asyncio.Event()
        tasks = [asyncio.create_task(watch(u, r, done)) for u, r in zip(urls, readies, strict=True)]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 15)
        # The third place: a separate process publishing through Redis.
        assert await asyncio.to_thread(_publish, redis_env, 3) == [1, 2, 3]
        done.set()
        return await asyncio.wait_for(asyncio.gather(*tasks), 30)

    with servers(redis_env, 2, tmp_path) as (a, b):
        results = asyncio.run(scenario([a.url, b.url]))
    for got in results:
        assert [(f["type"], f["seq"], f["data"]) for f in got] == [("event", 1, {"i": 0}), ("event", 2, {"i": 1}),
                                                                   ("event", 3, {"i": 2})]

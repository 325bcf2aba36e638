"""The websocket at ws/events/ in process (WebsocketCommunicator): auth, scope, replay, reset, gap fill."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.test import Client
from tests.common.realtime_helpers import apublish, frames, frames_until, open_socket, publish_now, seqs

from jedel.common.realtime import consumers
from jedel.common.realtime import publish as publish_module
from jedel.common.realtime.models import Event
from jedel.common.realtime.publish import events_prune
from jedel.common.realtime.streams import group_name

pytestmark = pytest.mark.django_db(transaction=True)


def _session_headers(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    return [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


def _token_headers(user) -> list[tuple[bytes, bytes]]:
    from jedel.accounts.services import SYSTEM, token_create

    _, raw = token_create(actor=SYSTEM, name="rt-test", user=user)
    return [(b"authorization", f"Bearer {raw}".encode())]


async def _subscribed(comm, after=None, stream="capacity") -> list[dict]:
    await comm.send_json_to({"type": "subscribe", "stream": stream, "after": after})
    return await frames_until(comm, "subscribed")


def test_anonymous_socket_is_closed_with_4401():
    async def go():
        comm = await open_socket()
        assert await comm.receive_output(timeout=3) == {"type": "websocket.close", "code": 4401}

    async_to_sync(go)()


def test_bad_token_is_closed_with_4401():
    async def go():
        comm = await open_socket([(b"authorization", b"Bearer jdl_not-a-real-token")])
        assert await comm.receive_output(timeout=3) == {"type": "websocket.close", "code": 4401}

    async_to_sync(go)()


def test_foreign_origin_is_refused_at_the_handshake(national_user):
    from channels.testing import WebsocketCommunicator

    from jedel.config.asgi import application

    async def go():
        comm = WebsocketCommunicator(application, "/ws/events/",
                                     headers=[(b"origin", b"https://evil.example")] + headers)
        connected, _ = await comm.connect(timeout=3)
        assert connected is False
        comm = WebsocketCommunicator(application, "/ws/events/",
                                     headers=[(b"origin", b"http://127.0.0.1:8000")] + headers)
        assert (await comm.connect(timeout=3))[0] is True
        await comm.disconnect()

    headers = _session_headers(national_user)
    async_to_sync(go)()


@pytest.mark.parametrize("auth", ["session", "token"])
def test_session_and_token_are_accepted_and_get_the_head(national_user, auth):
    headers = (_session_headers if auth == "session" else _token_headers)(national_user)
    publish_now("capacity", 2)

    async def go():
        comm = await open_socket(headers)
        assert await _subscribed(comm) == [{"type": "subscribed", "stream": "capacity", "seq": 2}]
        await apublish("capacity", 1)
        (event,) = await frames(comm, 1)
        assert (event["type"], event["stream"], event["seq"], event["kind"], event["data"]) == (
            "event", "capacity", 3, "test.tick", {"i": 0})
        assert set(event) == {"type", "stream", "seq", "kind", "at", "data"}
        datetime.strptime(event["at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        await comm.send_json_to({"type": "ping"})
        assert await frames(comm, 1) == [{"type": "pong"}]
        assert await comm.receive_nothing(timeout=0.1)
        await comm.disconnect()

    async_to_sync(go)()


def test_regional_socket_never_receives_another_regions_events(kz):
    from jedel.accounts.models import User

    almaty, astana = kz["KZ-75"].pk, kz["KZ-71"].pk
    user = User(username="rt-coord-75", role="regional_coordinator", scope_level="region", scope_region_id=almaty)
    user.set_unusable_password()
    user.save()
    # edit_facility is limited to the coordinator's region today; view_board is national for everyone.
    plan = [("edit_facility", almaty), ("edit_facility", astana), ("edit_facility", None), ("view_board", astana),
            ("manage_users", astana), ("no_such_action", almaty), ("edit_facility", almaty)]
    for action, region in plan:  # seqs 1..7
        publish_now("capacity", 1, read_action=action, region_id=region)

    headers = _session_headers(user)

    async def go():
        comm = await open_socket(headers)
        replay = await _subscribed(comm, after=0)
        assert seqs(replay) == [1, 4, 7] and replay[-1] == {"type": "subscribed", "stream": "capacity", "seq": 7}
        for action, region in plan:  # live: seqs 8..14
            await apublish("capacity", 1, read_action=action, region_id=region)
        live = await frames(comm, 3)
        assert seqs(live) == [8, 11, 14]
        assert await comm.receive_nothing(timeout=0.2)
        await comm.disconnect()

    async_to_sync(go)()


def test_reconnect_replays_exactly_what_was_missed(national_user):
    headers = _token_headers(national_user)

    async def go():
        comm = await open_socket(headers)
        assert seqs(await _subscribed(comm)) == []
        await apublish("capacity", 2)
        assert seqs(await frames(comm, 2)) == [1, 2]
        await comm.disconnect()
        await apublish("capacity", 3)  # missed while away: 3, 4, 5
        comm = await open_socket(headers)
        replay = await _subscribed(comm, after=2)
        assert seqs(replay) == [3, 4, 5] and replay[-1]["seq"] == 5 and len(replay) == 4
        await apublish("capacity", 1)
        assert seqs(await frames(comm, 1)) == [6]
        assert await comm.receive_nothing(timeout=0.2)
        await comm.disconnect()

    async_to_sync(go)()


def test_reset_when_after_is_pruned_too_far_back_or_ahead(national_user, monkeypatch):
    t0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    for minutes_ago in (50, 40, 30, 5, 1):
        publish_now("capacity", 1, now=t0 - timedelta(minutes=minutes_ago))
    assert events_prune(timedelta(minutes=10), now=t0) == 3  # retained: 4, 5
    headers = _token_headers(national_user)

    async def check():
        comm = await open_socket(headers)
        await comm.send_json_to({"type": "subscribe", "stream": "capacity", "after": 2})
        assert await frames(comm, 1) == [{"type": "reset", "stream": "capacity", "seq": 5}]
        await apublish("capacity", 1)  # live after a reset continues from the head
        assert seqs(await frames(comm, 1)) == [6]
        replay = await _subscribed(comm, after=3)  # 4.. is retained: replay works
        assert seqs(replay) == [4, 5, 6] and replay[-1]["seq"] == 6
        await comm.send_json_to({"type": "subscribe", "stream": "capacity", "after": 99})  # from another history
        assert await frames(comm, 1) == [{"type": "reset", "stream": "capacity", "seq": 6}]
        monkeypatch.setattr(consumers, "REPLAY_LIMIT", 2)
        await comm.send_json_to({"type": "subscribe", "stream": "capacity", "after": 3})  # 3 to replay > 2
        assert await frames(comm, 1) == [{"type": "reset", "stream": "capacity", "seq": 6}]
        assert seqs(await _subscribed(comm, after=4)) == [5, 6]
        assert await comm.receive_nothing(timeout=0.1)
        await comm.disconnect()

    async_to_sync(check)()


def test_gap_is_filled_from_the_outbox_and_stale_live_messages_dropped(national_user, monkeypatch):
    headers = _token_headers(national_user)
    held: list[dict] = []
    real_send = publish_module._send

    async def go():
        comm = await open_socket(headers)
        assert seqs(await _subscribed(comm)) == []
        await apublish("capacity", 1)
        assert seqs(await frames(comm, 1)) == [1]
        # Two processes' messages cross: 3 reaches the socket before 2 (2 and 3 are held back here).
        monkeypatch.setattr(publish_module, "_send", lambda stream, message: held.append(message))
        await apublish("capacity", 2)
        monkeypatch.setattr(publish_module, "_send", real_send)
        layer = get_channel_layer()
        two, three = held
        await layer.group_send(group_name("capacity"), {"type": "realtime.event", "event": three})
        assert seqs(await frames(comm, 2)) == [2, 3]  # 2 read from the outbox first
        await layer.group_send(group_name("capacity"), {"type": "realtime.event", "event": two})
        await layer.group_send(group_name("capacity"), {"type": "realtime.event", "event": three})
        assert await comm.receive_nothing(timeout=0.2)  # late and duplicate: dropped
        await apublish("capacity", 1)
        assert seqs(await frames(comm, 1)) == [4]
        await comm.disconnect()

    async_to_sync(go)()


def test_events_crossing_on_the_way_are_put_back_in_order_without_reading_the_outbox(national_user, monkeypatch):
    from jedel.common.realtime import consumers

    headers = _token_headers(national_user)
    held: list[dict] = []
    reads: list[tuple] = []
    real_batch = consumers._batch
    monkeypatch.setattr(consumers, "_batch", lambda *args: reads.append(args) or real_batch(*args))

    async def go():
        comm = await open_socket(headers)
        assert seqs(await _subscribed(comm)) == []
        monkeypatch.setattr(publish_module, "_send", lambda stream, message: held.append(message))
        await apublish("capacity", 3)
        layer = get_channel_layer()
        for message in (held[2], held[0], held[1]):  # 3 overtakes 1 and 2, which follow within the wait
            await layer.group_send(group_name("capacity"), {"type": "realtime.event", "event": message})
        assert seqs(await frames(comm, 3)) == [1, 2, 3]
        assert await comm.receive_nothing(timeout=consumers.GAP_WAIT_SECONDS + 0.2)
        assert reads == []  # nothing was read from the database
        await comm.disconnect()

    async_to_sync(go)()


def test_a_dropped_last_message_is_recovered_on_ping(national_user, monkeypatch):
    headers = _token_headers(national_user)

    async def go():
        comm = await open_socket(headers)
        assert seqs(await _subscribed(comm)) == []
        monkeypatch.setattr(publish_module, "_send", lambda stream, message: None)  # the layer lost it
        await apublish("capacity", 2)
        assert await comm.receive_nothing(timeout=0.1)
        await comm.send_json_to({"type": "ping"})
        got = await frames(comm, 3)
        assert got[0] == {"type": "pong"} and seqs(got) == [1, 2]
        await comm.disconnect()

    async_to_sync(go)()


def test_bad_messages_get_an_error_and_the_socket_stays_open(national_user):
    headers = _token_headers(national_user)

    async def go():
        comm = await open_socket(headers)
        await comm.send_to(text_data="{not json")
        await comm.send_to(text_data=json.dumps([1, 2]))
        await comm.send_json_to({"type": "dance"})
        await comm.send_json_to({"type": "subscribe"})
        await comm.send_json_to({"type": "subscribe", "stream": "secret-stream"})
        await comm.send_json_to({"type": "subscribe", "stream": "capacity", "after": -1})
        await comm.send_json_to({"type": "subscribe", "stream": "capacity", "after": "12"})
        await comm.send_json_to({"type": "subscribe", "stream": "capacity", "after": True})
        got = await frames(comm, 8)
        assert [f["type"] for f in got] == ["error"] * 8
        assert [f["code"] for f in got] == ["bad_message"] * 4 + ["unknown_stream"] + ["bad_message"] * 3
        assert all(isinstance(f["message"], str) and f["message"] for f in got)
        await comm.send_json_to({"type": "ping"})
        assert await frames(comm, 1) == [{"type": "pong"}]
        await comm.disconnect()

    async_to_sync(go)()
    assert not Event.objects.exists()

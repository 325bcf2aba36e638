"""Personal streams: one sequence per recipient, carried only to that person's sockets, replayed per person.

Also: sockets of one process that notice the same gap on a shared stream read it from the database once.
"""

from __future__ import annotations

import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async as to_async
from channels.layers import get_channel_layer
from django.db import transaction
from tests.common.realtime_helpers import frames, frames_until, open_socket, publish_now, seqs

from jedel.common.realtime import consumers
from jedel.common.realtime import publish as publish_module
from jedel.common.realtime.models import Event, StreamHead
from jedel.common.realtime.publish import publish
from jedel.common.realtime.selectors import stream_head
from jedel.common.realtime.streams import group_name, register_stream, stream_key

PERSONAL = register_stream("test.personal", personal=True)

pytestmark = pytest.mark.django_db(transaction=True)


def _user(name: str):
    from jedel.accounts.models import User

    user = User(username=name, role="national_coordinator", scope_level="national")
    user.set_unusable_password()
    user.save()
    return user


def _token_headers(user) -> list[tuple[bytes, bytes]]:
    from jedel.accounts.services import SYSTEM, token_create

    _, raw = token_create(actor=SYSTEM, name="rt-personal", user=user)
    return [(b"authorization", f"Bearer {raw}".encode())]


def _to(user_id: int, label: str) -> int:
    """Publish one personal event to `user_id` in its own transaction; its seq."""
    with transaction.atomic():
        return publish(PERSONAL, "test.note", {"label": label}, read_action="view_board", recipient_id=user_id).seq


def _labels(got: list[dict]) -> list[tuple[int, str]]:
    return [(f["seq"], f["data"]["label"]) for f in got if f["type"] == "event"]


async def _subscribe(comm, after=None) -> list[dict]:
    await comm.send_json_to({"type": "subscribe", "stream": PERSONAL, "after": after})
    return await frames_until(comm, "subscribed")


@pytest.fixture
def ann_and_bob():
    return _user("rt-ann"), _user("rt-bob")


def test_each_recipient_has_a_sequence_of_their_own(ann_and_bob):
    ann, bob = ann_and_bob
    assert [_to(ann.pk, "a1"), _to(bob.pk, "b1"), _to(ann.pk, "a2"), _to(ann.pk, "a3"), _to(bob.pk, "b2")] == \
        [1, 1, 2, 3, 2]
    assert dict(StreamHead.objects.values_list("stream", "seq")) == \
        {f"test.personal@{ann.pk}": 3, f"test.personal@{bob.pk}": 2}
    assert (stream_head(PERSONAL, ann.pk), stream_head(PERSONAL, bob.pk)) == (3, 2)
    stored = Event.objects.filter(stream=stream_key(PERSONAL, bob.pk)).order_by("seq")
    assert [(e.seq, e.recipient_id, e.data["label"]) for e in stored] == [(1, bob.pk, "b1"), (2, bob.pk, "b2")]
    assert group_name(PERSONAL, ann.pk) == f"realtime.test.personal.u{ann.pk}"


def test_a_personal_event_needs_a_recipient():
    with pytest.raises(ValueError, match="needs recipient_id"), transaction.atomic():
        publish(PERSONAL, "test.note", {}, read_action="view_board")
    assert not Event.objects.exists()


def test_a_personal_event_reaches_only_its_recipients_sockets(ann_and_bob, monkeypatch):
    ann, bob = ann_and_bob
    headers = {ann.pk: _token_headers(ann), bob.pk: _token_headers(bob)}
    dispatched: list[tuple[str, int, int]] = []  # (channel name, recipient, seq) of every live event a socket got
    real_event = consumers.EventsConsumer.realtime_event

    async def spy(self, message):
        dispatched.append((self.channel_name, message["event"]["recipient_id"], message["event"]["seq"]))
        await real_event(self, message)

    monkeypatch.setattr(consumers.EventsConsumer, "realtime_event", spy)
    async def go():
        ann1, ann2, bob1 = (await open_socket(headers[ann.pk]), await open_socket(headers[ann.pk]),
                            await open_socket(headers[bob.pk]))
        for comm in (ann1, ann2, bob1):
            assert await _subscribe(comm) == [{"type": "subscribed", "stream": PERSONAL, "seq": 0}]
        plan = [(ann.pk, "a1"), (bob.pk, "b1"), (ann.pk, "a2")]
        for user_id, label in plan:
            await to_async(_to)(user_id, label)
        for comm in (ann1, ann2):
            got = await frames(comm, 2)
            assert _labels(got) == [(1, "a1"), (2, "a2")]
            assert {f["stream"] for f in got} == {PERSONAL}
        assert _labels(await frames(bob1, 1)) == [(1, "b1")]
        for comm in (ann1, ann2, bob1):
            assert await comm.receive_nothing(timeout=0.2)
        # The routing, not a filter: no socket was even handed another person's event.
        by_channel: dict[str, set[int]] = {}
        for channel, recipient, _seq in dispatched:
            by_channel.setdefault(channel, set()).add(recipient)
        assert sorted(by_channel.values(), key=min) == sorted([{ann.pk}, {ann.pk}, {bob.pk}], key=min)
        assert len(dispatched) == 5  # a1 and a2 to Ann's two sockets, b1 to Bob's
        for comm in (ann1, ann2, bob1):
            await comm.disconnect()

    async_to_sync(go)()


def test_reconnect_replays_only_and_all_of_that_persons_missed_events(ann_and_bob, monkeypatch):
    ann, bob = ann_and_bob
    headers = _token_headers(ann)
    reads: list[tuple] = []
    real_batch = consumers._batch
    monkeypatch.setattr(consumers, "_batch", lambda *args: reads.append(args) or real_batch(*args))
    async def go():
        comm = await open_socket(headers)
        assert _labels(await _subscribe(comm)) == []
        await to_async(_to)(ann.pk, "a1")
        assert _labels(await frames(comm, 1)) == [(1, "a1")]
        await comm.disconnect()
        for user_id, label in [(bob.pk, "b1"), (ann.pk, "a2"), (bob.pk, "b2"), (bob.pk, "b3"), (ann.pk, "a3"),
                               (ann.pk, "a4"), (bob.pk, "b4")]:
            await to_async(_to)(user_id, label)  # missed while away
        comm = await open_socket(headers)
        replay = await _subscribe(comm, after=1)
        assert _labels(replay) == [(2, "a2"), (3, "a3"), (4, "a4")]
        assert replay[-1] == {"type": "subscribed", "stream": PERSONAL, "seq": 4} and len(replay) == 4
        assert reads == [(f"test.personal@{ann.pk}", 1, 4)]  # one read, of Ann's events only
        await to_async(_to)(ann.pk, "a5")
        assert _labels(await frames(comm, 1)) == [(5, "a5")]
        assert await comm.receive_nothing(timeout=0.2)
        await comm.disconnect()

    async_to_sync(go)()


def test_sockets_noticing_the_same_gap_read_it_once(ann_and_bob, monkeypatch):
    ann, bob = ann_and_bob
    held: list[dict] = []
    reads: list[tuple] = []
    real_batch = consumers._batch

    def slow_batch(*args):  # slow enough that the second socket's read starts while the first is running
        reads.append(args)
        time.sleep(0.3)
        return real_batch(*args)

    monkeypatch.setattr(consumers, "_batch", slow_batch)
    headers = [_token_headers(ann), _token_headers(bob)]

    async def go():
        socks = [await open_socket(h) for h in headers]
        for comm in socks:
            await comm.send_json_to({"type": "subscribe", "stream": "capacity", "after": None})
            assert await frames(comm, 1) == [{"type": "subscribed", "stream": "capacity", "seq": 0}]
        monkeypatch.setattr(publish_module, "_send", lambda stream, message: held.append(message))
        await to_async(publish_now)("capacity", 3)
        layer = get_channel_layer()
        await layer.group_send(group_name("capacity"), {"type": "realtime.event", "event": held[2]})  # 1, 2 lost
        for comm in socks:
            assert seqs(await frames(comm, 3)) == [1, 2, 3]
        assert reads == [("capacity", 0, 3)]
        for comm in socks:
            await comm.disconnect()

    async_to_sync(go)()

"""Notices on the real-time socket: each person's "inbox" stream carries their own notices, and only theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async as to_async
from tests.common.realtime_helpers import frames, frames_until, open_socket

from jedel.common.realtime.selectors import stream_head
from jedel.notifications.realtime import INBOX
from jedel.notifications.services.sending import notice_send
from jedel.notifications.services.worker import tick
from tests.notifications.notify_helpers import T0, principal

pytestmark = pytest.mark.django_db(transaction=True)


def _headers(user) -> list[tuple[bytes, bytes]]:
    from jedel.accounts.services import SYSTEM, token_create

    _, raw = token_create(actor=SYSTEM, name="inbox-test", user=user)
    return [(b"authorization", f"Bearer {raw}".encode())]


def _send(net, title: str, now):
    desk = net["desks"]["admissions"].pk
    return notice_send(actor=principal(net["people"]["sender"]), kind="incoming_patient", title=title,
                       levels=[[{"desk": desk, "position": 0}], [{"desk": desk}]], ack_timeout_s=[60, 60],
                       region_id=net["region"].pk, facility_id=net["hospital"].pk, now=now).notice.pk


def _got(frames_: list[dict]) -> list[tuple[int, str, int]]:
    return [(f["seq"], f["data"]["title"], f["data"]["level"]) for f in frames_ if f["type"] == "event"]


async def _subscribe(comm, after=None) -> list[dict]:
    await comm.send_json_to({"type": "subscribe", "stream": INBOX, "after": after})
    return await frames_until(comm, "subscribed")


def test_a_notice_reaches_the_sockets_of_the_people_it_reaches_and_a_reconnect_replays_their_own(net):
    nurse, doctor = net["people"]["ed_nurse"], net["people"]["ed_doctor"]
    headers = {"nurse": _headers(nurse), "doctor": _headers(doctor)}

    async def go():
        socks = {who: await open_socket(h) for who, h in headers.items()}
        for comm in socks.values():
            assert await _subscribe(comm) == [{"type": "subscribed", "stream": "inbox", "seq": 0}]
        await to_async(_send)(net, "Red casualty 1", T0)  # level 0: the nurse (position 0) only
        assert _got(await frames(socks["nurse"], 1)) == [(1, "Red casualty 1", 0)]
        assert await socks["doctor"].receive_nothing(timeout=0.2)
        await to_async(tick)(T0 + timedelta(seconds=60))  # level 1: the whole desk; the nurse has it already
        assert _got(await frames(socks["doctor"], 1)) == [(1, "Red casualty 1", 1)]
        assert await socks["nurse"].receive_nothing(timeout=0.2)
        await socks["doctor"].disconnect()
        # While the doctor is away: two more notices reach the nurse, one of them escalates to the doctor.
        await to_async(_send)(net, "Red casualty 2", T0 + timedelta(seconds=61))
        await to_async(_send)(net, "Red casualty 3", T0 + timedelta(seconds=90))
        await to_async(tick)(T0 + timedelta(seconds=121))
        assert _got(await frames(socks["nurse"], 2)) == [(2, "Red casualty 2", 0), (3, "Red casualty 3", 0)]
        socks["doctor"] = await open_socket(headers["doctor"])
        replay = await _subscribe(socks["doctor"], after=1)
        assert _got(replay) == [(2, "Red casualty 2", 1)]
        assert replay[-1] == {"type": "subscribed", "stream": "inbox", "seq": 2}
        for comm in socks.values():
            assert await comm.receive_nothing(timeout=0.2)
            await comm.disconnect()

    async_to_sync(go)()
    assert (stream_head(INBOX, nurse.pk), stream_head(INBOX, doctor.pk)) == (3, 2)

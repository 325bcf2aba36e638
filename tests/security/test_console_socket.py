"""A console that reconnects gets every alarm it missed, in order, and only its own facility's (stored events)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from jedel.common.realtime.selectors import stream_head
from jedel.security.selectors import console_alerts
from jedel.security.services.panic import button_create, panic_acknowledge, panic_press_device
from tests.common.conftest import _own_channel_prefix  # noqa: F401 (fixture)
from tests.common.realtime_helpers import frames_until, open_socket
from tests.security.conftest import p

pytestmark = pytest.mark.django_db(transaction=True)


def _headers(user) -> list[tuple[bytes, bytes]]:
    from jedel.accounts.services import SYSTEM, token_create

    _, raw = token_create(actor=SYSTEM, name="console", user=user)
    return [(b"authorization", f"Bearer {raw}".encode())]


async def _replay(headers, after):
    comm = await open_socket(headers)
    await comm.send_json_to({"type": "subscribe", "stream": "security", "after": after})
    got = await frames_until(comm, "subscribed")
    await comm.disconnect()
    return got


def test_reconnecting_console_replays_every_missed_alarm(site):
    officer, officer_c = site["people"]["officer_a"], site["people"]["officer_c"]
    seen = stream_head("security")  # the console's last seq before it lost the connection
    a_button, _ = button_create(actor=p(officer), facility_id=site["A"].pk, location="ER triage desk")
    c_button, _ = button_create(actor=p(officer_c), facility_id=site["C"].pk, location="Delivery room")
    ward, _ = button_create(actor=p(officer), facility_id=site["A"].pk, location="Ward 3")
    first = panic_press_device(button=a_button).alert
    panic_press_device(button=c_button)
    second = panic_press_device(button=ward).alert
    panic_acknowledge(actor=p(officer), alert_id=first.pk)

    got = async_to_sync(_replay)(_headers(officer), seen)
    events = [(f["kind"], f["data"]["alert"], f["data"]["location"]) for f in got if f["type"] == "event"]
    assert events == [("panic.raised", first.pk, "ER triage desk"), ("panic.raised", second.pk, "Ward 3"),
                      ("panic.acknowledged", first.pk, "ER triage desk")]
    assert got[-1] == {"type": "subscribed", "stream": "security", "seq": stream_head("security")}
    # Astana's console replays its own alarm only.
    got_c = async_to_sync(_replay)(_headers(officer_c), seen)
    assert [(f["kind"], f["data"]["location"]) for f in got_c if f["type"] == "event"] == \
        [("panic.raised", "Delivery room")]
    # The page a reconnecting console reloads lists the unacknowledged alarm first.
    assert [(a.location, a.state) for a in console_alerts(p(officer), site["A"].pk)] == \
        [("Ward 3", "open"), ("ER triage desk", "acknowledged")]

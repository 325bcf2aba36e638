"""A transfer survives a server crash: against the production (ASGI) server, a request is made, accepted and
given an ambulance; the server is killed (SIGKILL, no shutdown) and another started on the same database. The
transfer, its timeline, its mission and the ambulance's status are all there; repeating the last step changes
nothing; the crew goes on with the next step; and the transfers stream replays every event to a console that
missed them."""

from __future__ import annotations

import asyncio
import json
import urllib.request

from tests.common.conftest import _own_channel_prefix, rt_template, world  # noqa: F401 (fixtures)
from tests.common.servers import Client, run_script, servers
from tests.transfers.test_national_live_browser import SETUP, _api


def _get(base: str, token: str, path: str) -> dict | list:
    req = urllib.request.Request(f"{base}/api/{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=15) as answer:
        return json.loads(answer.read())


async def _transfer_events(url: str, token: str) -> list[tuple[int, str]]:
    async with Client.connect(url, token) as client:
        frames = await client.subscribe(after=0, stream="transfers")
    return [(f["seq"], f["kind"]) for f in frames if f["type"] == "event"]


def test_a_transfer_and_its_mission_survive_a_server_crash(request, tmp_path):
    make_env, _token, _session = request.getfixturevalue("world")
    env = make_env()
    _officer, _coordinator, doctor, manager, coordinator, ambulance = run_script(SETUP, env).split()
    with servers(env, 1, tmp_path) as (server,):
        base = f"http://127.0.0.1:{server.port}"
        made = _api(base, doctor, "transfers", {
            "reference": "TR-1", "origin": "ALA-TL1", "destination": "ALA-TL2", "urgency": "emergency",
            "diagnosis": "Open femur fracture", "bed_type": "AdultICU"})
        _api(base, manager, f"transfers/{made['id']}/accept", {})
        assigned = _api(base, coordinator, f"transfers/{made['id']}/assign", {"asset": int(ambulance)})
        before = _get(base, coordinator, f"transfers/{made['id']}")
        server.kill()
        assert server.proc.returncode is not None
    assert (assigned["asset"], assigned["step"]) == ("ALA-03", "dispatched")

    with servers(env, 1, tmp_path) as (server,):
        base = f"http://127.0.0.1:{server.port}"
        after = _get(base, coordinator, f"transfers/{made['id']}")
        # waiting_min is the patient's wait so far, read from the clock: it may only have grown in between.
        waited_before = before["transfer"].pop("waiting_min")
        assert after["transfer"].pop("waiting_min") >= waited_before
        assert after == before
        assert (after["transfer"]["state"], after["transfer"]["version"]) == ("transport_arranged", 3)
        assert [e["kind"] for e in after["events"]] == [
            "transfer.requested", "transfer.accepted", "transfer.arranged"]
        fleet = {a["call_sign"]: a["status"] for a in _get(base, coordinator, "transport-assets")}
        assert fleet["ALA-03"] == "on_mission"

        again = _api(base, coordinator, f"transfers/{made['id']}/assign", {"asset": int(ambulance)})
        assert again == assigned  # the same assignment: nothing new
        assert _get(base, coordinator, f"transfers/{made['id']}")["transfer"]["version"] == 3
        step = _api(base, coordinator, f"transfers/{made['id']}/mission", {"step": "at_patient"})
        assert step["step"] == "at_patient"

        events = asyncio.run(_transfer_events(server.url, coordinator))
    # Each step is filed for the sending and the receiving hospital: two events a step; the ambulance's new
    # status once, for its region.
    assert events == [(1, "transfer.requested"), (2, "transfer.requested"), (3, "transfer.accepted"),
                      (4, "transfer.accepted"), (5, "transfer.arranged"), (6, "transfer.arranged"),
                      (7, "asset.status"), (8, "mission.at_patient"), (9, "mission.at_patient")]

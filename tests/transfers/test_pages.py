"""The pages: request form → detail, the receiving inbox with accept/decline, the dispatcher's page, the national
picture (and its live part), statistics with CSV; refused actions are shown, never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.transfers.models import Transfer
from jedel.transfers.services.requests import transfer_accept
from tests.capacity.capacity_helpers import make_user
from tests.transfers.helpers import asset, request, staff

pytestmark = pytest.mark.django_db


def _client(username, role, **kw):
    c = Client()
    c.force_login(make_user(username, role, **kw))
    return c


FORM = {"origin": "T-D", "reference": "K-9", "urgency": "emergency", "diagnosis": "Eclampsia", "bed_type": "AdultICU",
        "capabilities": ["obstetric"], "needs": ["infusion_pumps"], "infusion_pumps": "2", "ventilated": "on",
        "destination": "T-H1", "triage_category": "immediate", "rpm": "7"}


def test_the_request_form_creates_a_transfer_and_shows_it(net):
    c = _client("d-doc", "clinician", facility=net["D"])
    page = c.get("/transfers/new/")
    assert page.status_code == 200 and b'value="T-D"' in page.content
    r = c.post("/transfers/new/", FORM)
    t = Transfer.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/transfers/{t.pk}/"
    assert (t.reference, t.rpm, t.infusion_pumps, t.needs) == ("K-9", 7, 2, ["infusion_pumps", "ventilator"])
    detail = c.get(r["Location"]).content.decode()
    assert "K-9" in detail and "Eclampsia" in detail and 'id="accept-transfer"' not in detail


def test_the_form_refuses_another_facility_as_origin(net):
    c = _client("d-doc", "clinician", facility=net["D"])
    r = c.post("/transfers/new/", {**FORM, "origin": "T-H2"})
    assert r.status_code == 200 and Transfer.objects.count() == 0


def test_inbox_accept_and_decline_on_the_page(net):
    t = request(net["D"], net["H1"])
    c = _client("h1-mgr", "facility_manager", facility=net["H1"])
    inbox = c.get("/transfers/inbox/").content.decode()
    assert f"/transfers/{t.pk}/" in inbox
    detail = c.get(f"/transfers/{t.pk}/").content.decode()
    assert 'id="accept-transfer"' in detail
    r = c.post(f"/transfers/{t.pk}/action/", {"op": "decline", "reason": "", "version": "1"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.state == "requested"  # a decline without reason is refused with a message
    c.post(f"/transfers/{t.pk}/action/", {"op": "accept", "version": "1"})
    t.refresh_from_db()
    assert t.state == "accepted"
    other = _client("h2-mgr", "facility_manager", facility=net["H2"])
    assert other.post(f"/transfers/{t.pk}/action/", {"op": "accept"}).status_code == 403


def test_dispatcher_sees_ranking_and_options_and_assigns(live_net):
    net = live_net
    t = request(net["D"])
    nc = _client("nc", "national_coordinator")
    page = nc.get(f"/transfers/{t.pk}/").content.decode()
    assert page.index("Hospital T-H1") < page.index("Hospital T-H2")  # ranked by road time
    assert "No feasible destination" not in page
    assert nc.get("/transfers/dispatch/").status_code == 200
    nc.post(f"/transfers/{t.pk}/action/", {"op": "route", "destination": "T-H1", "version": "1"})
    transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk)
    heli = asset("HELI-1", "helicopter", net["AIR"], night=True)
    page = nc.get(f"/transfers/{t.pk}/").content.decode()
    assert "HELI-1" in page
    nc.post(f"/transfers/{t.pk}/action/", {"op": "assign", "asset": str(heli.pk), "version": "3"})
    t.refresh_from_db()
    assert (t.state, t.mode) == ("transport_arranged", "helicopter")
    nc.post(f"/transfers/{t.pk}/action/", {"op": "step", "step": "at_patient"})
    nc.post(f"/transfers/{t.pk}/action/", {"op": "step", "step": "departed"})
    t.refresh_from_db()
    assert t.state == "departed"


def test_national_picture_lists_and_maps_patients_in_motion(net):
    t = request(net["D"], net["H1"])
    nc = _client("nc", "national_coordinator")
    page = nc.get("/transfers/national/").content.decode()
    assert 'id="transfers-map"' in page and "transfers/national.js" in page
    live = nc.get("/transfers/national/?partial=1&urgency=emergency").content.decode()
    points = json.loads(live.split('id="transfers-points" type="application/json">')[1].split("</script>")[0])
    assert [(p["id"], p["state"], p["at"]) for p in points] == [(t.pk, "requested", [50.0, 70.0])]
    none = nc.get("/transfers/national/?partial=1&urgency=planned").content.decode()
    assert '"id"' not in none.split('id="transfers-points"')[1]


def test_statistics_page_and_csv(net):
    request(net["D"], net["H1"])
    nc = _client("nc", "national_coordinator")
    page = nc.get("/transfers/stats/").content.decode()
    assert f'<td title="KZ-35">{net["region"].name_en}</td>' in page
    r = nc.get("/transfers/stats.csv")
    assert r["Content-Type"].startswith("text/csv") and r.content.decode().splitlines()[1].startswith("KZ-35,")
    assert _client("doc", "clinician", facility=net["D"]).get("/transfers/stats/").status_code == 403


def test_security_officer_is_refused_the_list_with_a_page(net):
    c = _client("so", "security_officer", facility=net["D"])
    assert c.get("/transfers/").status_code == 403

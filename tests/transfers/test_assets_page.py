"""The fleet page, reached from the dispatcher's page: list, add, edit (stale edits refused), others' refused."""

from __future__ import annotations

import pytest
from django.test import Client

from jedel.transfers.models import TransportAsset
from tests.capacity.capacity_helpers import make_user
from tests.transfers.helpers import asset

pytestmark = pytest.mark.django_db


def _client(username, role, **kw):
    c = Client()
    c.force_login(make_user(username, role, **kw))
    return c


def test_add_and_edit_from_the_page(net):
    nc = _client("nc", "national_coordinator")
    assert b"/transfers/assets/" in nc.get("/transfers/dispatch/").content
    r = nc.post("/transfers/assets/", {"kind": "fixed_wing", "call_sign": "KZ-F1", "operator": "Kazavia",
                                       "base": "T-AIR", "crew_type": "critical_care",
                                       "equipment": ["ventilator", "incubator"], "night_capable": "on"})
    assert r.status_code == 302
    a = TransportAsset.objects.get(call_sign="KZ-F1")
    assert (a.kind, a.base.code, a.crew_type, a.equipment, a.night_capable, a.version) == (
        "fixed_wing", "T-AIR", "critical_care", ["incubator", "ventilator"], True, 1)
    listing = nc.get("/transfers/assets/")
    assert listing.status_code == 200 and b"KZ-F1" in listing.content
    page = nc.get(f"/transfers/assets/?edit={a.pk}")
    assert page.status_code == 200 and b"KZ-F1" in page.content
    nc.post("/transfers/assets/", {"asset": a.pk, "version": 1, "call_sign": "KZ-F1", "operator": "Berkut",
                                   "base": "T-AIR", "crew_type": "paramedic"})
    a.refresh_from_db()
    assert (a.operator, a.crew_type, a.equipment, a.night_capable, a.version) == ("Berkut", "paramedic", [], False, 2)
    nc.post("/transfers/assets/", {"asset": a.pk, "version": 1, "call_sign": "KZ-F1", "operator": "Stale",
                                   "base": "T-AIR", "crew_type": "paramedic"})
    a.refresh_from_db()
    assert a.operator == "Berkut"


def test_a_regional_coordinator_cannot_edit_aircraft_from_the_page(net):
    heli = asset("HELI-1", "helicopter", net["AIR"])
    rc = _client("rc", "regional_coordinator", region=net["region"])
    r = rc.post("/transfers/assets/", {"asset": heli.pk, "version": 1, "call_sign": "HELI-1", "operator": "X",
                                       "base": "T-AIR", "crew_type": "paramedic"})
    assert r.status_code == 403
    assert TransportAsset.objects.get(pk=heli.pk).operator == "Kazavia"


def test_an_empty_call_sign_or_unknown_crew_from_the_page_changes_nothing(net):
    nc = _client("nc", "national_coordinator")
    heli = asset("HELI-1", "helicopter", net["AIR"])
    for bad in ({"call_sign": ""}, {"crew_type": "pilot"}):
        r = nc.post("/transfers/assets/", {"asset": heli.pk, "version": 1, "call_sign": "HELI-1", "base": "T-AIR",
                                           "crew_type": "paramedic", **bad})
        assert r.status_code == 302
    heli.refresh_from_db()
    assert (heli.call_sign, heli.crew_type, heli.version) == ("HELI-1", "physician", 1)
    nc.post("/transfers/assets/", {"kind": "boat", "call_sign": "B-1", "base": "T-AIR", "crew_type": "paramedic"})
    assert not TransportAsset.objects.filter(call_sign="B-1").exists()

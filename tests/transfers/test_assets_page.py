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
    page = rc.get(f"/transfers/assets/?edit={heli.pk}")
    assert b"You may not edit this transport asset." in page.content and b'<select name="base"' not in page.content


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


def _bases(page) -> list[tuple[str, list[tuple[str, str]]]]:
    """The base select's option groups as (region, [(code, name)]), read from the page's HTML."""
    import re

    html = page.content.decode()
    select = html[html.index('<select name="base"'):html.index("</select>", html.index('<select name="base"'))]
    return [(label, re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', group))
            for label, group in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select)]


def test_the_base_is_chosen_by_name_from_the_facilities_in_scope(net):
    from jedel.facilities.models import Facility
    from tests.transfers.helpers import facility

    facility(net["region"], "T-OLD", 50.9)
    Facility.objects.filter(code="T-OLD").update(active=False)  # closed: no longer a base
    coordinator = make_user("rc", "regional_coordinator", region=net["region"])
    rc = Client()
    rc.force_login(coordinator)
    nc = _client("nc", "national_coordinator")
    # KZ-35 (Karaganda Region, the coordinator's) holds T-AIR, T-D, T-H3, T-H4; KZ-71 (Astana) holds T-H1, T-H2.
    karaganda = [("T-AIR", "Hospital T-AIR"), ("T-D", "Hospital T-D"), ("T-H3", "Hospital T-H3"),
                 ("T-H4", "Hospital T-H4")]
    page = rc.get("/transfers/assets/")
    assert _bases(page) == [("Karaganda Region", karaganda)]
    assert b'<select name="kind"><option value="road">Road ambulance</option></select>' in page.content  # no aircraft
    assert b"Base facility code" not in page.content
    assert _bases(nc.get("/transfers/assets/")) == [
        ("Karaganda Region", karaganda), ("Astana", [("T-H1", "Hospital T-H1"), ("T-H2", "Hospital T-H2")])]
    rc.cookies["django_language"] = "ru"
    assert _bases(rc.get("/transfers/assets/")) == [("Карагандинская область", [
        ("T-AIR", "Больница T-AIR"), ("T-D", "Больница T-D"), ("T-H3", "Больница T-H3"), ("T-H4", "Больница T-H4")])]
    # A facility's manager adds no asset: no form at all.
    manager = _client("fm", "facility_manager", facility=net["D"]).get("/transfers/assets/")
    assert manager.status_code == 200 and b'<select name="base"' not in manager.content


def test_a_base_outside_the_list_posted_by_hand_is_a_form_error(net):
    rc = _client("rc", "regional_coordinator", region=net["region"])
    road = {"kind": "road", "call_sign": "EMS-35-9", "operator": "EMS", "crew_type": "paramedic",
            "equipment": ["oxygen"]}
    for code in ("T-H1", "NO-SUCH", ""):  # another region's hospital, an unknown code, none
        r = rc.post("/transfers/assets/", {**road, "base": code})
        assert r.status_code == 200
        assert "Choose the base from the list: you may not station this asset there." in r.content.decode()
        assert b'value="EMS-35-9"' in r.content  # what was typed stays
    assert not TransportAsset.objects.filter(call_sign="EMS-35-9").exists()
    assert rc.post("/transfers/assets/", {**road, "base": "T-D"}).status_code == 302
    made = TransportAsset.objects.get(call_sign="EMS-35-9")
    assert (made.base.code, made.region.iso_code) == ("T-D", "KZ-35")
    r = rc.post("/transfers/assets/", {"asset": made.pk, "version": 1, "call_sign": "EMS-35-9", "base": "T-H2",
                                       "crew_type": "paramedic"})
    assert r.status_code == 200 and b"Choose the base from the list" in r.content
    made.refresh_from_db()
    assert (made.base.code, made.version) == ("T-D", 1)
    assert rc.post("/transfers/assets/", {"asset": 99999, "version": 1, "call_sign": "X", "base": "T-D",
                                          "crew_type": "paramedic"}).status_code == 404

"""Receiving facilities ranked from the live board, against hand-computed distances and road times.

Road time (core model, rural): distance × 1.3 detour / 60 km/h × 60 = 1.3 min per km.
H1: 1° north = 111.195 km → 144.55 min, 2 vacant AdultICU beds; H2: 2° = 222.390 km → 289.11 min, 9 beds.
H3 lacks neurosurgery; H4 has no vacant AdultICU bed; the air base admits nobody; D is the sender.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.transfers.engines import destinations_rank
from jedel.transfers.services.requests import transfer_decline, transfer_route
from tests.transfers.helpers import NATIONAL, NOW, beds, facility, request, staff

pytestmark = pytest.mark.django_db


def _ranked(t, **kw):
    r = destinations_rank(t, now=NOW, **kw)
    return r, [(d.code, round(d.distance_km, 2), round(d.travel_min, 2), d.beds_available) for d in r.destinations]


def test_capable_hospitals_with_a_free_bed_ranked_by_road_time(net):
    r, rows = _ranked(request(net["D"]))
    assert r.reason_code == ""
    assert rows == [("T-H1", 111.2, 144.55, 2), ("T-H2", 222.39, 289.11, 9)]


def test_equal_times_rank_more_free_beds_first(net):
    twin = facility(net["other"], "T-H0", 51.0, neurosurgery=True)  # same place as H1, 5 vacant beds
    beds(twin, ("AdultICU", 10, 5))
    _, rows = _ranked(request(net["D"]))
    assert [c for c, *_ in rows] == ["T-H0", "T-H1", "T-H2"]


def test_a_facility_that_declined_is_left_out(net):
    t = request(net["D"], net["H1"])
    transfer_decline(actor=staff(net["H1"]), transfer_id=t.pk, reason="full", now=NOW)
    _, rows = _ranked(t)
    assert [c for c, *_ in rows] == ["T-H2"]


def test_bed_type_decides_who_has_room(net):
    # Medical/surgical beds: only H4 reports them (10 vacant) and it has neurosurgery.
    _, rows = _ranked(request(net["D"], bed_type="MedicalSurgical"))
    assert rows == [("T-H4", 22.24, 28.91, 10)]  # 0.2° = 22.239 km × 1.3


def test_no_capability_anywhere_says_so(net):
    r, rows = _ranked(request(net["D"], capabilities=["burns"]))
    assert (rows, r.reason_code) == ([], "no_capability")
    assert "burns" in r.reason


def test_no_free_bed_of_the_type_says_so(net):
    r, rows = _ranked(request(net["D"], bed_type="NeonatalICU"))
    assert (rows, r.reason_code) == ([], "no_beds")


def test_out_of_range_says_so(net):
    r, rows = _ranked(request(net["D"]), max_km=100.0)  # H1 is 111.2 km away
    assert (rows, r.reason_code) == ([], "out_of_range")
    _, rows = _ranked(request(net["D"]), max_km=150.0)
    assert [c for c, *_ in rows] == ["T-H1"]


def test_overdue_reports_do_not_count(net):
    beds(net["H1"], ("AdultICU", 10, 0), minutes_ago=300, now=NOW)  # an older report does not replace the current
    _, rows = _ranked(request(net["D"]))
    assert rows[0][0] == "T-H1"
    r = destinations_rank(request(net["D"]), now=NOW + timedelta(hours=4, minutes=10))  # all reports overdue
    assert r.reason_code == "no_live_hospital"


def test_route_then_rank_uses_the_same_board(net):
    t = request(net["D"])
    transfer_route(actor=NATIONAL, transfer_id=t.pk, destination="T-H1", now=NOW)
    _, rows = _ranked(t)
    assert rows[0][0] == "T-H1"

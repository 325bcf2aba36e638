"""The per-facility status cache: a poll re-reads only facilities whose stamp changed; freshness is exact per request."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import cache
from tests.capacity.capacity_helpers import NATIONAL, NOW, make_facility, make_user, report

from jedel.capacity.models import FacilityStatus
from jedel.capacity.selectors import status_cache
from jedel.capacity.services.reports import report_submit

# Import every view before a test pins jedel.common.clock.utcnow: a module doing `from jedel.common.clock import
# utcnow` during a pinned test would keep the pinned clock for the rest of the session.
import_module(settings.ROOT_URLCONF)
from jedel.facilities.services.registry import facility_deactivate, facility_update


@pytest.fixture(autouse=True)
def _empty_cache():  # the totals and geojson still use the shared cache
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The API's clock, pinned; `clock.now = ...` moves it."""

    class Clock:
        now = NOW

    monkeypatch.setattr("jedel.common.clock.utcnow", lambda: Clock.now)
    return Clock


@pytest.fixture
def builds(monkeypatch):
    """The facility codes whose status was rebuilt (cache misses), in order."""
    rebuilt: list[str] = []
    rebuild = status_cache.rebuild

    def counting(facility_ids):
        dumps = rebuild(facility_ids)
        rebuilt.extend(sorted(d["code"] for d in dumps.values()))
        return dumps

    monkeypatch.setattr(status_cache, "rebuild", counting)
    return rebuilt


@pytest.fixture
def hospitals(kz, client):
    a = make_facility(kz["KZ-75"], "A", interval=60)
    b = make_facility(kz["KZ-71"], "B")
    _submit(a, 30, bed_rows=(("AdultICU", 10, 6),))
    _submit(b, 5, bed_rows=(("AdultICU", 4, 1),))
    client.force_login(make_user("v", "viewer"))
    return {"A": a, "B": b}


def _submit(facility, minutes_ago, **kw):
    return report_submit(actor=NATIONAL, facility=facility, data=report(NOW, minutes_ago=minutes_ago, **kw),
                         source="web", now=NOW)


def _status(client, **query):
    response = client.get("/api/status", query)
    assert response.status_code == 200, response.content
    return {s["code"]: s for s in response.json()}


def _almaty(client):
    return next(r for r in client.get("/api/status/regions").json()["regions"] if r["iso"] == "KZ-75")


def test_a_second_poll_is_served_from_the_cache(client, hospitals, clock, builds):
    first = client.get("/api/status").content
    assert (client.get("/api/status").content, builds) == (first, ["A", "B"])
    _almaty(client), _almaty(client)
    assert builds == ["A", "B"]  # the totals are summed from the same per-facility entries


def test_a_new_report_changes_the_answer_at_once(client, hospitals, clock, builds):
    assert _status(client)["A"]["current"]["beds"]["AdultICU"]["available"] == 4
    assert _almaty(client)["available"] == 4
    _submit(hospitals["A"], 1, bed_rows=(("AdultICU", 10, 9),))
    status = _status(client)
    assert (status["A"]["current"]["beds"]["AdultICU"]["available"], status["A"]["minutes_ago"]) == (1, 1)
    assert _almaty(client)["available"] == 1
    assert builds == ["A", "B", "A"]  # only the facility that reported is re-read


def test_a_backfilled_report_does_not_invalidate(client, hospitals, clock, builds):
    before = client.get("/api/status").content
    totals = client.get("/api/status/regions").content
    late = _submit(hospitals["A"], 45, bed_rows=(("AdultICU", 10, 0),))
    assert late.became_current is False
    assert client.get("/api/status").content == before
    assert client.get("/api/status/regions").content == totals
    assert builds == ["A", "B"]


def test_a_facility_rename_changes_the_answer_at_once(client, hospitals, clock, builds):
    assert _status(client)["A"]["name"] == "Hospital A"
    # Pinned `now`: updated_at goes back in time, so max(updated_at) alone would not see this edit.
    facility_update(actor=NATIONAL, code="A", version=1, changes={"name_en": "Renamed A"}, now=NOW - timedelta(days=9))
    assert _status(client)["A"]["name"] == "Renamed A"
    facility_update(actor=NATIONAL, code="A", version=2, changes={"kind": "ambulance_station"}, now=NOW)
    assert (_status(client)["A"]["kind"], _status(client, kind="city_hospital").keys()) == (
        "ambulance_station", {"B"})
    assert builds == ["A", "B", "A", "A"]


def test_deactivation_and_a_new_facility_change_the_answer_at_once(client, hospitals, clock, kz):
    assert set(_status(client)) == {"A", "B"} and _almaty(client)["facilities"] == 1
    facility_deactivate(actor=NATIONAL, code="A", now=NOW - timedelta(days=9))
    assert set(_status(client)) == {"B"} and _almaty(client)["facilities"] == 0
    make_facility(kz["KZ-75"], "NEW")
    assert set(_status(client)) == {"B", "NEW"} and _almaty(client)["facilities"] == 1


def test_crossing_a_minute_recomputes_minutes_ago_and_overdue_from_the_cache(client, hospitals, clock, builds):
    # A reported 30 min ago with a 60-minute interval.
    assert (_status(client)["A"]["minutes_ago"], _status(client)["A"]["overdue"]) == (30, False)
    clock.now = NOW + timedelta(minutes=1)
    assert _status(client)["A"]["minutes_ago"] == 31
    clock.now = NOW + timedelta(minutes=30)
    assert (_status(client)["A"]["minutes_ago"], _status(client)["A"]["overdue"]) == (60, False)
    assert _almaty(client)["overdue"] == 0
    assert list(_status(client, overdue="true")) == []
    clock.now = NOW + timedelta(minutes=30, seconds=1)  # one second past the interval: overdue
    assert (_status(client)["A"]["minutes_ago"], _status(client)["A"]["overdue"]) == (60, True)
    assert list(_status(client, overdue="true")) == ["A"]
    assert (_almaty(client)["overdue"], _almaty(client)["reporting"]) == (1, 0)
    assert builds == ["A", "B"]  # all of it from the entries built once


def test_minutes_tick_at_the_report_second_not_the_clock_minute(client, kz, clock):
    f = make_facility(kz["KZ-75"], "S")
    report_submit(actor=NATIONAL, facility=f, data=report(NOW - timedelta(minutes=9, seconds=30)), source="web",
                  now=NOW)
    client.force_login(make_user("v", "viewer"))
    assert _status(client)["S"]["minutes_ago"] == 9
    clock.now = NOW + timedelta(seconds=29)
    assert _status(client)["S"]["minutes_ago"] == 9
    clock.now = NOW + timedelta(seconds=30)  # mid-minute on the clock; a per-minute cache key would miss it
    assert _status(client)["S"]["minutes_ago"] == 10


def test_pointer_moves_committed_out_of_id_order_are_seen(client, kz, clock):
    """Two reports written concurrently may commit in the opposite order of their ids: the pointer then
    moves to an id below the maximum; each facility's own report id is in its stamp, so it is seen."""
    client.force_login(make_user("v", "viewer"))
    a, b = make_facility(kz["KZ-75"], "A"), make_facility(kz["KZ-75"], "B")
    old = _submit(a, 60, bed_rows=(("AdultICU", 10, 9),))
    first, second = _submit(a, 30, bed_rows=(("AdultICU", 10, 2),)), _submit(b, 20)  # first.id < second.id
    assert first.id < second.id
    FacilityStatus.objects.filter(facility=a).update(report=old, reported_at=old.reported_at)
    assert _status(client)["A"]["current"]["beds"]["AdultICU"]["available"] == 1
    FacilityStatus.objects.filter(facility=a).update(report=first, reported_at=first.reported_at)
    assert _status(client)["A"]["current"]["beds"]["AdultICU"]["available"] == 8


def test_the_language_is_part_of_the_key(client, hospitals, clock):
    assert _status(client)["A"]["name"] == "Hospital A"
    ru = client.get("/api/status", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert {s["code"]: s["name"] for s in ru}["A"] == "Больница A"
    assert _status(client)["A"]["name"] == "Hospital A"


def test_permission_is_checked_before_the_cache_is_read(client, hospitals, clock):
    assert client.get("/api/status").status_code == 200  # warm
    assert client.get("/api/status/regions").status_code == 200
    client.logout()
    assert client.get("/api/status").status_code == 401
    assert client.get("/api/status/regions").status_code == 401


def test_a_warm_read_is_one_query_and_the_stamps_name_each_current_report(django_assert_num_queries, hospitals):
    from jedel.capacity.selectors.status_values import StatusQuery

    status_cache.current_dumps(StatusQuery())
    with django_assert_num_queries(1):
        dumps = status_cache.current_dumps(StatusQuery())
    assert [d["code"] for d in dumps] == ["B", "A"]  # registry order: KZ-71 before KZ-75
    stamps = dict(status_cache.stamps(StatusQuery()))
    assert stamps[hospitals["A"].pk][1] == FacilityStatus.objects.get(facility=hospitals["A"]).report_id

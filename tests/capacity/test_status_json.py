"""GET /api/status serves the status model's own JSON from the cache: held byte for byte to the uncached model,
with freshness exact at the request's clock; /status/regions held to what TotalsOut produces."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from ninja.renderers import JSONRenderer
from tests.capacity.capacity_helpers import NATIONAL, NOW, make_facility, make_user, report

from jedel.capacity.models import CapacityReport
from jedel.facilities.models import Facility
from jedel.capacity.schemas import TotalsOut, totals_json, totals_out, totals_parts
from jedel.capacity.selectors.status import StatusQuery, status_rows, status_values_matching
from jedel.capacity.selectors.status_model import dumps_json, with_freshness
from jedel.capacity.selectors.totals import national_totals, region_totals, region_totals_base
from jedel.capacity.services.reports import report_submit

# Import every view before a test pins jedel.common.clock.utcnow: a module doing `from jedel.common.clock import
# utcnow` during a pinned test would keep the pinned clock for the rest of the session.
import_module(settings.ROOT_URLCONF)

FILTERS = [
    {}, {"region": "KZ-75"}, {"region": "KZ-00"}, {"kind": "childrens"}, {"kind": "ambulance_station"},
    {"capability": "burns"}, {"capability": "ct"}, {"bed_type": "AdultICU"}, {"bed_type": "AdultICU", "min_available": 1},
    {"bed_type": "MedicalSurgical", "min_available": 11}, {"min_available": 13}, {"min_available": 0},
    {"overdue": "true"}, {"overdue": "true", "region": "KZ-75"}, {"bed_type": "Burn"},
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def network(kz):
    """Every shape a status item takes: beds out of board order, nulls, escapes, microseconds, no report."""
    a = make_facility(kz["KZ-75"], "A", has_burns=True, has_ct=True)
    Facility.objects.filter(pk=a.pk).update(lat=43.2567891234, lon=76.9286)  # a float with many digits
    b = make_facility(kz["KZ-75"], "B", kind="childrens", interval=60, name_kk="", name_ru='Больница "№2" \\ ё')
    make_facility(kz["KZ-75"], "C")  # never reported
    d = make_facility(kz["KZ-71"], "D", kind="ambulance_station", has_helipad=True)
    e = make_facility(kz["KZ-71"], "E", synthetic=True, interval=15)
    make_facility(kz["KZ-71"], "GONE", active=False)
    _submit(a, NOW - timedelta(minutes=10, seconds=7, microseconds=123456),
            bed_rows=(("MedicalSurgical", 40, 30, None, 7), ("Burn", 4, 4), ("AdultICU", 10, 6)),
            ed_status="diversion", ed_status_reason='CT "down" — ремонт\n\\', ventilators_total=8,
            ventilators_in_use=3, ct_operational=False, xray_operational=True, lab_tests_capacity_per_day=500,
            lab_tests_performed_per_day=120, mci_immediate_per_hour=2, mci_delayed_per_hour=5,
            mci_minimal_per_hour=20, oxygen_status="limited")
    _submit(b, NOW - timedelta(minutes=90), bed_rows=(("AdultICU", 4, 4), ("Pediatrics", None, None, 3)))
    _submit(d, NOW - timedelta(minutes=1), bed_rows=(), oxygen_status="adequate")
    _submit(e, NOW - timedelta(seconds=30), bed_rows=(("MedicalSurgical", 20, 5, 12, 0),), ed_status="closed",
            ed_status_reason="flood")
    _submit(e, NOW - timedelta(minutes=5), bed_rows=(("MedicalSurgical", 1, 1),))  # backfill, not current


def _submit(facility, at, **kw):
    report_submit(actor=NATIONAL, facility=facility, data=report(at, **kw), source="web", now=NOW)


def _rendered(items) -> bytes:
    """Exactly what ninja sends for a response of plain dicts."""
    return JSONRenderer().render(None, items, response_status=200).encode()


def _model_path(now, **filters) -> bytes:
    """The uncached path: the status model built from the database at `now`, dumped by pydantic."""
    return dumps_json([r.model_dump(mode="json") for r in status_rows(now=now, **filters)])


@pytest.mark.parametrize("now", [NOW, NOW + timedelta(minutes=50, seconds=53), NOW + timedelta(days=3)])
def test_cached_dumps_with_freshness_are_the_model_at_that_time(network, now):
    rows = status_values_matching(StatusQuery(), detail=False)
    assert [r.code for r in rows] == ["D", "E", "A", "B", "C"]
    cached = [r.model_dump(mode="json") for r in rows]
    assert [with_freshness(d, now) for d in cached] == [r.at(now).model_dump(mode="json") for r in rows]
    assert dumps_json([with_freshness(d, now) for d in cached]) == _model_path(now)


def test_item_content_survives_the_round_trip(network):
    items = {i["code"]: i for i in json.loads(_model_path(NOW))}
    a = items["A"]
    assert a["reported_at"] == "2026-03-10T05:49:52.876544Z"  # pydantic: microseconds, Z
    assert (a["minutes_ago"], a["overdue"], a["lat"], a["capabilities"]) == (10, False, 43.2567891234, ["burns", "ct"])
    assert list(a["current"]["beds"]) == ["AdultICU", "MedicalSurgical", "Burn"]  # board order
    assert a["current"]["ed_status_reason"] == 'CT "down" — ремонт\n\\'
    assert items["B"]["names"] == {"en": "Hospital B", "kk": "", "ru": 'Больница "№2" \\ ё'}
    assert items["B"]["current"]["beds"]["Pediatrics"] == {"staffed": None, "occupied": None, "available": 3,
                                                           "surge_24h": None}
    assert (items["C"]["current"], items["C"]["minutes_ago"], items["C"]["overdue"]) == (None, None, True)
    # Derived figures are the model's computed fields: A has 6 of 10 ICU and 30 of 40 ward beds occupied, and
    # 4 of 4 burn beds; 8 ventilators, 3 in use.
    assert (a["icu_available"], a["available_total"], a["occupancy_pct"], a["ventilators_free"]) == (
        4, 14, round(100 * 40 / 54, 1), 5)
    assert (a["marker_status"], items["C"]["marker_status"], items["D"]["marker_status"]) == (
        "diversion", "overdue", "open")
    assert (items["D"]["overdue"], items["D"]["current"]["beds"]) == (False, {})
    assert items["E"]["current"]["ed_status"] == "closed"  # the backfilled report did not replace it
    assert CapacityReport.objects.filter(facility__code="E").count() == 2


@pytest.mark.parametrize("query", FILTERS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_endpoint_answers_as_the_model_path_for_every_filter(client, network, monkeypatch, query):
    monkeypatch.setattr("jedel.common.clock.utcnow", lambda: NOW + timedelta(minutes=1))
    client.force_login(make_user("v", "viewer"))
    response = client.get("/api/status", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    filters = {"region_iso": query.get("region"), "kind": query.get("kind"), "capability": query.get("capability"),
               "bed_type": query.get("bed_type"), "overdue_only": query.get("overdue") == "true",
               "min_available": query.get("min_available")}
    with translation.override("en"):  # the request's language
        assert response.content == _model_path(NOW + timedelta(minutes=1), **filters)
    assert client.get("/api/status", query).content == response.content  # again, from the cache


def test_names_follow_the_request_language(client, network):
    client.force_login(make_user("v", "viewer"))

    def names(lang):
        return {i["code"]: i["name"] for i in client.get("/api/status", HTTP_ACCEPT_LANGUAGE=lang).json()}

    assert names("ru")["B"] == 'Больница "№2" \\ ё'
    assert names("en")["B"] == "Hospital B"
    assert names("kk")["B"] == "Hospital B"  # no Kazakh name: English
    assert names("kk")["A"] == "Аурухана A"


@pytest.mark.parametrize("now", [NOW, NOW + timedelta(minutes=31), NOW + timedelta(days=3)])
def test_fast_totals_json_is_what_totalsout_gives(client, network, monkeypatch, now):
    with translation.override("en"):  # the request's language (region names are translated)
        regions = region_totals(now)
        expected = TotalsOut(regions=[totals_out(t) for t in regions],
                             national=totals_out(national_totals(now, regions=regions))).model_dump()
        assert totals_json(totals_parts(region_totals_base()), now=now) == _rendered(expected)
    monkeypatch.setattr("jedel.common.clock.utcnow", lambda: now)
    client.force_login(make_user("v", "viewer"))
    response = client.get("/api/status/regions")
    assert (response.status_code, response["Content-Type"]) == (200, "application/json; charset=utf-8")
    assert response.content == _rendered(expected)
    almaty = next(r for r in response.json()["regions"] if r["iso"] == "KZ-75")
    assert (almaty["facilities"], almaty["expected"]) == (3, 3)


def test_openapi_documents_a_list_of_the_status_model(client):
    from jedel.config.api import api

    schema = api.get_openapi_schema()
    ok = schema["paths"]["/api/status"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"items": {"$ref": "#/components/schemas/StatusRow"}, "title": "Response",
                  "type": "array"}
    ok = schema["paths"]["/api/status/regions"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/TotalsOut"}

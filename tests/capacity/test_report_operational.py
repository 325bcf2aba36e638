"""Operational status in the ordinary report (issue 7): FacilityStatus, SecurityStatus, staffing and Activity24Hr
travel in ReportInput (service), ReportIn / ReportOut (API) and the report form, checked by the report rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.capacity.capacity_helpers import NOW, make_facility, make_user, manager_of, report

from jedel.capacity.models import CapacityReport
from jedel.capacity.report_input import ReportInput
from jedel.capacity.services.report_rules import is_empty
from jedel.capacity.services.reports import report_submit
from jedel.common.clock import utcnow
from jedel.common.errors import ValidationFailed

OPERATIONAL = {"facility_status": "evacuating", "security_status": "lockdown", "staffing": "insufficient",
               "admissions_24h": 12, "discharges_24h": 30, "deaths_24h": 2}


@pytest.fixture
def hospital(kz):
    return make_facility(kz["KZ-75"], "ALA-OP")


def _stored(pk: int) -> dict:
    return CapacityReport.objects.filter(pk=pk).values(*OPERATIONAL).get()


def test_a_report_stores_its_operational_status(hospital):
    stored = report_submit(actor=manager_of(hospital), facility=hospital, source="web", now=NOW,
                           data=report(NOW, **OPERATIONAL))
    assert _stored(stored.pk) == OPERATIONAL


def test_the_operational_status_alone_is_a_report(hospital):
    """An evacuating hospital says something even with no bed figure: not empty, it resets the clock."""
    data = ReportInput(reported_at=NOW, facility_status="evacuating")
    assert is_empty(data) is False
    stored = report_submit(actor=manager_of(hospital), facility=hospital, source="web", now=NOW, data=data)
    assert _stored(stored.pk) == {**dict.fromkeys(OPERATIONAL, None), "facility_status": "evacuating",
                                  "security_status": "", "staffing": ""}


@pytest.mark.parametrize("name, value", [("security_status", "lockdown"), ("staffing", "adequate"),
                                         ("admissions_24h", 0), ("deaths_24h", 3)])
def test_each_operational_value_counts_in_the_empty_check(name, value):
    assert is_empty(ReportInput(reported_at=NOW)) is True
    assert is_empty(ReportInput(reported_at=NOW, **{name: value})) is False


@pytest.mark.parametrize("fields, expected", [
    ({"facility_status": "burning"}, [("bad_value", ["facility_status"])]),
    ({"security_status": "relaxed"}, [("bad_value", ["security_status"])]),
    ({"staffing": "plenty"}, [("bad_value", ["staffing"])]),
    ({"admissions_24h": -1}, [("negative_count", ["admissions_24h"])]),
    ({"discharges_24h": 1_000_001}, [("bad_value", ["discharges_24h"])]),
])
def test_bad_operational_values_are_refused_by_the_report_rules(hospital, fields, expected):
    with pytest.raises(ValidationFailed) as exc:
        report_submit(actor=manager_of(hospital), facility=hospital, source="web", now=NOW, data=report(NOW, **fields))
    assert [(e["code"], e["loc"]) for e in exc.value.errors] == expected
    assert CapacityReport.objects.count() == 0


def test_an_empty_report_is_still_refused(hospital):
    with pytest.raises(ValidationFailed) as exc:
        report_submit(actor=manager_of(hospital), facility=hospital, source="web", now=NOW,
                      data=ReportInput(reported_at=NOW))
    assert [(e["code"], e["loc"]) for e in exc.value.errors] == [("required", [])]


# --- API


@pytest.fixture
def api(client, hospital):
    client.force_login(make_user("op-api", "national_coordinator"))
    return client


def _body(**extra) -> dict:
    return {"reported_at": (utcnow() - timedelta(minutes=1)).isoformat(), **extra}


def test_the_api_takes_and_returns_the_operational_status(api):
    response = api.post("/api/facilities/ALA-OP/reports", _body(**OPERATIONAL), content_type="application/json")
    assert response.status_code == 201
    assert {k: response.json()[k] for k in OPERATIONAL} == OPERATIONAL
    history = api.get("/api/facilities/ALA-OP/reports").json()
    assert [{k: r[k] for k in OPERATIONAL} for r in history] == [OPERATIONAL]


def test_the_api_reports_an_unstated_operational_status_as_empty(api):
    response = api.post("/api/facilities/ALA-OP/reports", _body(ventilators_total=3), content_type="application/json")
    assert {k: response.json()[k] for k in OPERATIONAL} == {
        "facility_status": "", "security_status": "", "staffing": "", "admissions_24h": None,
        "discharges_24h": None, "deaths_24h": None}


@pytest.mark.parametrize("fields, code, loc", [
    ({"facility_status": "burning"}, "bad_value", ["facility_status"]),
    ({"security_status": "relaxed"}, "bad_value", ["security_status"]),
    ({"deaths_24h": -2}, "negative_count", ["deaths_24h"]),
])
def test_the_api_refuses_bad_operational_values_with_their_code(api, fields, code, loc):
    response = api.post("/api/facilities/ALA-OP/reports", _body(ventilators_total=3, **fields),
                        content_type="application/json")
    assert response.status_code == 422
    assert [(e["code"], e["loc"]) for e in response.json()["detail"]] == [(code, loc)]
    assert CapacityReport.objects.count() == 0


def test_the_api_refuses_a_count_sent_as_a_string(api):
    response = api.post("/api/facilities/ALA-OP/reports", _body(admissions_24h="5"), content_type="application/json")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "data", "admissions_24h"]]


# --- The report form


@pytest.fixture
def manager(client, hospital):
    client.force_login(make_user("op-mgr", "facility_manager", facility=hospital))
    return client


def _form(**extra) -> dict:
    at = (utcnow() + timedelta(hours=5) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")  # Almaty time
    data = {"reported_at": at, "ed_status": "open", "oxygen_status": "adequate", "beds-TOTAL_FORMS": "0",
            "beds-INITIAL_FORMS": "0"}
    return data | extra


def test_the_form_folds_the_operational_section_and_prefills_it_from_the_last_report(manager, hospital):
    page = manager.get("/facilities/ALA-OP/report/").content.decode()
    assert '<details class="panel operational-section" id="operational-section">' in page
    report_submit(actor=manager_of(hospital), facility=hospital, source="web",
                  data=report(utcnow(), minutes_ago=5, **OPERATIONAL))
    page = manager.get("/facilities/ALA-OP/report/").content.decode()
    assert '<option value="evacuating" selected>' in page
    assert '<option value="lockdown" selected>' in page
    assert 'name="deaths_24h" value="2"' in page


def test_the_form_stores_the_operational_status(manager, hospital):
    response = manager.post("/facilities/ALA-OP/report/", _form(**{k: str(v) for k, v in OPERATIONAL.items()}))
    assert response.status_code == 302
    assert _stored(CapacityReport.objects.get().pk) == OPERATIONAL


def test_an_error_in_the_operational_section_unfolds_it(manager):
    response = manager.post("/facilities/ALA-OP/report/", _form(admissions_24h="-4"))
    assert response.status_code == 422
    page = response.content.decode()
    assert '<details class="panel operational-section" id="operational-section" open>' in page
    # The summary at the top links to the field, and the message states the range.
    assert '<a href="#id_admissions_24h">Admissions, last 24 h: Must be a whole number between 0 and 1000000.</a>' \
        in page
    assert CapacityReport.objects.count() == 0


def test_the_facility_page_shows_an_operational_status_reported_through_the_form(manager):
    manager.post("/facilities/ALA-OP/report/", _form(facility_status="evacuating", staffing="insufficient"))
    page = manager.get("/facilities/ALA-OP/").content.decode()
    assert '<span class="badge closed">Evacuating</span>' in page
    assert "<dd>Insufficient</dd>" in page

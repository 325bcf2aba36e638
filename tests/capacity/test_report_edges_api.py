"""Report submission at the API's edges: calendar extremes, the reported_at floor, strict counts, empty reports
and limits stated in messages (issue 7, "API edges" and "Facts")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.capacity.capacity_helpers import make_facility, make_user

from jedel.capacity.models import CapacityReport
from jedel.common.clock import utcnow

RANGE_MSG = "Value error, Must be between 2000-01-01 and 2100-01-01 (UTC)."


@pytest.fixture
def api(client, kz):
    make_facility(kz["KZ-75"], "ALA-A")
    client.force_login(make_user("edges", "national_coordinator"))
    return client


def _post(client, **body):
    body.setdefault("reported_at", (utcnow() - timedelta(minutes=1)).isoformat())
    return client.post("/api/facilities/ALA-A/reports", body, content_type="application/json")


def _errors(response):
    return [(e["code"], e["loc"], e["msg"]) for e in response.json()["detail"]]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                                    "1999-12-31T23:59:59Z", "2100-01-01T05:00:00+05:00"])
def test_reported_at_outside_2000_to_2100_is_422(api, moment):
    response = _post(api, reported_at=moment, ventilators_total=3)
    assert response.status_code == 422
    assert _errors(response) == [("invalid", ["body", "data", "reported_at"], RANGE_MSG)]
    assert CapacityReport.objects.count() == 0


@pytest.mark.parametrize("param", ["since", "until"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_history_bounds_at_the_calendar_edges_are_422(api, param, moment):
    response = api.get("/api/facilities/ALA-A/reports", {param: moment})
    assert response.status_code == 422
    assert _errors(response) == [("invalid", ["query", param], RANGE_MSG)]


def test_history_with_bounds_inside_the_range_still_works(api):
    response = api.get("/api/facilities/ALA-A/reports", {"since": "2000-01-01T00:00:00Z"})
    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize("field, value", [("ventilators_total", "5"), ("ventilators_total", True),
                                          ("ventilators_total", 5.0), ("ct_operational", 1),
                                          ("ct_operational", "yes")])
def test_counts_and_flags_of_the_wrong_json_type_are_refused(api, field, value):
    response = _post(api, **{field: value})
    assert response.status_code == 422
    assert [(c, loc) for c, loc, _ in _errors(response)] == [("invalid", ["body", "data", field])]


def test_bed_count_as_a_string_is_refused(api):
    response = _post(api, beds=[{"bed_type": "AdultICU", "staffed": "10", "occupied": 2}])
    assert response.status_code == 422
    assert [loc for _, loc, _ in _errors(response)] == [["body", "data", "beds", 0, "staffed"]]


def test_an_entirely_empty_report_is_refused_and_stores_nothing(api):
    response = _post(api)
    assert response.status_code == 422
    assert [(c, loc) for c, loc, _ in _errors(response)] == [("required", [])]
    assert _errors(response)[0][2].startswith("The report has no figures")
    assert CapacityReport.objects.count() == 0


@pytest.mark.parametrize("figure", [{"oxygen_status": "adequate"}, {"ct_operational": False},
                                    {"ed_status": "diversion", "ed_status_reason": "CT down"},
                                    {"mci_immediate_per_hour": 0}])
def test_one_figure_is_enough(api, figure):
    assert _post(api, **figure).status_code == 201


@pytest.mark.parametrize("value, code", [(-1, "negative_count"), (1_000_001, "bad_value")])
def test_count_errors_state_the_range(api, value, code):
    response = _post(api, ventilators_total=value)
    assert _errors(response) == [(code, ["ventilators_total"], "Must be a whole number between 0 and 1000000.")]
    response = _post(api, beds=[{"bed_type": "AdultICU", "staffed": 10, "occupied": value}])
    assert _errors(response) == [(code, ["beds", 0, "occupied"], "Must be a whole number between 0 and 1000000.")]


def test_reason_length_error_states_the_limit(api):
    response = _post(api, ed_status="diversion", ed_status_reason="x" * 301)
    assert _errors(response) == [("bad_value", ["ed_status_reason"], "At most 300 characters.")]


def test_form_and_import_paths_refuse_a_report_before_2000(kz):
    """The floor is a service rule too, so the web form and EDXL-HAVE import get it (not only the API schema)."""
    from datetime import UTC, datetime

    from jedel.capacity.report_input import ReportInput
    from jedel.capacity.services.report_rules import report_errors

    facility = make_facility(kz["KZ-75"], "ALA-B")
    data = ReportInput(reported_at=datetime(1999, 12, 31, tzinfo=UTC), ventilators_total=1)
    assert report_errors(facility=facility, data=data, now=utcnow()) == [
        {"code": "bad_value", "loc": ["reported_at"], "msg": "The report time must be on or after 2000-01-01."}]


@pytest.mark.parametrize("value", ["1700000000", "0", "2026-01-01", "2026-01-01T10:00:00"])
def test_history_bounds_must_be_iso_moments_with_an_offset(api, value):
    """pydantic alone would read digits as Unix seconds and a naive time as valid; the document says ISO + offset."""
    response = api.get("/api/facilities/ALA-A/reports", {"since": value})
    assert response.status_code == 422
    assert [loc for _, loc, _ in _errors(response)] == [["query", "since"]]

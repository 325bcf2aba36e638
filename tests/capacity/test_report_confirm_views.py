"""The "nothing changed" confirmation through the API (POST /api/facilities/{code}/reports/confirm) and the web
(the facility page's htmx button, the report form's button), and the board's confirmed-unchanged marker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.capacity.capacity_helpers import NATIONAL, make_facility, make_user, report

from jedel.accounts.services import SYSTEM, token_create
from jedel.capacity.models import CapacityReport
from jedel.capacity.services.reports import report_submit
from jedel.common.clock import utcnow

URL = "/api/facilities/ALA-C/reports/confirm"
MARK = "✓ confirmed unchanged</span>"


@pytest.fixture
def hospital(kz):
    """ALA-C reported 30 minutes ago; ALA-N never reported."""
    a = make_facility(kz["KZ-75"], "ALA-C")
    make_facility(kz["KZ-75"], "ALA-N")
    report_submit(actor=NATIONAL, facility=a, source="web", data=report(
        utcnow(), minutes_ago=30, bed_rows=(("AdultICU", 10, 6), ("MedicalSurgical", 80, 50)),
        ventilators_total=5, ventilators_in_use=2, staffing="adequate"))
    return a


@pytest.fixture
def token(hospital):
    return token_create(actor=SYSTEM, name="his", facility_id=hospital.pk)[1]


def _post(client, token, url=URL, body=None, key=None):
    headers = {"Authorization": f"Bearer {token}"} | ({"Idempotency-Key": key} if key else {})
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def test_the_api_confirms_now_with_an_empty_body_and_answers_with_the_carried_figures(client, token):
    response = _post(client, token)
    assert response.status_code == 201
    out = response.json()
    assert (out["facility"], out["confirmed_unchanged"], out["current"], out["source"]) == ("ALA-C", True, True, "api")
    assert {k: (b["staffed"], b["occupied"], b["available"]) for k, b in out["beds"].items()} == {
        "AdultICU": (10, 6, 4), "MedicalSurgical": (80, 50, 30)}
    assert (out["ventilators_total"], out["ventilators_in_use"], out["staffing"]) == (5, 2, "adequate")
    assert CapacityReport.objects.filter(confirmed_unchanged=True).count() == 1


def test_the_api_confirms_at_a_stated_time(client, token):
    at = (utcnow() - timedelta(minutes=2)).replace(microsecond=0)
    response = _post(client, token, body={"reported_at": at.isoformat()})
    assert response.status_code == 201
    assert CapacityReport.objects.get(confirmed_unchanged=True).reported_at == at


def test_the_api_refuses_a_confirmation_without_a_previous_report(client, kz, hospital):
    raw = token_create(actor=SYSTEM, name="his-n", facility_id=make_facility(kz["KZ-71"], "AST-N").pk)[1]
    response = _post(client, raw, url="/api/facilities/AST-N/reports/confirm")
    assert response.status_code == 422
    assert response.json() == {"detail": [{"code": "nothing_to_confirm", "loc": [],
                                           "msg": "There is no earlier report to confirm: submit the figures first."}]}


def test_the_api_refuses_another_facilitys_token_and_an_unknown_facility(client, token):
    response = _post(client, token, url="/api/facilities/ALA-N/reports/confirm")
    assert (response.status_code, response.json()["detail"][0]["code"]) == (403, "token_wrong_facility")
    response = _post(client, token, url="/api/facilities/NOPE/reports/confirm")
    assert (response.status_code, response.json()["detail"][0]["code"]) == (404, "unknown_facility")
    assert CapacityReport.objects.filter(confirmed_unchanged=True).count() == 0


def test_the_api_refuses_a_viewer(client, hospital):
    client.force_login(make_user("viewer", "viewer"))
    response = client.post(URL, {}, content_type="application/json")
    assert (response.status_code, response.json()["detail"][0]["code"]) == (403, "forbidden")


def test_a_retried_confirmation_with_its_idempotency_key_stores_one(client, token):
    first = _post(client, token, key="confirm-7")
    again = _post(client, token, key="confirm-7")
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json() == first.json()
    assert CapacityReport.objects.filter(confirmed_unchanged=True).count() == 1


def test_the_openapi_document_declares_the_confirmation(client):
    op = client.get("/api/openapi.json").json()["paths"]["/api/facilities/{code}/reports/confirm"]["post"]
    assert op["operationId"] == "confirm_report"
    assert sorted(op["responses"]) == ["201", "400", "401", "403", "404", "409", "413", "422", "503"]
    assert [(p["name"], p["in"]) for p in op["parameters"] if p["name"] == "Idempotency-Key"] == [
        ("Idempotency-Key", "header")]
    assert op["requestBody"]["required"] is True
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["ConfirmIn"]
    assert list(schema["properties"]) == ["reported_at"] and "required" not in schema


# --- Web


@pytest.fixture
def manager(client, hospital):
    client.force_login(make_user("mgr-c", "facility_manager", facility=hospital))
    return client


def test_the_facility_page_offers_the_htmx_confirmation_when_there_is_a_report(manager, kz):
    page = manager.get("/facilities/ALA-C/").content.decode()
    assert 'hx-post="/facilities/ALA-C/confirm/" hx-target="#current-status" hx-swap="outerHTML"' in page
    assert MARK not in page
    never = make_facility(kz["KZ-75"], "ALA-M")
    manager.force_login(make_user("mgr-m", "facility_manager", facility=never))
    assert 'id="confirm-unchanged"' not in manager.get("/facilities/ALA-M/").content.decode()


def test_the_htmx_confirmation_answers_with_the_refreshed_status_panel(manager):
    response = manager.post("/facilities/ALA-C/confirm/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('id="current-status"') == 1 and "<html" not in html
    stored = CapacityReport.objects.get(confirmed_unchanged=True)
    local = stored.reported_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Almaty"))
    assert f"Confirmed at {local:%H:%M}: the figures are unchanged." in html
    assert MARK in html and "(0 min ago)" in html and stored.source == "web"


def test_the_plain_confirmation_goes_back_to_the_facility_page_with_a_message(manager):
    response = manager.post("/facilities/ALA-C/confirm/", follow=True)
    assert response.redirect_chain == [("/facilities/ALA-C/", 302)]
    assert "the figures are unchanged." in response.content.decode()
    assert CapacityReport.objects.filter(confirmed_unchanged=True).count() == 1


def test_a_confirmation_is_refused_outside_the_scope(client, hospital, kz):
    other = make_facility(kz["KZ-71"], "AST-O")
    client.force_login(make_user("mgr-o", "facility_manager", facility=other))
    assert client.post("/facilities/ALA-C/confirm/").status_code == 403
    assert client.get("/facilities/ALA-C/confirm/").status_code == 405
    assert CapacityReport.objects.filter(confirmed_unchanged=True).count() == 0


def test_the_report_form_offers_the_confirmation(manager):
    page = manager.get("/facilities/ALA-C/report/").content.decode()
    assert '<form method="post" action="/facilities/ALA-C/confirm/" class="confirm-unchanged panel">' in page


def test_the_board_table_and_history_mark_a_confirmation(manager):
    manager.post("/facilities/ALA-C/confirm/")
    table = manager.get("/board/table/").content.decode()
    row = table[table.index('data-code="ALA-C"'):]
    row = row[:row.index("</tr>")]
    assert MARK in row
    assert MARK not in table[table.index('data-code="ALA-N"'):]
    page = manager.get("/facilities/ALA-C/").content.decode()
    history = page[page.index('id="reports-table"'):]
    assert history.count(MARK) == 1

"""The capacity API: submit with a facility token, 422 bodies with field paths, status, history, totals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.capacity.capacity_helpers import make_facility, make_user

from jedel.accounts.models import AuditEvent
from jedel.accounts.services import SYSTEM, token_create
from jedel.common.clock import utcnow
from jedel.capacity.models import CapacityReport


@pytest.fixture
def hospitals(kz):
    return {"A": make_facility(kz["KZ-75"], "ALA-A"), "B": make_facility(kz["KZ-75"], "ALA-B", interval=60),
            "C": make_facility(kz["KZ-71"], "AST-C", kind="ambulance_station", has_helipad=True)}


def _auth(facility) -> dict[str, str]:
    _, raw = token_create(actor=SYSTEM, name=f"his-{facility.code}", facility_id=facility.pk)
    return {"Authorization": f"Bearer {raw}"}


def _body(minutes_ago: int = 0, **extra) -> dict:
    return {"reported_at": (utcnow() - timedelta(minutes=minutes_ago)).isoformat(),
            "beds": [{"bed_type": "AdultICU", "staffed": 10, "occupied": 7},
                     {"bed_type": "MedicalSurgical", "staffed": 80, "occupied": 60, "available": 15,
                      "surge_24h": 10}],
            "ventilators_total": 8, "ventilators_in_use": 5, "oxygen_status": "adequate", **extra}


def _post(client, facility, body, headers):
    return client.post(f"/api/facilities/{facility.code}/reports", body, content_type="application/json",
                       headers=headers)


def test_submit_with_the_facility_token(client, hospitals):
    a = hospitals["A"]
    response = _post(client, a, _body(ed_status="diversion", ed_status_reason="CT down"), _auth(a))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["facility"], body["source"], body["reporter"], body["current"]) == ("ALA-A", "api", "token:his-ALA-A",
                                                                                      True)
    assert body["beds"] == {"AdultICU": {"staffed": 10, "occupied": 7, "available": 3, "surge_24h": None},
                            "MedicalSurgical": {"staffed": 80, "occupied": 60, "available": 15, "surge_24h": 10}}
    assert (body["ed_status"], body["ed_status_reason"], body["ventilators_in_use"]) == ("diversion", "CT down", 5)
    assert CapacityReport.objects.get().pk == body["report_id"]


def test_older_report_is_accepted_but_not_current(client, hospitals):
    a, headers = hospitals["A"], _auth(hospitals["A"])
    assert _post(client, a, _body(5), headers).json()["current"] is True
    late = _post(client, a, _body(90), headers)
    assert late.status_code == 201 and late.json()["current"] is False


def test_token_of_another_facility_gets_403_and_is_audited(client, hospitals):
    response = _post(client, hospitals["A"], _body(), _auth(hospitals["B"]))
    assert response.status_code == 403
    assert response.json() == {"detail": [{"code": "token_wrong_facility",
                                           "msg": "This API token belongs to another facility."}]}
    assert CapacityReport.objects.count() == 0
    assert list(AuditEvent.objects.filter(outcome="denied").values_list("actor_label", "object_id")) == [
        ("token:his-ALA-B", "ALA-A")]


def test_422_lists_every_field_error_with_its_path(client, hospitals):
    a = hospitals["A"]
    body = _body(ventilators_in_use=9, oxygen_status="plenty")
    body["beds"][1]["occupied"] = 81
    response = _post(client, a, body, _auth(a))
    assert response.status_code == 422
    assert [(e["code"], e["loc"]) for e in response.json()["detail"]] == [
        ("ventilators_in_use_exceed_total", ["ventilators_in_use"]), ("bad_oxygen_status", ["oxygen_status"]),
        ("occupied_exceeds_staffed", ["beds", 1, "occupied"])]
    assert all(e["msg"] for e in response.json()["detail"])
    assert CapacityReport.objects.count() == 0


def test_schema_errors_are_422_too(client, hospitals):
    a, headers = hospitals["A"], _auth(hospitals["A"])
    naive = _post(client, a, _body() | {"reported_at": "2026-03-10T06:00:00"}, headers)
    assert naive.status_code == 422
    assert naive.json()["detail"][0]["code"] == "invalid" and "reported_at" in naive.json()["detail"][0]["loc"]
    assert _post(client, a, _body() | {"beds": "many"}, headers).status_code == 422
    assert _post(client, a, {"beds": []}, headers).status_code == 422


def test_unknown_facility_and_no_credentials(client, hospitals):
    a = hospitals["A"]
    missing = client.post("/api/facilities/NOPE/reports", _body(), content_type="application/json",
                          headers=_auth(a))
    assert missing.status_code == 404 and missing.json()["detail"][0]["code"] == "unknown_facility"
    assert _post(client, a, _body(), {}).status_code == 401
    assert _post(client, a, _body(), {"Authorization": "Bearer jdl_wrong"}).status_code == 401


def test_session_user_reports_for_own_facility_only(client, hospitals):
    client.force_login(make_user("mgr", "facility_manager", facility=hospitals["A"]))
    assert _post(client, hospitals["A"], _body(), {}).status_code == 201
    refused = _post(client, hospitals["B"], _body(), {})
    assert refused.status_code == 403 and refused.json()["detail"][0]["code"] == "forbidden"


def test_ambulance_station_bed_figures_are_refused(client, hospitals):
    c = hospitals["C"]
    response = _post(client, c, _body(), _auth(c))
    assert response.status_code == 422
    assert response.json()["detail"][0] | {"msg": ""} == {"code": "not_reporting_facility", "loc": ["beds"], "msg": ""}
    assert _post(client, c, _body() | {"beds": []}, _auth(c)).status_code == 201


def test_status_history_and_list(client, hospitals):
    a, b = hospitals["A"], hospitals["B"]
    _post(client, a, _body(120), _auth(a))
    _post(client, a, _body(10), _auth(a))
    _post(client, b, _body(61), _auth(b))
    headers = _auth(hospitals["C"])  # any token may read the national picture
    status = client.get("/api/facilities/ALA-A/status", headers=headers).json()
    assert (status["code"], status["region"], status["minutes_ago"], status["overdue"]) == ("ALA-A", "KZ-75", 10, False)
    assert status["current"]["beds"]["AdultICU"]["available"] == 3
    since = (utcnow() - timedelta(minutes=180)).isoformat()
    history = client.get("/api/facilities/ALA-A/reports", {"since": since}, headers=headers).json()
    assert [h["current"] for h in history] == [None, None] and len(history) == 2
    assert history[0]["reported_at"] < history[1]["reported_at"]
    assert client.get("/api/facilities/ALA-A/reports", headers=headers).status_code == 200

    def codes(**query):
        response = client.get("/api/status", query, headers=headers)
        assert response.status_code == 200, response.content
        return [s["code"] for s in response.json()]

    assert codes() == ["AST-C", "ALA-A", "ALA-B"]
    assert codes(region="KZ-75", overdue="true") == ["ALA-B"]
    assert codes(capability="helipad") == ["AST-C"]
    assert codes(kind="ambulance_station") == ["AST-C"]
    assert codes(bed_type="MedicalSurgical", min_available=15) == ["ALA-A", "ALA-B"]
    assert codes(bed_type="MedicalSurgical", min_available=16) == []
    never = next(s for s in client.get("/api/status", headers=headers).json() if s["code"] == "AST-C")
    # An ambulance station reports no beds, so it is never overdue.
    assert (never["current"], never["reported_at"], never["overdue"]) == (None, None, False)
    assert client.get("/api/status", {"kind": "castle"}, headers=headers).status_code == 422
    assert client.get("/api/status", {"min_available": -1}, headers=headers).status_code == 422


def test_totals_and_overdue_endpoints(client, hospitals):
    a = hospitals["A"]
    _post(client, a, _body(3), _auth(a))
    headers = _auth(a)
    totals = client.get("/api/status/regions", headers=headers).json()
    assert len(totals["regions"]) == 20
    almaty = next(r for r in totals["regions"] if r["iso"] == "KZ-75")
    assert (almaty["facilities"], almaty["reporting"], almaty["overdue"], almaty["available"]) == (2, 1, 1, 18)
    assert almaty["beds"]["AdultICU"] == {"staffed": 10, "occupied": 7, "available": 3, "occupancy_pct": 70.0}
    assert (totals["national"]["facilities"], totals["national"]["staffed"], totals["national"]["occupancy_pct"]) == (
        3, 90, round(100 * 67 / 90, 1))
    overdue = client.get("/api/regions/KZ-75/overdue", headers=headers).json()
    assert [o["code"] for o in overdue] == ["ALA-B"]
    missing = client.get("/api/regions/KZ-00/overdue", headers=headers)
    assert missing.status_code == 404 and missing.json()["detail"][0]["code"] == "unknown_region"


_COUNT = st.one_of(st.none(), st.integers(min_value=-5, max_value=60), st.integers(min_value=-(2**70), max_value=2**70))
_BED = st.fixed_dictionaries({"bed_type": st.sampled_from(["AdultICU", "Burn", "Pediatrics", "Mars", ""]),
                              "staffed": _COUNT, "occupied": _COUNT, "available": _COUNT, "surge_24h": _COUNT})
_REPORT = st.fixed_dictionaries({
    "reported_at": st.sampled_from(["2026-01-01T00:00:00+05:00", "2030-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                                    "2026-03-10T06:00:00", "yesterday"]),
    "beds": st.lists(_BED, max_size=4), "ventilators_total": _COUNT, "ventilators_in_use": _COUNT,
    "lab_tests_capacity_per_day": _COUNT, "lab_tests_performed_per_day": _COUNT, "mci_minimal_per_hour": _COUNT,
    "ed_status": st.sampled_from(["open", "diversion", "closed", "busy"]),
    "ed_status_reason": st.text(max_size=320), "oxygen_status": st.sampled_from(["adequate", "nope"]),
    "note": st.text(max_size=50)})


@pytest.fixture
def token_a(hospitals):
    return _auth(hospitals["A"])


@given(body=_REPORT)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_report_body_gets_201_or_a_coded_422(client, hospitals, token_a, body):
    response = _post(client, hospitals["A"], body, token_a)
    assert response.status_code in {201, 422}, response.content
    if response.status_code == 422:
        assert all(e["code"] and "loc" in e and e["msg"] for e in response.json()["detail"])


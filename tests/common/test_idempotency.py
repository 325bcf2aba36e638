"""Idempotency-Key on report submission and the imports: a retry after a lost response stores nothing new."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from tests.capacity.capacity_helpers import make_facility, make_user

from jedel.accounts.services import SYSTEM, token_create
from jedel.capacity.models import CapacityReport
from jedel.common import clock
from jedel.common.idempotency import IdempotencyRecord
from jedel.facilities.models import Facility

CSV = ("code,name_en,name_kk,name_ru,kind,ownership,region_iso,town_geonameid,lat,lon,trauma_level,capabilities,"
       "reporting_interval_min,synthetic\nALA-NEW,New clinic,,,city_hospital,public,KZ-75,,43.25,76.95,,ct,240,"
       "false\n")


def _report(**extra) -> dict:
    return {"reported_at": (clock.utcnow() - timedelta(minutes=1)).isoformat(), "ventilators_total": 4, **extra}


@pytest.fixture
def hospital(kz):
    return make_facility(kz["KZ-75"], "ALA-A")


@pytest.fixture
def token(hospital):
    _, raw = token_create(actor=SYSTEM, name="his", facility_id=hospital.pk)
    return raw


def _post(client, token, body, key, url="/api/facilities/ALA-A/reports"):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(url, body, content_type="application/json", headers=headers)


def test_a_retry_with_the_same_key_returns_the_stored_answer_and_creates_nothing(client, token):
    body = _report()
    first = _post(client, token, body, "b7f5c9e2-1")
    again = _post(client, token, body, "b7f5c9e2-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert CapacityReport.objects.count() == 1


def test_without_a_key_each_request_stores(client, token):
    _post(client, token, _report(), None)
    _post(client, token, _report(), None)
    assert CapacityReport.objects.count() == 2


def test_the_same_key_with_another_body_is_422_and_stores_nothing(client, token):
    _post(client, token, _report(), "k-1")
    response = _post(client, token, _report(ventilators_total=5), "k-1")
    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "idempotency_key_reused"
    assert CapacityReport.objects.count() == 1


def test_keys_belong_to_the_principal(client, token, hospital):
    _, other = token_create(actor=SYSTEM, name="his-2", facility_id=hospital.pk)
    _post(client, token, _report(), "shared")
    assert _post(client, other, _report(), "shared").status_code == 201
    assert CapacityReport.objects.count() == 2


def test_a_key_expires_after_24_hours(client, token, monkeypatch):
    body = _report()
    _post(client, token, body, "k-exp")
    later = clock.utcnow() + timedelta(hours=24, seconds=1)
    monkeypatch.setattr("jedel.common.clock.utcnow", lambda: later)
    assert _post(client, token, body, "k-exp").status_code == 201
    assert CapacityReport.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1  # the expired record was replaced


@pytest.mark.parametrize("key", ["", "with space", "x" * 201, "ключ"])
def test_a_malformed_key_is_422(client, token, key):
    response = _post(client, token, _report(), key)
    assert response.status_code == 422
    assert response.json()["detail"][0] == {
        "code": "invalid_idempotency_key", "loc": ["header", "Idempotency-Key"],
        "msg": "The Idempotency-Key must be 1 to 200 printable characters without spaces."}
    assert CapacityReport.objects.count() == 0


def test_a_refused_request_is_replayed_too_but_a_denied_one_is_not(client, token, kz):
    bad = _report(ventilators_total=-1)
    first = _post(client, token, bad, "k-bad")
    assert _post(client, token, bad, "k-bad").json() == first.json()
    make_facility(kz["KZ-75"], "ALA-B")
    denied = _post(client, token, _report(), "k-denied", url="/api/facilities/ALA-B/reports")
    assert denied.status_code == 403
    assert not IdempotencyRecord.objects.filter(key="k-denied").exists()


def test_a_server_error_forgets_the_key_so_the_retry_runs(client, token, monkeypatch):
    calls = []

    def broken(**kwargs):
        calls.append(1)
        raise RuntimeError("disk full")

    monkeypatch.setattr("jedel.capacity.api.status.report_submit", broken)
    assert _post(client, token, _report(), "k-500").status_code == 500
    monkeypatch.undo()
    assert _post(client, token, _report(), "k-500").status_code == 201
    assert CapacityReport.objects.count() == 1


def test_facility_import_honours_the_key(client, kz):
    client.force_login(make_user("importer", "national_coordinator"))
    headers = {"Idempotency-Key": "import-1"}
    first = client.post("/api/facilities/import", CSV, content_type="text/csv", headers=headers)
    again = client.post("/api/facilities/import", CSV, content_type="text/csv", headers=headers)
    assert first.status_code == 200, first.content
    assert (again.json(), again["Idempotent-Replayed"]) == (first.json(), "true")
    assert Facility.objects.filter(code="ALA-NEW").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_requests_store_one_report(kz, hospital, token):
    """Both threads send the same key at once: one stores, the other waits and gets that answer (or a 409 while
    it runs); never two reports."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    body, barrier, results = _report(), threading.Barrier(2), []

    def send():
        barrier.wait()
        try:
            results.append(_post(Client(), token, body, "race-1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status_code for r in results)
    assert statuses in ([201, 201], [201, 409])
    assert CapacityReport.objects.count() == 1
    replays = [r for r in results if r.status_code == 201 and r.has_header("Idempotent-Replayed")]
    if statuses == [201, 201]:
        assert len(replays) == 1 and replays[0].json() == next(r for r in results if r not in replays).json()

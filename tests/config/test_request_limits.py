"""Request size and shape limits: 413 with the limit stated (JSON for the API, a page otherwise), and JSON nested
too deeply is a 422, on every endpoint, enforced centrally (jedel.common.limits)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from tests.capacity.capacity_helpers import make_facility, make_user

from jedel.capacity.models import CapacityReport
from jedel.facilities.models import Facility

MB = 1024 * 1024


@pytest.fixture
def national(kz):
    client = Client()
    client.force_login(make_user("limits", "national_coordinator"))
    make_facility(kz["KZ-75"], "ALA-A")
    return client


def _detail(response):
    return response.json()["detail"][0]


@pytest.mark.parametrize("url", ["/api/facilities/ALA-A/reports", "/api/distribution/plan", "/api/triage/start",
                                 "/api/facilities"])
def test_json_body_over_1_mb_is_413_stating_the_limit(national, url):
    body = '{"note": "' + "x" * (3 * MB) + '"}'
    response = national.post(url, body, content_type="application/json")
    assert response.status_code == 413
    assert _detail(response) == {"code": "request_too_large", "limit_bytes": MB,
                                 "msg": "The request body is larger than the 1 MB this server accepts."}
    assert CapacityReport.objects.count() == 0


def test_json_body_just_under_the_limit_is_read(national):
    body = '{"reported_at": "2026-01-01T00:00:00Z", "note": "' + "x" * (MB - 100) + '"}'
    response = national.post("/api/facilities/ALA-A/reports", body, content_type="application/json")
    assert response.status_code == 422  # read and validated (the note is too long), not refused for size
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "data", "note"]]


def test_csv_import_over_the_upload_limit_is_413(national):
    csv = b"code,name_en\n" + b"X-1,Clinic\n" * (21 * MB // 11)
    response = national.post("/api/facilities/import?dry_run=true",
                             {"file": SimpleUploadedFile("big.csv", csv, content_type="text/csv")})
    assert response.status_code == 413
    assert _detail(response)["limit_bytes"] == 20 * MB
    assert _detail(response)["msg"] == "The request body is larger than the 20 MB this server accepts."
    assert Facility.objects.count() == 1


def test_raw_csv_import_body_gets_the_upload_limit_not_the_json_one(national):
    """A 2 MB CSV is a file import, so it passes the 1 MB JSON limit and reaches the importer."""
    csv = b"code,name_en\n" + b"X-1,Clinic\n" * (2 * MB // 11)
    response = national.post("/api/facilities/import?dry_run=true", csv, content_type="text/csv")
    assert response.status_code != 413


@override_settings(JEDEL_MAX_UPLOAD_BYTES=MB // 2, JEDEL_MAX_BODY_BYTES=1000)
def test_limits_come_from_settings(national):
    response = national.post("/api/import/edxl-have", b"<x>" + b" " * MB + b"</x>", content_type="application/xml")
    assert response.status_code == 413
    assert _detail(response)["msg"] == "The request body is larger than the 0.5 MB this server accepts."
    response = national.post("/api/facilities/ALA-A/reports", '{"note": "' + "x" * 2000 + '"}',
                             content_type="application/json")
    assert (response.status_code, _detail(response)["limit_bytes"]) == (413, 1000)


def test_page_post_over_the_limit_is_a_413_page(national):
    response = national.post("/facilities/ALA-A/report/", "note=" + "x" * (2 * MB),
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "The request body is larger than the 1 MB this server accepts." in response.content.decode()


@pytest.mark.parametrize("depth", [65, 5000, 100_000])
@pytest.mark.parametrize("url", ["/api/facilities/ALA-A/reports", "/api/distribution/plan", "/api/facilities"])
def test_deeply_nested_json_is_422(national, url, depth):
    body = '{"reported_at": "2026-01-01T00:00:00Z", "beds": ' + "[" * depth + "]" * depth + "}"
    response = national.post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert _detail(response) == {"code": "too_deeply_nested", "loc": ["body"],
                                 "msg": "The JSON body is nested more than 64 levels deep."}


def test_json_nested_within_the_limit_reaches_validation(national):
    body = '{"reported_at": "2026-01-01T00:00:00Z", "beds": ' + "[" * 60 + "]" * 60 + "}"
    response = national.post("/api/facilities/ALA-A/reports", body, content_type="application/json")
    assert response.status_code == 422
    assert _detail(response)["code"] == "invalid"

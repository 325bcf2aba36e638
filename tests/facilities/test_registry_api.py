"""Registry API: sessions and bearer tokens, pagination and filters, optimistic concurrency, denials audited,
all-or-nothing imports answering 422 with line-numbered errors, and exports."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jedel.accounts.models import AuditEvent, Role, ScopeLevel, User
from jedel.accounts.services import SYSTEM, token_create
from jedel.facilities.io.csv_format import COLUMNS
from jedel.facilities.models import Facility, ReferralLink

HEADER = ",".join(COLUMNS)
ROW_ALA = "ALA-1,City Hospital 1,,,city_hospital,public,KZ-75,1526384,43.25,76.95,2,ct;laboratory,240,false"
ROW_AST = "AST-1,National Centre,,,national_centre,public,KZ-71,,51.18,71.45,1,ct,60,false"
CSV = f"{HEADER}\n{ROW_ALA}\n{ROW_AST}\n"
NEW = {"code": "ALA-9", "name_en": "New Hospital", "kind": "city_hospital", "region_iso": "KZ-75",
       "lat": 43.2, "lon": 76.9, "capabilities": ["ct"]}


def client_for(role: str, scope: str = "national", region=None, facility=None) -> Client:
    # No password: force_login needs none, and hashing one per test is the slowest part of the setup.
    user = User.objects.create(username=f"u-{role}-{User.objects.count()}", role=role, scope_level=scope,
                               scope_region=region, scope_facility=facility)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def seeded(kz):
    national = client_for(Role.NATIONAL_COORDINATOR)
    assert national.post("/api/facilities/import", data=CSV, content_type="text/csv").status_code == 200
    return kz


@pytest.fixture
def national(seeded):
    return client_for(Role.NATIONAL_COORDINATOR)


def detail(response) -> list[dict]:
    return response.json()["detail"]


def test_unauthenticated_requests_get_401(kz):
    response = Client().get("/api/facilities")
    assert response.status_code == 401 and detail(response)[0]["code"] == "not_authenticated"


def test_list_is_paginated_and_filtered(national):
    body = national.get("/api/facilities").json()
    assert body["count"] == 2 and [f["code"] for f in body["items"]] == ["AST-1", "ALA-1"]
    page_two = national.get("/api/facilities?page_size=1&page=2").json()["items"]
    assert [f["code"] for f in page_two] == ["ALA-1"]
    assert national.get("/api/facilities?region=KZ-75").json()["count"] == 1
    assert national.get("/api/facilities?kind=national_centre").json()["items"][0]["code"] == "AST-1"
    assert national.get("/api/facilities?capability=laboratory").json()["count"] == 1
    assert national.get("/api/facilities?q=city").json()["items"][0]["code"] == "ALA-1"
    bad = national.get("/api/facilities?region=KZ-99")
    assert bad.status_code == 422 and detail(bad)[0]["code"] == "unknown_region"


def test_get_one_facility_and_404(national):
    body = national.get("/api/facilities/ALA-1").json()
    assert (body["region_iso"], body["town_geonameid"], body["capabilities"], body["version"]) == (
        "KZ-75", 1526384, ["ct", "laboratory"], 1)
    missing = national.get("/api/facilities/NOPE")
    assert missing.status_code == 404 and detail(missing)[0]["code"] == "unknown_facility"


def test_create_and_validation_errors(national):
    response = national.post("/api/facilities", data=NEW, content_type="application/json")
    assert response.status_code == 201 and response.json()["code"] == "ALA-9"
    again = national.post("/api/facilities", data=NEW, content_type="application/json")
    assert again.status_code == 409 and detail(again)[0]["code"] == "duplicate_code"
    bad = national.post("/api/facilities", data={**NEW, "code": "ALA-10", "lat": 70},
                        content_type="application/json")
    assert bad.status_code == 422
    assert detail(bad) == [{"code": "bad_value", "loc": ["lat"], "msg": "must be between 40 and 56"}]


def test_regional_coordinator_in_another_region_is_denied_and_audited(seeded):
    almaty = client_for(Role.REGIONAL_COORDINATOR, "region", region=seeded["KZ-75"])
    payload = {**NEW, "code": "AST-9", "region_iso": "KZ-71", "lat": 51.1, "lon": 71.4}
    response = almaty.post("/api/facilities", data=payload, content_type="application/json")
    assert response.status_code == 403 and detail(response)[0]["code"] == "forbidden"
    assert not Facility.objects.filter(code="AST-9").exists()
    denied = AuditEvent.objects.get(outcome="denied")
    assert (denied.action, denied.region_id) == ("create_facility", seeded["KZ-71"].pk)
    patch = almaty.patch("/api/facilities/AST-1", data={"version": 1, "name_en": "Mine"},
                         content_type="application/json")
    assert patch.status_code == 403
    assert almaty.post("/api/facilities", data=NEW, content_type="application/json").status_code == 201


def test_patch_with_version_and_stale_version(national):
    ok = national.patch("/api/facilities/ALA-1", data={"version": 1, "lat": 43.3, "trauma_level": None},
                        content_type="application/json")
    assert ok.status_code == 200 and (ok.json()["lat"], ok.json()["trauma_level"], ok.json()["version"]) == (
        43.3, None, 2)
    stale = national.patch("/api/facilities/ALA-1", data={"version": 1, "lat": 43.4},
                           content_type="application/json")
    assert stale.status_code == 409 and detail(stale)[0]["code"] == "stale_version"
    assert Facility.objects.get(code="ALA-1").lat == 43.3
    missing_version = national.patch("/api/facilities/ALA-1", data={"lat": 43.4},
                                     content_type="application/json")
    assert missing_version.status_code == 422


def test_referrals_and_network(national):
    created = national.post("/api/facilities/ALA-1/referrals",
                            data={"target": "AST-1", "specialty": "neurosurgery"},
                            content_type="application/json")
    assert created.status_code == 201
    assert national.get("/api/facilities/AST-1/referrals").json() == [
        {"source": "ALA-1", "target": "AST-1", "specialty": "neurosurgery", "direction": "in"}]
    network = national.get("/api/referral-network?region=KZ-75").json()
    assert [n["code"] for n in network["nodes"]] == ["ALA-1", "AST-1"]
    assert network["edges"] == [{"source": "ALA-1", "target": "AST-1", "specialty": "neurosurgery"}]
    assert national.delete("/api/facilities/ALA-1/referrals/AST-1/neurosurgery").status_code == 204
    assert not ReferralLink.objects.exists()


def test_deactivate_hides_a_facility_from_the_default_list(national):
    assert national.post("/api/facilities/ALA-1/deactivate").json()["active"] is False
    assert national.get("/api/facilities").json()["count"] == 1
    assert national.get("/api/facilities?active=false").json()["items"][0]["code"] == "ALA-1"


def test_import_upload_reports_every_bad_line_and_writes_nothing(national):
    bad = (f"{HEADER}\nNEW-1,X,,,city_hospital,,KZ-75,,43.2,76.9,,,240,false\n"
           "NEW-2,Y,,,city_hospital,,KZ-75,,99,76.9,,,240,false\n")
    upload = SimpleUploadedFile("facilities.csv", bad.encode(), content_type="text/csv")
    response = national.post("/api/facilities/import", data={"file": upload})
    assert response.status_code == 422
    assert detail(response) == [
        {"code": "bad_line", "loc": ["line", 3, "lat"], "msg": "must be between 40 and 56"}]
    assert not Facility.objects.filter(code__startswith="NEW").exists()


def test_import_json_body_dry_run_and_fhir(national):
    text = f"{HEADER}\nNEW-1,X,,,city_hospital,,KZ-75,,43.2,76.9,,,240,false\n"
    dry = national.post("/api/facilities/import?dry_run=true", data={"format": "csv", "text": text},
                        content_type="application/json")
    assert dry.json() == {"format": "csv", "created": 1, "updated": 0, "unchanged": 0, "dry_run": True}
    assert not Facility.objects.filter(code="NEW-1").exists()
    bundle = b"".join(national.get("/api/facilities/export.fhir.json").streaming_content)
    Facility.objects.filter(code="AST-1").delete()
    fhir = national.post("/api/facilities/import", data=bundle, content_type="application/fhir+json")
    assert fhir.json() == {"format": "fhir", "created": 1, "updated": 0, "unchanged": 1, "dry_run": False}


def test_exports(national):
    csv_response = national.get("/api/facilities/export.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode() == f"{HEADER}\n{ROW_ALA}\n{ROW_AST}\n"
    astana = national.get("/api/facilities/export.csv?region=KZ-71")
    assert astana.content.decode() == f"{HEADER}\n{ROW_AST}\n"
    fhir = national.get("/api/facilities/export.fhir.json?region=KZ-75")
    assert fhir["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert len(json.loads(b"".join(fhir.streaming_content))["entry"]) == 2


def test_facility_token_reads_but_cannot_write_the_registry(seeded):
    facility = Facility.objects.get(code="ALA-1")
    _token, raw = token_create(actor=SYSTEM, name="his", facility_id=facility.pk)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    assert client.get("/api/facilities/AST-1", **headers).status_code == 200
    denied = client.patch("/api/facilities/ALA-1", data={"version": 1, "name_en": "X"},
                          content_type="application/json", **headers)
    assert denied.status_code == 403
    upload = client.post("/api/facilities/import", data=CSV, content_type="text/csv", **headers)
    assert upload.status_code == 403
    assert AuditEvent.objects.filter(outcome="denied", actor_label="token:his").count() == 2


def test_facility_manager_edits_own_facility_only(seeded):
    own = Facility.objects.get(code="ALA-1")
    manager = client_for(Role.FACILITY_MANAGER, "facility", facility=own)
    ok = manager.patch("/api/facilities/ALA-1", data={"version": 1, "name_ru": "Наша больница"},
                       content_type="application/json")
    assert ok.status_code == 200 and ok.json()["name_ru"] == "Наша больница"
    other = manager.patch("/api/facilities/AST-1", data={"version": 1, "name_ru": "Чужая"},
                          content_type="application/json")
    assert other.status_code == 403
    # The reporting interval (the overdue alarm) is the region's decision, not the manager's.
    silenced = manager.patch("/api/facilities/ALA-1", data={"version": 2, "reporting_interval_min": 10080},
                             content_type="application/json")
    assert (silenced.status_code, silenced.json()["detail"][0]["code"]) == (403, "forbidden")


@pytest.mark.parametrize("scope", [ScopeLevel.NATIONAL])
def test_viewer_can_read_and_export_but_not_import(seeded, scope):
    viewer = client_for(Role.VIEWER, scope)
    assert viewer.get("/api/facilities").status_code == 200
    assert viewer.get("/api/facilities/export.csv").status_code == 200
    assert viewer.post("/api/facilities/import", data=CSV, content_type="text/csv").status_code == 403


@pytest.mark.parametrize(("kwargs", "code", "loc"), [
    ({"data": {"format": "xml", "text": "x"}, "content_type": "application/json"}, "bad_format", ["format"]),
    ({"data": {"format": "csv", "text": 7}, "content_type": "application/json"}, "required", ["text"]),
    ({"data": [1, 2], "content_type": "application/json"}, "fhir_invalid", ["resourceType"]),
    ({"data": {"other": "field"}}, "required", ["file"]),  # multipart without the file
    ({"data": b"Caf\xe9", "content_type": "text/csv"}, "bad_encoding", ["line", 1, "file"]),
])
def test_malformed_import_bodies_are_422_never_500(national, kwargs, code, loc):
    response = national.post("/api/facilities/import", **kwargs)
    assert response.status_code == 422
    assert [(d["code"], d["loc"]) for d in detail(response)] == [(code, loc)]


def test_nul_characters_are_rejected_not_stored(national):
    bad = national.post("/api/facilities", data={**NEW, "name_en": "A\u0000B"},
                        content_type="application/json")
    assert bad.status_code == 422 and detail(bad)[0]["loc"] == ["name_en"]
    refused = national.get("/api/facilities/AL%00A")  # refused before routing (RejectNulMiddleware)
    assert refused.status_code == 422 and detail(refused)[0]["loc"] == ["path"]

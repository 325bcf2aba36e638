"""Interop endpoints: content types, permissions (EXPORT to read; REPORT_CAPACITY per imported hospital),
422 with the error list, nothing written on failure."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.test import Client
from lxml import etree

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.services import SYSTEM, token_create, user_create
from jedel.capacity.interop.edxl_have import have_schema
from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus
from jedel.facilities.models import Facility

AT = datetime(2026, 3, 10, 5, 30, tzinfo=UTC)


def hospital(region, code: str) -> Facility:
    f = Facility.objects.create(code=code, name_en=f"Hospital {code}", kind="city_hospital", region=region,
                                lat=region.admin_center_lat, lon=region.admin_center_lon)
    report = CapacityReport.objects.create(facility=f, reported_at=AT, received_at=AT, source="web",
                                           reporter="test", ventilators_total=6, ventilators_in_use=2)
    BedCapacity.objects.create(report=report, bed_type="AdultICU", staffed=10, occupied=7, available=3)
    FacilityStatus.objects.create(facility=f, report=report, reported_at=AT)
    return f


@pytest.fixture
def network(kz):
    return hospital(kz["KZ-75"], "ALA-1"), hospital(kz["KZ-11"], "AKM-1")


def bearer(username: str, role: Role, **scope) -> Client:
    user = user_create(actor=SYSTEM, username=username, password="interop-pass-2026", role=role, **scope)
    _, raw = token_create(actor=SYSTEM, name=username, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def national(kz):
    return bearer("ncc", Role.NATIONAL_COORDINATOR)


@pytest.fixture
def almaty_coordinator(kz):
    return bearer("ala", Role.REGIONAL_COORDINATOR, scope_level=ScopeLevel.REGION, region_id=kz["KZ-75"].pk)


def post_xml(client: Client, body: bytes):
    return client.post("/api/import/edxl-have", data=body, content_type="application/xml")


def test_edxl_export_is_schema_valid_xml_of_the_region(network, national):
    response = national.get("/api/export/edxl-have.xml", {"region": "KZ-75"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    doc = etree.fromstring(response.content)
    assert have_schema().validate(doc)
    assert doc.xpath("//@xnl:OrganisationID", namespaces={"xnl": "urn:oasis:names:tc:ciq:xnl:3"}) == ["ALA-1"]


def test_every_signed_in_role_may_export_and_anonymous_callers_may_not(network):
    viewer = bearer("viewer", Role.VIEWER)
    assert viewer.get("/api/export/edxl-have.xml").status_code == 200
    assert viewer.get("/api/export/saner.json").status_code == 200
    assert Client().get("/api/export/edxl-have.xml").status_code == 401
    assert Client().post("/api/import/edxl-have", data=b"<x/>", content_type="application/xml").status_code == 401


def test_saner_export_per_region(network, national):
    response = national.get("/api/export/saner.json", {"region": "KZ-11", "scope": "region"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    bundle = json.loads(b"".join(response.streaming_content))  # streamed, one report at a time
    [entry] = bundle["entry"]
    assert entry["resource"]["subject"]["identifier"]["value"] == "KZ-11"
    assert entry["resource"]["group"][0]["measureScore"]["value"] == 3


def test_bad_export_parameters(network, national):
    assert national.get("/api/export/saner.json", {"scope": "country"}).status_code == 422
    unknown = national.get("/api/export/edxl-have.xml", {"region": "KZ-99"})
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": [{"code": "unknown_region", "msg": "Unknown region code.", "loc": ["region"]}]}
    empty = national.get("/api/export/edxl-have.xml", {"region": "KZ-10"})
    assert (empty.status_code, empty.json()["detail"][0]["code"]) == (404, "edxl_invalid")


def test_import_stores_one_report_per_hospital(network, national):
    body = national.get("/api/export/edxl-have.xml").content
    response = post_xml(national, body)
    assert response.status_code == 200
    data = response.json()
    assert (data["imported"], data["facilities"]) == (2, ["AKM-1", "ALA-1"])
    assert data["ignored"] == [f"Hospital[{i}]: ServiceCoverageStatus is registry data and was not imported."
                               for i in (1, 2)]
    for report_id in data["report_ids"]:
        report = CapacityReport.objects.get(pk=report_id)
        assert (report.source, report.reporter, report.ventilators_in_use) == ("edxl", "ncc", 2)
        assert FacilityStatus.objects.get(facility=report.facility).report_id == report_id


def test_an_invalid_import_answers_422_with_every_error_and_writes_nothing(network, national):
    body = national.get("/api/export/edxl-have.xml").content
    body = body.replace(b'OrganisationID="AKM-1"', b'OrganisationID="AKM-404"')
    body = body.replace(b"2026-03-10T05:30:00Z", b"2026-03-10T05:30:00")
    reports = CapacityReport.objects.count()
    response = post_xml(national, body)
    assert response.status_code == 422
    assert [(e["code"], ".".join(e["loc"])) for e in response.json()["detail"]] == [
        ("edxl_invalid", "Hospital[1].LastUpdateTime"),
        ("edxl_invalid", "Hospital[2].LastUpdateTime"),
        ("unknown_facility", "Hospital[1].Organization.OrganizationInformation.OrganisationName.@OrganisationID"),
    ]
    assert CapacityReport.objects.count() == reports
    assert post_xml(national, b"").json() == {
        "detail": [{"code": "edxl_invalid", "loc": [], "msg": "The message is empty."}]}


def test_a_regional_coordinator_imports_own_hospitals_only(network, national, almaty_coordinator):
    both = national.get("/api/export/edxl-have.xml").content
    own = national.get("/api/export/edxl-have.xml", {"region": "KZ-75"}).content
    reports = CapacityReport.objects.count()
    denied = post_xml(almaty_coordinator, both)
    assert denied.status_code == 403
    assert denied.json()["detail"] == [{"code": "forbidden", "msg": "You do not have permission to do this.",
                                        "loc": ["Hospital[1]"]}]
    assert CapacityReport.objects.count() == reports
    assert post_xml(almaty_coordinator, own).json()["facilities"] == ["ALA-1"]


def test_a_facility_token_imports_its_own_hospital_only(network, national):
    ala, _ = network
    _, raw = token_create(actor=SYSTEM, name="his", facility_id=ala.pk)
    his = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    own = national.get("/api/export/edxl-have.xml", {"region": "KZ-75"}).content
    other = national.get("/api/export/edxl-have.xml", {"region": "KZ-11"}).content
    assert post_xml(his, own).status_code == 200
    assert post_xml(his, other).status_code == 403

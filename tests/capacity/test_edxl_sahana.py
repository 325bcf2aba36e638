"""EDXL-HAVE with Sahana Eden (fixtures written from its stylesheets: fixtures/edxl/README.md).

Export `dialect="sahana"`: the values Sahana's import stylesheet selects, XPath by XPath. Import
`dialect="sahana"`: what Sahana's exporter writes is read (naive times as UTC, its element names) and unknown
hospitals are skipped unless `strict`; the standard reading stays strict and schema-checked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from tests.capacity.edxl_helpers import NATIONAL, NOW, counts, errors_of, status

from jedel.capacity.interop.edxl_have import edxl_have_export
from jedel.capacity.interop.edxl_have_import import edxl_have_import
from jedel.capacity.models import CapacityReport, FacilityStatus
from jedel.capacity.selectors.operational import operational_get
from jedel.capacity.selectors.status import report_figures
from jedel.common.errors import ValidationFailed

FIXTURES = Path(__file__).parent / "fixtures" / "edxl"
SAHANA_EXPORT = (FIXTURES / "sahana_export.xml").read_bytes()
IMPORT_SHAPE = (FIXTURES / "sahana_import_shape.xml").read_bytes()
# The namespaces Sahana's stylesheets bind.
NS = {"have": "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0", "gml": "http://www.opengis.net/gml",
      "xnl": "urn:oasis:names:tc:ciq:xnl:3"}


def sahana_reads(xml: bytes) -> list[dict[str, object]]:
    """What Sahana Eden's import.xsl selects from each Hospital (its XPaths, its string/number conversions)."""
    hospitals = []
    for h in etree.fromstring(xml).xpath("/have:HospitalStatus/have:Hospital", namespaces=NS):
        def x(path: str, at: etree._Element = h) -> object:
            return at.xpath(path, namespaces=NS)
        latlon = x("string(./have:Organization/have:OrganizationGeoLocation/gml:Point/gml:coordinates/text())")
        hospitals.append({
            "modified_on": x("string(./have:LastUpdateTime/text())"),
            # Every OrganisationName writes the hospital's name: the last one wins.
            "names": x("./have:Organization/have:OrganizationInformation/xnl:OrganisationName/"
                       "xnl:NameElement[1]/text()"),
            "gov_uuid": x("string(./have:Organization/have:OrganizationInformation/xnl:OrganisationName/@xnl:ID)"),
            "location_uuid": x("string(./have:Organization/have:OrganizationGeoLocation/gml:Point/@gml:id)"),
            "lat": latlon.split(",")[0].strip() if "," in latlon else "",
            "lon": latlon.split(",", 1)[1].strip() if "," in latlon else "",
            "ems_status": x("string(./have:EmergencyDepartmentStatus/have:EMSTrafficStatus/text())").lower(),
            "ems_reason": x("string(./have:EmergencyDepartmentStatus/have:EMSTrafficReason/text())"),
            "facility_status": x("string(have:HospitalFacilityStatus/have:FacilityStatus/text())").lower(),
            "security_status": x("string(have:HospitalFacilityStatus/have:SecurityStatus/text())").lower(),
            "staffing": x("string(./have:HospitalResourceStatus/have:Staffing/text())"),
            "activity": [x(f"string(have:HospitalFacilityStatus/have:Activity24Hr/have:{e}/text())")
                         for e in ("Admissions", "Discharges", "Deaths")],
            "beds": [(x("string(./have:BedType/text())", bc).lower(), x("sum(./have:AvailableCount)", bc),
                      x("sum(./have:BaselineCount)", bc),
                      x("string(../../have:Organization/have:OrganizationInformation/xnl:OrganisationName/@xnl:ID)",
                        bc))
                     for bc in x("./have:HospitalBedCapacityStatus/have:BedCapacity")],
            "services": sorted({etree.QName(e).localname for e in x("./have:ServiceCoverageStatus[1]//*")
                                if (e.text or "") == "true"}),
        })
    return hospitals


@pytest.fixture
def operating(almaty):
    full, bare = almaty
    FacilityStatus.objects.filter(facility=full).delete()
    status(full, beds=(("AdultICU", 12, 10, 2, 3), ("Burn", 4, 4, 0, None)), ed_status="diversion",
           ed_status_reason="CT down until 14:00", facility_status="evacuating", security_status="closed",
           staffing="adequate", admissions_24h=12, discharges_24h=9, deaths_24h=0)
    return almaty


def test_the_sahana_export_gives_sahanas_importer_names_ids_coordinates_beds_and_status(operating):
    xml = edxl_have_export(actor=NATIONAL, region_iso="KZ-75", now=NOW, dialect="sahana", lang="ru")
    assert sahana_reads(xml) == [
        {"modified_on": "2026-03-10T05:30:00Z", "names": ["Городская больница №1"], "gov_uuid": "ALA-001",
         "location_uuid": "urn:jedel:facility-location:ALA-001", "lat": "43.2567", "lon": "76.9286",
         "ems_status": "advisory", "ems_reason": "CT down until 14:00", "facility_status": "evacuating",
         "security_status": "closed", "staffing": "adequate", "activity": ["12", "9", "0"],
         "beds": [("adulticu", 2.0, 12.0, "ALA-001"), ("burn", 0.0, 4.0, "ALA-001")],
         "services": ["Burn", "Cardiology", "EmergencyDepartment", "Surgery", "TraumaCenterServices"]},
        {"modified_on": "2026-03-10T05:30:00Z", "names": ["Hospital ALA-002"], "gov_uuid": "ALA-002",  # no ru name
         "location_uuid": "urn:jedel:facility-location:ALA-002", "lat": "43.3", "lon": "77.0",
         "ems_status": "normal", "ems_reason": "", "facility_status": "", "security_status": "", "staffing": "",
         "activity": ["", "", ""], "beds": [("pediatrics", 5.0, 30.0, "ALA-002")],
         "services": ["EmergencyDepartment", "Pediatrics"]},
    ]
    # The hand-written document of the importer's shape reads the same way as the one Jedel writes.
    assert sahana_reads(IMPORT_SHAPE)[0]["beds"] == [("pediatricicu", 1.0, 6.0, "ALA-002")]


def test_the_standard_export_gives_sahana_one_name_and_the_id_it_reads(operating):
    [first, _second] = sahana_reads(edxl_have_export(actor=NATIONAL, region_iso="KZ-75", now=NOW, lang="kk"))
    assert (first["names"], first["gov_uuid"]) == (["№1 қалалық аурухана"], "ALA-001")
    assert first["beds"][0][3] == "ALA-001"  # Sahana's bed unit id: "<xnl:ID>-<bed type code>"


def test_sahanas_export_imports_with_its_element_names_and_naive_times_as_utc(almaty):
    before = CapacityReport.objects.count()
    result = edxl_have_import(actor=NATIONAL, data=SAHANA_EXPORT, now=NOW, dialect="sahana")
    assert [r.facility.code for r in result.reports] == ["ALA-001", "ALA-002"]
    assert result.skipped == ("Hospital[3]: No facility has the code urn:uuid:7f3b2c1d-5e6a-4b8c-9d0e-1f2a3b4c5d6e. "
                              "Skipped.",)
    assert CapacityReport.objects.count() == before + 2
    full, bare = (report_figures(CapacityReport.objects.get(pk=r.pk)) for r in result.reports)
    assert full.reported_at == datetime(2026, 3, 10, 5, 45, tzinfo=UTC)
    assert (full.ed_status, full.ed_status_reason) == ("diversion", "Mass casualty incident on the ring road")
    # AdultICU from the message (occupied unknown now); MedicalSurgical and Burn carried forward (Sahana's Burn
    # row has no counts; EmergencyDepartment beds are not tracked).
    assert {k: (b.staffed, b.occupied, b.available) for k, b in full.beds.items()} == {
        "AdultICU": (14, None, 3), "MedicalSurgical": (None, None, 7), "Burn": (4, 4, 0)}
    assert (full.ventilators_total, full.oxygen_status, full.mci_immediate_per_hour) == (10, "limited", 4)
    op = operational_get(full.report_id)
    assert (op.facility_status, op.security_status, op.staffing) == ("evacuating", "lockdown", "insufficient")
    assert (op.admissions_24h, op.discharges_24h, op.deaths_24h) == (57, 31, 2)
    # ALA-002: "Unknown" means not reported, so the ED status stays as it was; "Adequate" in Sahana's case.
    assert (bare.reported_at, bare.ed_status) == (datetime(2026, 3, 10, 5, 40, tzinfo=UTC), "open")
    assert {k: (b.staffed, b.available) for k, b in bare.beds.items()} == {"Pediatrics": (30, 9)}
    assert operational_get(bare.report_id).staffing == "adequate"
    assert result.ignored == (
        "Hospital[1]: BedCapacity[2] (EmergencyDepartment) is not a bed type Jedel tracks.",
        "Hospital[1]: BedCapacity[3] (Burn) gives no counts.",
        "Hospital[1]: ServiceCoverageStatus is registry data and was not imported.",
        "Hospital[1]: ClinicalStatus is not tracked and was not imported.",
        "Hospital[1]: FacilityOperations is not tracked and was not imported.",
        "Hospital[1]: the free text 'Doctors: 48' was not imported.",
        "Hospital[1]: the free text '[Priority: High] Shortage (Medical Supplies/Moderate): blood type O negative' "
        "was not imported.",
        "Hospital[2]: ClinicalStatus is not tracked and was not imported.",
        "Hospital[2]: FacilityOperations is not tracked and was not imported.",
    )


def test_the_importer_shape_with_unwrapped_ems_status_and_a_space_separated_time_imports(almaty):
    [report] = edxl_have_import(actor=NATIONAL, data=IMPORT_SHAPE, now=NOW, dialect="sahana").reports
    figures = report_figures(CapacityReport.objects.get(pk=report.pk))
    assert (figures.reported_at, figures.ed_status, figures.ed_status_reason) == (
        datetime(2026, 3, 10, 5, 50, tzinfo=UTC), "closed", "Flooded basement")
    assert {k: (b.staffed, b.available) for k, b in figures.beds.items()} == {
        "PediatricICU": (6, 1), "Pediatrics": (30, 5)}
    op = operational_get(figures.report_id)
    assert (op.facility_status, op.security_status, op.staffing) == ("closed", "closed", "adequate")


def test_with_strict_an_unknown_hospital_refuses_the_whole_sahana_message(almaty):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=SAHANA_EXPORT, now=NOW, dialect="sahana", strict=True)
    assert errors_of(exc.value) == [
        ("unknown_facility", "Hospital[3].Organization.OrganizationInformation.OrganisationName.@OrganisationID",
         "No facility has the code urn:uuid:7f3b2c1d-5e6a-4b8c-9d0e-1f2a3b4c5d6e.")]
    assert counts() == before


def test_the_standard_reading_refuses_sahanas_schema_invalid_export(almaty):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=SAHANA_EXPORT, now=NOW)
    # Where Sahana's exporter departs from the OASIS schema (one line per departure, first hospital).
    assert sorted({".".join(e["loc"][1:]) for e in exc.value.errors if e["loc"][0] == "Hospital[1]"}) == [
        "HospitalBedCapacityStatus.BedCapacity[1].CapacityStatus",  # outside Capacity, "VacantAvailable"
        "HospitalBedCapacityStatus.BedCapacity[2].CapacityStatus",
        "HospitalBedCapacityStatus.BedCapacity[3].CapacityStatus",
        "HospitalFacilityStatus.ClinicalStatus",  # after FacilityStatus
        "HospitalResourceStatus",  # for HospitalResourcesStatus
        "Organization.OrganizationGeoLocation.Point",  # gml:id not an NCName
        "Organization.OrganizationGeoLocation.Point.coordinates",  # for gml:pos
        "Organization.OrganizationInformation.Addresses.Address",
        "Organization.OrganizationInformation.ContactNumbers.ContactNumber",
        "ServiceCoverageStatus.TraumaCenterIndicator",  # for TraumaCenterServicesIndicator
    ]
    assert {e["code"] for e in exc.value.errors} == {"edxl_invalid"}
    assert counts() == before


def test_a_naive_time_stays_refused_in_the_standard_reading_even_without_the_schema(almaty, monkeypatch):
    from jedel.capacity.interop import edxl_have

    monkeypatch.setattr(edxl_have, "HAVE_XSD", edxl_have.SCHEMA_DIR / "missing.xsd")
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=IMPORT_SHAPE, now=NOW)
    assert ("edxl_invalid", "Hospital[1].LastUpdateTime",
            "A date and time with a UTC offset is required, e.g. 2026-03-01T08:30:00Z.") in errors_of(exc.value)


def test_the_sahana_export_round_trips_through_the_sahana_reading(operating):
    xml = edxl_have_export(actor=NATIONAL, region_iso="KZ-75", now=NOW, dialect="sahana")
    result = edxl_have_import(actor=NATIONAL, data=xml, now=NOW, dialect="sahana")
    full = report_figures(CapacityReport.objects.get(pk=result.reports[0].pk))
    assert (full.ed_status, full.ed_status_reason) == ("diversion", "CT down until 14:00")
    assert {k: (b.staffed, b.available) for k, b in full.beds.items()} == {"AdultICU": (12, 2), "Burn": (4, 0)}
    op = operational_get(full.report_id)
    assert (op.facility_status, op.security_status, op.staffing, op.admissions_24h) == (
        "evacuating", "closed", "adequate", 12)

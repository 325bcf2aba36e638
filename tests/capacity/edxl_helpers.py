"""Shared by the EDXL-HAVE 1.0 tests: facilities with a known status, the expected export, small readers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jedel.accounts.models import AuditEvent, Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import ValidationFailed
from jedel.capacity.interop.edxl_have import edxl_have_export
from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus
from jedel.facilities.models import Facility

REPO = Path(__file__).parents[2]
SHARED = REPO / ".." / "shared" / "schemas" / "edxl-have-1.0"
SHARED_XSD = SHARED / "schema" / "edxl-have" / "1.0" / "edxl-have.xsd"
UICDS = SHARED / "examples-nonofficial" / "uicds-EDXL-HAVE1-in-DE1.0.xml"
needs_shared = pytest.mark.skipif(not SHARED_XSD.is_file(), reason="../shared/schemas/edxl-have-1.0 is absent "
                                  "(the official OASIS schema set is collected outside the repository)")
AT = datetime(2026, 3, 10, 5, 30, tzinfo=UTC)
NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
NATIONAL = Principal(label="ncc", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)


def facility(region, code: str, **extra) -> Facility:
    fields = {"name_en": f"Hospital {code}", "kind": "city_hospital", "lat": 43.2567, "lon": 76.9286, **extra}
    return Facility.objects.create(code=code, region=region, **fields)


def status(f: Facility, beds: tuple = (), at: datetime = AT, **fields) -> CapacityReport:
    """A report written straight to the tables (as the capacity service stores it) and made current."""
    report = CapacityReport.objects.create(facility=f, reported_at=at, received_at=at, source="web",
                                           reporter="test", **fields)
    for bed_type, staffed, occupied, available, surge in beds:
        BedCapacity.objects.create(report=report, bed_type=bed_type, staffed=staffed, occupied=occupied,
                                   available=available, surge_24h=surge)
    FacilityStatus.objects.update_or_create(facility=f, defaults={"report": report, "reported_at": at})
    return report


EXPECTED_FULL = """\
  <have:Hospital>
    <have:Organization>
      <have:OrganizationInformation>
        <xnl:OrganisationName xnl:OrganisationID="ALA-001" xnl:OrganisationIDType="JedelFacilityCode" \
xnl:ID="ALA-001" ct:LanguageCode="en">
          <xnl:NameElement>Hospital ALA-001</xnl:NameElement>
        </xnl:OrganisationName>
      </have:OrganizationInformation>
      <have:OrganizationGeoLocation>
        <gml:Point>
          <gml:pos>43.2567 76.9286</gml:pos>
        </gml:Point>
      </have:OrganizationGeoLocation>
    </have:Organization>
    <have:EmergencyDepartmentStatus>
      <have:EMSTraffic>
        <have:EMSTrafficStatus>Advisory</have:EMSTrafficStatus>
        <have:EMSTrafficReason>CT down until 14:00</have:EMSTrafficReason>
      </have:EMSTraffic>
      <have:EMSCapacity>
        <have:TriageCode>
          <have:TriageCodeValue>Red</have:TriageCodeValue>
          <have:TriageCountQuantity>4</have:TriageCountQuantity>
        </have:TriageCode>
        <have:TriageCode>
          <have:TriageCodeValue>Green</have:TriageCodeValue>
          <have:TriageCountQuantity>20</have:TriageCountQuantity>
        </have:TriageCode>
      </have:EMSCapacity>
    </have:EmergencyDepartmentStatus>
    <have:HospitalBedCapacityStatus>
      <have:BedCapacity>
        <have:BedType>AdultICU</have:BedType>
        <have:Capacity>
          <have:CapacityStatus>Vacant/Available</have:CapacityStatus>
          <have:AvailableCount>2</have:AvailableCount>
          <have:BaselineCount>12</have:BaselineCount>
          <have:AdditionalCapacityCount24Hr>3</have:AdditionalCapacityCount24Hr>
        </have:Capacity>
        <have:CommentText>jedel:occupied=10</have:CommentText>
      </have:BedCapacity>
      <have:BedCapacity>
        <have:BedType>MedicalSurgical</have:BedType>
        <have:Capacity>
          <have:CapacityStatus>Vacant/Available</have:CapacityStatus>
          <have:AvailableCount>7</have:AvailableCount>
        </have:Capacity>
      </have:BedCapacity>
      <have:BedCapacity>
        <have:BedType>Burn</have:BedType>
        <have:Capacity>
          <have:CapacityStatus>NotAvailable</have:CapacityStatus>
          <have:AvailableCount>0</have:AvailableCount>
          <have:BaselineCount>4</have:BaselineCount>
        </have:Capacity>
        <have:CommentText>jedel:occupied=4</have:CommentText>
      </have:BedCapacity>
    </have:HospitalBedCapacityStatus>
    <have:ServiceCoverageStatus>
      <have:Burn>true</have:Burn>
      <have:CardiologyIndicator>
        <have:CardiologySubType>
          <have:CardiologyInvasive>true</have:CardiologyInvasive>
        </have:CardiologySubType>
      </have:CardiologyIndicator>
      <have:Dialysis>false</have:Dialysis>
      <have:EmergencyDepartment>true</have:EmergencyDepartment>
      <have:OBGYNIndicator>
        <have:OBGYN>false</have:OBGYN>
      </have:OBGYNIndicator>
      <have:SurgeryIndicator>
        <have:SurgerySubType>
          <have:Pediatrics>false</have:Pediatrics>
          <have:Neurosurgery>true</have:Neurosurgery>
        </have:SurgerySubType>
      </have:SurgeryIndicator>
      <have:TraumaCenterServicesIndicator>
        <have:TraumaCenterServices>true</have:TraumaCenterServices>
        <have:TraumaCenterServicesLevel>Level1</have:TraumaCenterServicesLevel>
      </have:TraumaCenterServicesIndicator>
    </have:ServiceCoverageStatus>
    <have:HospitalFacilityStatus>
      <have:FacilityStatus>Compromised</have:FacilityStatus>
      <have:SecurityStatus>Elevated</have:SecurityStatus>
      <have:Activity24Hr>
        <have:Admissions>40</have:Admissions>
        <have:Discharges>35</have:Discharges>
        <have:Deaths>1</have:Deaths>
      </have:Activity24Hr>
      <have:CommentText>Generator on test run</have:CommentText>
    </have:HospitalFacilityStatus>
    <have:HospitalResourcesStatus>
      <have:Staffing>Insufficient</have:Staffing>
      <have:ClinicalOperations>Insufficient</have:ClinicalOperations>
      <have:ResourcesInformationText>jedel:ventilators_total=10</have:ResourcesInformationText>
      <have:ResourcesInformationText>jedel:ventilators_in_use=4</have:ResourcesInformationText>
      <have:ResourcesInformationText>jedel:lab_tests_capacity_per_day=200</have:ResourcesInformationText>
      <have:ResourcesInformationText>jedel:lab_tests_performed_per_day=150</have:ResourcesInformationText>
      <have:ResourcesInformationText>jedel:ct_operational=true</have:ResourcesInformationText>
      <have:ResourcesInformationText>jedel:xray_operational=false</have:ResourcesInformationText>
      <have:ResourcesInformationText>jedel:oxygen_status=limited</have:ResourcesInformationText>
    </have:HospitalResourcesStatus>
    <have:LastUpdateTime>2026-03-10T05:30:00Z</have:LastUpdateTime>
  </have:Hospital>
"""


def export(region: str | None = "KZ-75") -> bytes:
    return edxl_have_export(actor=NATIONAL, region_iso=region, now=NOW)


def counts() -> tuple[int, int, int, int]:
    return (CapacityReport.objects.count(), BedCapacity.objects.count(), FacilityStatus.objects.count(),
            AuditEvent.objects.count())


def errors_of(exc: ValidationFailed) -> list[tuple[str, str, str]]:
    return [(e["code"], ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors]

"""EDXL-HAVE 1.0 import: the export restores the same status; bad messages are refused whole, with the
hospital and element named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree
from tests.capacity.edxl_helpers import (
    NATIONAL,
    NOW,
    UICDS,
    counts,
    errors_of,
    export,
    facility,
    status,
)

from jedel.accounts.models import AuditEvent, Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.capacity.interop import edxl_have
from jedel.capacity.interop.edxl_have import HAVE_NS, XNL_NS, edxl_have_export
from jedel.capacity.interop.edxl_have_import import edxl_have_import
from jedel.capacity.models import CapacityReport, FacilityStatus
from jedel.capacity.selectors.status import report_figures
from jedel.common.errors import PermissionDenied, ValidationFailed

FIGURE_FIELDS = ("reported_at", "ed_status", "ed_status_reason", "oxygen_status", "ventilators_total",
                 "ventilators_in_use", "ct_operational", "xray_operational", "lab_tests_capacity_per_day",
                 "lab_tests_performed_per_day", "mci_immediate_per_hour", "mci_delayed_per_hour",
                 "mci_minimal_per_hour", "note", "beds")


def figures(report: CapacityReport) -> dict[str, object]:
    f = report_figures(CapacityReport.objects.prefetch_related("beds").get(pk=report.pk))
    return {name: getattr(f, name) for name in FIGURE_FIELDS}


def test_importing_the_export_restores_identical_status(almaty):
    before = {f.code: figures(f.status.report) for f in almaty}
    result = edxl_have_import(actor=NATIONAL, data=export(), now=NOW)
    assert [r.facility.code for r in result.reports] == ["ALA-001", "ALA-002"]
    assert result.ignored == ("Hospital[1]: ServiceCoverageStatus is registry data and was not imported.",
                              "Hospital[2]: ServiceCoverageStatus is registry data and was not imported.")
    for f in almaty:
        f.refresh_from_db()
        current = FacilityStatus.objects.get(facility=f).report
        assert current.source == "edxl" and current.reporter == "ncc"
        assert current.pk in {r.pk for r in result.reports}
        assert figures(current) == before[f.code]
    audit = AuditEvent.objects.filter(action="edxl_have_import").get()
    assert audit.changes == {"facilities": ["ALA-001", "ALA-002"], "ignored": 2}


def test_a_malformed_message_is_refused_and_nothing_is_written(almaty):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=b"<have:HospitalStatus xmlns:have='x'><have:Hospital>", now=NOW)
    [(code, loc, msg)] = errors_of(exc.value)
    assert (code, loc) == ("edxl_invalid", "line 1")
    assert msg.startswith("Not well-formed XML: ")  # then libxml2's own words, which vary by version
    with pytest.raises(ValidationFailed) as empty:
        edxl_have_import(actor=NATIONAL, data=b"  \n", now=NOW)
    assert errors_of(empty.value) == [("edxl_invalid", "", "The message is empty.")]
    assert counts() == before


def test_a_schema_invalid_hospital_is_named_and_nothing_is_written(almaty):
    before = counts()
    xml = export().replace(b"<have:BedType>Pediatrics</have:BedType>", b"<have:BedType>Kids</have:BedType>")
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=xml, now=NOW)
    [error] = exc.value.errors
    assert error["code"] == "edxl_invalid"
    assert error["loc"] == ["Hospital[2]", "HospitalBedCapacityStatus", "BedCapacity", "BedType"]
    assert error["msg"].startswith("Does not match the EDXL schema: Element "
                                   "'{urn:oasis:names:tc:emergency:EDXL:HAVE:1.0}BedType': [facet 'enumeration'] "
                                   "The value 'Kids' is not an element of the set")
    assert error["line"] == xml.decode().splitlines().index("        <have:BedType>Kids</have:BedType>") + 1
    assert counts() == before


def test_an_unknown_facility_fails_the_whole_message(almaty):
    before = counts()
    xml = export().replace(b'xnl:OrganisationID="ALA-002"', b'xnl:OrganisationID="ALA-404"')
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=xml, now=NOW)
    assert errors_of(exc.value) == [
        ("unknown_facility", "Hospital[2].Organization.OrganizationInformation.OrganisationName.@OrganisationID",
         "No facility has the code ALA-404.")]
    assert counts() == before


def test_a_capacity_rule_broken_by_the_second_hospital_rolls_back_the_first(almaty):
    before = counts()
    xml = export().replace(b"<have:AvailableCount>5</have:AvailableCount>",
                           b"<have:AvailableCount>6</have:AvailableCount>")
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=xml, now=NOW)
    assert errors_of(exc.value) == [
        ("available_exceeds_staffed", "Hospital[2].HospitalBedCapacityStatus.BedCapacity[1].Capacity.AvailableCount",
         "Available beds exceed staffed beds.")]
    assert counts() == before


def test_a_regional_coordinator_imports_only_hospitals_of_their_region(kz, almaty):
    status(facility(kz["KZ-11"], "AKM-001"), beds=(("AdultICU", 2, 1, 1, None),))
    both = edxl_have_export(actor=NATIONAL, now=NOW)
    almaty_only = export()
    coordinator = Principal(label="ala-coord", role=Role.REGIONAL_COORDINATOR, scope_level=ScopeLevel.REGION,
                            region_id=kz["KZ-75"].pk)
    reports = CapacityReport.objects.count()
    with pytest.raises(PermissionDenied) as exc:
        edxl_have_import(actor=coordinator, data=both, now=NOW)
    assert (exc.value.code.value, exc.value.field) == ("forbidden", "Hospital[1]")  # AKM-001 sorts first
    assert CapacityReport.objects.count() == reports
    denied = AuditEvent.objects.get(outcome=AuditEvent.Outcome.DENIED)  # kept: asked outside the transaction
    assert (denied.actor_label, denied.action, denied.object_id) == ("ala-coord", "report_capacity", "AKM-001")
    assert len(edxl_have_import(actor=coordinator, data=almaty_only, now=NOW).reports) == 2


def test_the_uicds_sample_is_refused_for_want_of_organization_ids_and_imports_once_they_are_added(kz):
    if not UICDS.is_file():
        pytest.skip("../shared/schemas/edxl-have-1.0/examples-nonofficial is absent")
    sample = UICDS.read_bytes()
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=sample, now=NOW)
    missing = ("edxl_invalid", "Organization.OrganizationInformation.OrganisationName.@OrganisationID",
               ("The organization ID is missing: Jedel matches each hospital by its facility code in "
               "xnl:OrganisationName/@xnl:OrganisationID."))
    assert errors_of(exc.value) == [(missing[0], f"Hospital[{i}].{missing[1]}", missing[2]) for i in (1, 2)]
    bare = etree.tostring(etree.fromstring(sample).find(f".//{{{HAVE_NS}}}HospitalStatus"))
    with pytest.raises(ValidationFailed) as bare_exc:  # the HAVE part alone: the same verdict
        edxl_have_import(actor=NATIONAL, data=bare, now=NOW)
    assert errors_of(bare_exc.value) == errors_of(exc.value)
    assert counts() == before

    # The same message with IDs (the sample names hospitals only): both import, envelope and all.
    root = etree.fromstring(sample)
    for i, name in enumerate(root.iter(f"{{{XNL_NS}}}OrganisationName"), 1):
        name.set(f"{{{XNL_NS}}}OrganisationID", f"UICDS-{i}")
        facility(kz["KZ-75"], f"UICDS-{i}")
    result = edxl_have_import(actor=NATIONAL, data=etree.tostring(root), now=NOW)
    [first] = (figures(r) for r in result.reports)
    assert first["reported_at"] == datetime(2010, 11, 11, 19, 59, 12, 390000, tzinfo=UTC)
    assert (first["ed_status"], first["oxygen_status"], first["ventilators_total"]) == ("open", "unknown", None)
    assert {k: (b.staffed, b.occupied, b.available, b.surge_24h) for k, b in first["beds"].items()} == \
        {"Burn": (None, None, 100, None)}
    # The second hospital states nothing but its time, and UICDS-2 has no report to confirm: nothing stored.
    assert result.ignored == ("Hospital[2]: states no figures and UICDS-2 has no earlier report: nothing stored.",)


def test_foreign_values_are_mapped_or_reported(almaty):
    xml = export().decode()
    xml = xml.replace("<have:EMSTrafficStatus>Normal</have:EMSTrafficStatus>",
                      "<have:EMSTrafficStatus>NotApplicable</have:EMSTrafficStatus>")
    xml = xml.replace("<have:EMSTrafficReason>CT down until 14:00</have:EMSTrafficReason>", "")
    xml = xml.replace("<have:BedType>Pediatrics</have:BedType>", "<have:BedType>NurseryBeds</have:BedType>")
    xml = xml.replace("<have:TriageCodeValue>Green</have:TriageCodeValue>",
                      "<have:TriageCodeValue>Black</have:TriageCodeValue>")
    result = edxl_have_import(actor=NATIONAL, data=xml.encode(), now=NOW)
    first, second = (figures(r) for r in result.reports)
    assert (first["ed_status"], first["ed_status_reason"]) == ("diversion", ("No reason given in the EDXL-HAVE "
                                                               "message."))
    # Green is no longer stated (Black is not tracked): its figure is carried forward from the stored report,
    # as is the Pediatrics bed type the message now reports only as NurseryBeds.
    assert (first["mci_immediate_per_hour"], first["mci_minimal_per_hour"]) == (4, 20)
    assert (second["ed_status"], second["ed_status_reason"]) == (
        "closed", "No emergency department (EDXL-HAVE NotApplicable).")
    assert {k: (b.staffed, b.occupied, b.available) for k, b in second["beds"].items()} == \
        {"Pediatrics": (30, 25, 5)}
    assert result.ignored[:2] == ("Hospital[1]: triage code Black is not tracked.",
                                  "Hospital[1]: ServiceCoverageStatus is registry data and was not imported.")
    assert result.ignored[2] == "Hospital[2]: BedCapacity[1] (NurseryBeds) is not a bed type Jedel tracks."


@pytest.mark.parametrize(("old", "new", "expected"), [
    (b"2026-03-10T05:30:00Z", b"2026-03-10T05:30:00",
     ("edxl_invalid", "Hospital[1].LastUpdateTime",
      "A date and time with a UTC offset is required, e.g. 2026-03-01T08:30:00Z.")),
    (b"jedel:ct_operational=true", b"jedel:ct_operational=maybe",
     ("edxl_invalid", "Hospital[1].HospitalResourcesStatus.ResourcesInformationText.ct_operational",
      "Expected true or false, not 'maybe'.")),
    (b"jedel:occupied=10", b"jedel:occupied=ten",
     ("edxl_invalid", "Hospital[1].HospitalBedCapacityStatus.BedCapacity[1].CommentText",
      "Expected a whole number of at least 0, not 'ten'.")),
    (b"jedel:oxygen_status=limited", b"jedel:oxygen_status=plenty",
     ("bad_oxygen_status", "Hospital[1].HospitalResourcesStatus.ResourcesInformationText.oxygen_status",
      "Unknown oxygen status.")),
    (b"jedel:ventilators_in_use=4", b"jedel:ventilators_in_use=11",
     ("ventilators_in_use_exceed_total",
      "Hospital[1].HospitalResourcesStatus.ResourcesInformationText.ventilators_in_use",
      "Ventilators in use exceed the total.")),
    (b'xnl:OrganisationID="ALA-002"', b'xnl:OrganisationID="ALA-001"',
     ("edxl_invalid", "Hospital[2].Organization.OrganizationInformation.OrganisationName.@OrganisationID",
      "Facility ALA-001 is already reported by Hospital[1].")),
])
def test_bad_values_are_named_by_hospital_and_element(almaty, old, new, expected):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=export().replace(old, new, 1), now=NOW)
    assert errors_of(exc.value) == [expected]
    assert counts() == before


def test_a_document_type_declaration_is_refused_so_no_entity_is_ever_expanded(almaty):
    before = counts()
    xml = export().replace(b"<?xml version='1.0' encoding='UTF-8'?>",
                           b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>')
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=xml.replace(b"CT down until 14:00", b"&xxe;"), now=NOW)
    assert errors_of(exc.value) == [("edxl_invalid", "DOCTYPE",
                                     "A document type declaration is not allowed in an EDXL message.")]
    assert counts() == before


def test_an_edxl_de_envelope_without_have_content_is_refused(almaty):
    envelope = (b'<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0">'
                b"<distributionID>x</distributionID><senderID>a@b</senderID>"
                b"<dateTimeSent>2026-03-10T05:30:00Z</dateTimeSent><distributionStatus>Test</distributionStatus>"
                b"<distributionType>Report</distributionType><combinedConfidentiality>U</combinedConfidentiality>"
                b"</EDXLDistribution>")
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=envelope, now=NOW)
    assert errors_of(exc.value) == [("edxl_invalid", "EDXLDistribution",
                                     "The EDXL-DE message carries no EDXL-HAVE HospitalStatus.")]
    with pytest.raises(ValidationFailed) as other:
        edxl_have_import(actor=NATIONAL, data=f"<alert xmlns='{HAVE_NS}'/>".encode(), now=NOW)
    assert errors_of(other.value) == [("edxl_invalid", "alert", ("Expected an EDXL-HAVE 1.0 HospitalStatus, bare "
                                       "or inside an EDXL-DE 1.0 EDXLDistribution."))]


def test_without_the_shipped_schema_the_field_checks_still_hold(almaty, monkeypatch):
    monkeypatch.setattr(edxl_have, "HAVE_XSD", edxl_have.SCHEMA_DIR / "missing.xsd")
    xml = export().replace(b"<have:AvailableCount>2<", b"<have:AvailableCount>two<")
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=xml, now=NOW)
    assert errors_of(exc.value) == [("edxl_invalid", ("Hospital[1].HospitalBedCapacityStatus.BedCapacity[1]."
                                     "Capacity.AvailableCount"), "Expected a whole number, not 'two'.")]
    with pytest.raises(ValidationFailed) as empty:
        edxl_have_import(actor=NATIONAL, data=f"<HospitalStatus xmlns='{HAVE_NS}'/>".encode(), now=NOW)
    assert errors_of(empty.value) == [("edxl_invalid", "HospitalStatus", "The message reports no Hospital.")]

"""EDXL-HAVE import semantics: a message updates only what it reports (carry forward), a reopened emergency
department loses its old diversion reason, operational status is stored, and a re-imported message stores
nothing new."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from tests.capacity.edxl_helpers import NATIONAL, NOW, export, facility

from jedel.capacity.interop.edxl_have_import import edxl_have_import
from jedel.capacity.models import CapacityReport, FacilityStatus
from jedel.capacity.operational import OperationalInput
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.selectors.operational import operational_get
from jedel.capacity.selectors.status import report_figures
from jedel.capacity.services.carry_forward import Mentioned, report_carry_forward
from jedel.capacity.services.reports import report_submit

LATER = "2026-03-10T05:50:00Z"


def message(code: str, body: str, at: str = LATER) -> bytes:
    """A schema-valid HospitalStatus with one Hospital: `body` goes between Organization and LastUpdateTime."""
    return f"""<have:HospitalStatus xmlns:have="urn:oasis:names:tc:emergency:EDXL:HAVE:1.0"
      xmlns:xnl="urn:oasis:names:tc:ciq:xnl:3"><have:Hospital><have:Organization><have:OrganizationInformation>
      <xnl:OrganisationName xnl:ID="{code}"><xnl:NameElement>x</xnl:NameElement></xnl:OrganisationName>
      </have:OrganizationInformation></have:Organization>{body}<have:LastUpdateTime>{at}</have:LastUpdateTime>
      </have:Hospital></have:HospitalStatus>""".encode()


def current(code: str):
    report = FacilityStatus.objects.get(facility__code=code).report
    return report_figures(CapacityReport.objects.get(pk=report.pk)), operational_get(report.pk)


def beds(figures) -> dict[str, tuple]:
    return {k: (b.staffed, b.occupied, b.available, b.surge_24h) for k, b in figures.beds.items()}


ONE_BED = """<have:HospitalBedCapacityStatus><have:BedCapacity><have:BedType>AdultICU</have:BedType>
  <have:Capacity><have:AvailableCount>1</have:AvailableCount><have:BaselineCount>12</have:BaselineCount>
  </have:Capacity></have:BedCapacity></have:HospitalBedCapacityStatus>"""


def test_a_partial_message_updates_only_what_it_reports(almaty):
    [report] = edxl_have_import(actor=NATIONAL, data=message("ALA-001", ONE_BED), now=NOW).reports
    figures, op = current("ALA-001")
    assert figures.report_id == report.pk and figures.reported_at == datetime(2026, 3, 10, 5, 50, tzinfo=UTC)
    # The bed type it reports is replaced as a whole; the others are kept, as are resources and the ED status.
    assert beds(figures) == {"AdultICU": (12, None, 1, None), "MedicalSurgical": (None, None, 7, None),
                             "Burn": (4, 4, 0, None)}
    assert (figures.ventilators_total, figures.ventilators_in_use, figures.oxygen_status) == (10, 4, "limited")
    assert (figures.ct_operational, figures.xray_operational, figures.lab_tests_capacity_per_day) == (True, False, 200)
    assert (figures.ed_status, figures.ed_status_reason) == ("diversion", "CT down until 14:00")
    assert (figures.mci_immediate_per_hour, figures.mci_minimal_per_hour, figures.note) == (
        4, 20, "Generator on test run")
    assert op == OperationalInput(facility_status="compromised", security_status="elevated", staffing="insufficient",
                                  admissions_24h=40, discharges_24h=35, deaths_24h=1)


def test_a_reopened_department_in_a_message_loses_the_old_reason(almaty):
    body = ("<have:EmergencyDepartmentStatus><have:EMSTraffic><have:EMSTrafficStatus>Normal</have:EMSTrafficStatus>"
            "</have:EMSTraffic></have:EmergencyDepartmentStatus>")
    edxl_have_import(actor=NATIONAL, data=message("ALA-001", body), now=NOW)
    figures, _ = current("ALA-001")
    assert (figures.ed_status, figures.ed_status_reason, figures.ventilators_total) == ("open", "", 10)


def test_a_reopened_department_keeps_no_reason_whoever_sends_it(almaty):
    # The web form prefills the last reason; a report that reopens the department must not store it.
    full, _bare = almaty
    data = ReportInput(reported_at=datetime(2026, 3, 10, 5, 50, tzinfo=UTC), ed_status="open",
                       ed_status_reason="CT down until 14:00", beds=(BedInput("AdultICU", available=2),))
    report = report_submit(actor=NATIONAL, facility=full, data=data, source="web", now=NOW)
    assert CapacityReport.objects.get(pk=report.pk).ed_status_reason == ""


def test_operational_status_alone_is_read_stored_and_shown_for_a_facility_without_reports(kz, client):
    from jedel.accounts.models import Role
    from jedel.accounts.services import SYSTEM, user_create

    f = facility(kz["KZ-75"], "ALA-009")
    body = ("<have:HospitalFacilityStatus><have:FacilityStatus>Evacuating</have:FacilityStatus>"
            "<have:SecurityStatus>Lockdown</have:SecurityStatus><have:Activity24Hr><have:Admissions>3"
            "</have:Admissions><have:Deaths>1</have:Deaths></have:Activity24Hr></have:HospitalFacilityStatus>"
            "<have:HospitalResourcesStatus><have:Staffing>Insufficient</have:Staffing></have:HospitalResourcesStatus>")
    edxl_have_import(actor=NATIONAL, data=message("ALA-009", body), now=NOW)
    _figures, op = current("ALA-009")
    assert op == OperationalInput(facility_status="evacuating", security_status="lockdown", staffing="insufficient",
                                  admissions_24h=3, deaths_24h=1)
    user_create(actor=SYSTEM, username="ncc-page", password="page-pass-2026", role=Role.NATIONAL_COORDINATOR)
    client.login(username="ncc-page", password="page-pass-2026")
    page = client.get(f"/facilities/{f.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    panel = page[page.index('id="operational-status"'):]
    panel = panel[:panel.index("</section>")]
    for text in ('<span class="badge closed">Evacuating</span>', '<span class="badge closed">Lockdown</span>',
                 "<dt>Staffing</dt><dd>Insufficient</dd>", "<dt>Admissions, last 24 h</dt><dd>3</dd>",
                 "<dt>Discharges, last 24 h</dt><dd>—</dd>", "<dt>Deaths, last 24 h</dt><dd>1</dd>"):
        assert text in panel


def test_the_facility_page_has_no_operational_panel_when_none_was_reported(kz, client):
    from jedel.accounts.models import Role
    from jedel.accounts.services import SYSTEM, user_create

    f = facility(kz["KZ-75"], "ALA-010")
    edxl_have_import(actor=NATIONAL, data=message("ALA-010", ONE_BED), now=NOW)
    user_create(actor=SYSTEM, username="ncc-page", password="page-pass-2026", role=Role.NATIONAL_COORDINATOR)
    client.login(username="ncc-page", password="page-pass-2026")
    page = client.get(f"/facilities/{f.code}/")
    assert page.status_code == 200 and b'id="current-status"' in page.content
    assert b'id="operational-status"' not in page.content


def test_re_importing_the_same_message_stores_nothing_new(almaty):
    xml = message("ALA-001", ONE_BED)
    first = edxl_have_import(actor=NATIONAL, data=xml, now=NOW)
    reports = CapacityReport.objects.count()
    again = edxl_have_import(actor=NATIONAL, data=xml, now=NOW)
    assert (again.reports, [r.pk for r in again.duplicates]) == ((), [first.reports[0].pk])
    # The same statement in an EDXL-DE envelope with a new distribution id, after a newer web report: still the
    # same statement, still nothing new (the key is what the hospital said, not what it was merged with).
    full, _bare = almaty
    report_submit(actor=NATIONAL, facility=full, source="web", now=NOW, data=ReportInput(
        reported_at=datetime(2026, 3, 10, 5, 55, tzinfo=UTC), beds=(BedInput("AdultICU", available=5),)))
    wrapped = (b'<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0">'
               b"<distributionID>resent-2</distributionID><senderID>a@b</senderID>"
               b"<dateTimeSent>2026-03-10T05:56:00Z</dateTimeSent><distributionStatus>Actual</distributionStatus>"
               b"<distributionType>Report</distributionType><combinedConfidentiality>U</combinedConfidentiality>"
               b"<contentObject><xmlContent><embeddedXMLContent>" + xml +
               b"</embeddedXMLContent></xmlContent></contentObject></EDXLDistribution>")
    resent = edxl_have_import(actor=NATIONAL, data=wrapped, now=NOW)
    assert (resent.reports, len(resent.duplicates)) == ((), 1)
    assert CapacityReport.objects.count() == reports + 1  # the web report only


def test_re_importing_the_full_export_stores_nothing_new_and_a_correction_is_stored(almaty):
    xml = export()
    assert len(edxl_have_import(actor=NATIONAL, data=xml, now=NOW).reports) == 2
    reports = CapacityReport.objects.count()
    again = edxl_have_import(actor=NATIONAL, data=xml, now=NOW)
    assert ([r.facility.code for r in again.duplicates], CapacityReport.objects.count()) == (
        ["ALA-001", "ALA-002"], reports)
    corrected = edxl_have_import(actor=NATIONAL, data=xml.replace(b">7</have:AvailableCount>",
                                                                  b">6</have:AvailableCount>"), now=NOW)
    assert ([r.facility.code for r in corrected.reports], [r.facility.code for r in corrected.duplicates]) == (
        ["ALA-001"], ["ALA-002"])
    assert beds(current("ALA-001")[0])["MedicalSurgical"] == (None, None, 6, None)


def test_the_database_refuses_a_second_report_with_the_same_key(almaty):
    full, _bare = almaty
    at = datetime(2026, 3, 10, 5, 50, tzinfo=UTC)
    CapacityReport.objects.create(facility=full, reported_at=at, received_at=at, source="edxl", reporter="t",
                                  idempotency_key="edxl-have:k")
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityReport.objects.create(facility=full, reported_at=at, received_at=at, source="edxl", reporter="t",
                                      idempotency_key="edxl-have:k")
    # Without a key there is no such limit (every web report has none).
    for _ in range(2):
        CapacityReport.objects.create(facility=full, reported_at=at, received_at=at, source="web", reporter="t")


def test_carry_forward_takes_the_newest_report_at_or_before_the_new_ones_time(almaty):
    full, _bare = almaty
    early = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)  # before the fixture's report at 05:30: nothing to carry
    data = report_carry_forward(facility=full, data=ReportInput(reported_at=early), mentioned=Mentioned())
    assert (data.beds, data.ventilators_total, data.staffing) == ((), None, "")
    # A "nothing changed" confirmation: every figure carried forward, the operational status too.
    later = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    data = report_carry_forward(facility=full, data=ReportInput(reported_at=later), mentioned=Mentioned())
    assert ([b.bed_type for b in data.beds], data.ed_status, data.reported_at, data.staffing) == (
        ["AdultICU", "MedicalSurgical", "Burn"], "diversion", later, "insufficient")
    complete = report_carry_forward(facility=full, data=ReportInput(reported_at=later),
                                    mentioned=Mentioned.everything())
    assert complete == ReportInput(reported_at=later)


def test_bad_operational_values_are_refused_with_their_element_named(almaty):
    from tests.capacity.edxl_helpers import counts, errors_of

    from jedel.common.errors import ValidationFailed

    before = counts()
    body = ("<have:HospitalFacilityStatus><have:Activity24Hr><have:Admissions>-3</have:Admissions>"
            "</have:Activity24Hr></have:HospitalFacilityStatus>")
    with pytest.raises(ValidationFailed) as exc:
        edxl_have_import(actor=NATIONAL, data=message("ALA-001", body), now=NOW)
    [(code, loc, _msg)] = errors_of(exc.value)
    assert (code, loc) == ("negative_count", "Hospital[1].HospitalFacilityStatus.Activity24Hr.Admissions")
    assert counts() == before
    full, _bare = almaty
    with pytest.raises(ValidationFailed) as direct:
        report_submit(actor=NATIONAL, facility=full, source="api", now=NOW,
                      data=ReportInput(reported_at=NOW, beds=(BedInput("AdultICU", available=2),),
                                       facility_status="burning", deaths_24h=2_000_000))
    assert [(e["code"], e["loc"]) for e in direct.value.errors] == [
        ("bad_value", ["facility_status"]), ("bad_value", ["deaths_24h"])]

"""`jedel export edxl-have|saner` and `jedel import edxl-have`: output, files, and one-line errors (exit 2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from lxml import etree
from typer.testing import CliRunner

from jedel.accounts.models import AuditEvent
from jedel.cli.main import app
from jedel.capacity.interop.edxl_have import have_schema
from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus
from jedel.facilities.models import Facility

runner = CliRunner()
AT = datetime(2026, 3, 10, 5, 30, tzinfo=UTC)


@pytest.fixture
def almaty(kz):
    f = Facility.objects.create(code="ALA-1", name_en="Hospital ALA-1", kind="city_hospital", region=kz["KZ-75"],
                                lat=43.25, lon=76.95)
    report = CapacityReport.objects.create(facility=f, reported_at=AT, received_at=AT, source="web",
                                           reporter="test", ed_status="closed", ed_status_reason="Flooded")
    BedCapacity.objects.create(report=report, bed_type="Burn", staffed=6, occupied=2, available=4)
    FacilityStatus.objects.create(facility=f, report=report, reported_at=AT)
    return f


def invoke(*args: str, stdin: bytes | None = None):
    return runner.invoke(app, list(args), input=stdin)


def test_export_edxl_have_to_stdout_and_to_a_file(almaty, tmp_path):
    result = invoke("export", "edxl-have", "--region", "KZ-75")
    assert (result.exit_code, result.stderr) == (0, "")
    doc = etree.fromstring(result.stdout_bytes)
    assert have_schema().validate(doc)
    target = tmp_path / "status.xml"
    written = invoke("export", "edxl-have", "-o", str(target))
    assert (written.exit_code, written.stdout) == (0, f"wrote {target}\n")
    assert target.read_bytes() == result.stdout_bytes


def test_export_saner(almaty):
    result = invoke("export", "saner", "--region", "KZ-75", "--scope", "region")
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)["entry"]
    assert entry["resource"]["group"][0]["measureScore"]["value"] == 4


@pytest.mark.parametrize(("args", "line"), [
    (("export", "edxl-have", "--region", "KZ-99"), "error: region: Unknown region code. [unknown_region]\n"),
    (("export", "saner", "--scope", "country"), "error: --scope: must be facility or region, not 'country'\n"),
    (("import", "edxl-have", "/nonexistent/status.xml"),
     "error: /nonexistent/status.xml: cannot read: No such file or directory\n"),
])
def test_bad_arguments_give_one_line_on_stderr_and_exit_2(almaty, args, line):
    result = invoke(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", line)


def test_import_acts_as_the_system_principal(almaty, tmp_path):
    path = tmp_path / "status.xml"
    path.write_bytes(invoke("export", "edxl-have").stdout_bytes)
    result = invoke("import", "edxl-have", str(path))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == ("imported 1 report: ALA-1\n"
                             "ignored: Hospital[1]: ServiceCoverageStatus is registry data and was not imported.\n")
    current = FacilityStatus.objects.get(facility=almaty).report
    assert (current.source, current.reporter, current.ed_status, current.ed_status_reason) == (
        "edxl", "system", "closed", "Flooded")
    assert AuditEvent.objects.filter(action="edxl_have_import", actor_label="system").count() == 1


def test_import_from_stdin_and_a_refused_message(almaty):
    xml = invoke("export", "edxl-have").stdout_bytes
    assert invoke("import", "edxl-have", "-", stdin=xml).exit_code == 0
    reports = CapacityReport.objects.count()
    bad = xml.replace(b"<have:AvailableCount>4</have:AvailableCount>", b"<have:AvailableCount>5</have:AvailableCount>")
    result = invoke("import", "edxl-have", "-", stdin=bad.replace(b'"ALA-1"', b'"ALA-2"'))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: Hospital[1].Organization.OrganizationInformation.OrganisationName.@OrganisationID: "
        "No facility has the code ALA-2. [unknown_facility]\n")
    result = invoke("import", "edxl-have", "-", stdin=bad)
    assert result.stderr == (
        "error: Hospital[1].HospitalBedCapacityStatus.BedCapacity[1].Capacity.AvailableCount: "
        "Available beds exceed staffed beds. [available_exceeds_staffed]\n")
    assert CapacityReport.objects.count() == reports

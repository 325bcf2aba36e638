"""`jedel demo`, `jedel import facilities|referrals`, `jedel export facilities|referrals`: every bad line on
stderr as `line N: field: message`, exit 2 and nothing written; exports to stdout or a file."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from jedel.accounts.models import AuditEvent, User
from jedel.cli import facilities
from jedel.cli.groups import export_app, import_app
from jedel.facilities.io.csv_format import COLUMNS
from jedel.capacity.models import CapacityReport, FacilityStatus
from jedel.facilities.models import Facility, ReferralLink

runner = CliRunner()
# The commands as `jedel` wires them (cli/main.py), without importing every other command module.
app = typer.Typer()
facilities.register(app)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
HEADER = ",".join(COLUMNS)
ROW_ALA = "ALA-1,City Hospital 1,,,city_hospital,public,KZ-75,1526384,43.25,76.95,2,ct;laboratory,240,false"
ROW_AST = "AST-1,National Centre,,,national_centre,public,KZ-71,,51.18,71.45,1,ct,60,false"
CSV = f"{HEADER}\n{ROW_ALA}\n{ROW_AST}\n"


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_import_dry_run_then_import_then_export_round_trip(kz, csv_file, tmp_path):
    dry = invoke("import", "facilities", str(csv_file), "--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout == ("facilities checked (dry run, nothing written) (csv): "
                          "2 created, 0 updated, 0 unchanged\n")
    assert not Facility.objects.exists()
    done = invoke("import", "facilities", str(csv_file))
    assert done.exit_code == 0
    assert done.stdout == "facilities imported (csv): 2 created, 0 updated, 0 unchanged\n"
    assert AuditEvent.objects.get(action="facility_import").actor_label == "system"
    out = invoke("export", "facilities")
    assert (out.exit_code, out.stdout) == (0, f"{HEADER}\n{ROW_ALA}\n{ROW_AST}\n")
    target = tmp_path / "out.csv"
    assert invoke("export", "facilities", "--region", "KZ-71", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == f"{HEADER}\n{ROW_AST}\n"


def test_bad_lines_are_printed_on_stderr_with_exit_2_and_nothing_written(kz, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\n{ROW_ALA}\nBAD,X,,,city_hospital,,KZ-75,,60.1,76.9,,,240,false\n"
                    f"{ROW_AST.replace('KZ-71', 'KZ-00')}\n", encoding="utf-8")
    result = invoke("import", "facilities", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "line 3: lat: must be between 40 and 56",
        "line 4: region_iso: unknown region 'KZ-00' (ISO 3166-2, e.g. KZ-75)",
        "error: 2 problem(s); nothing was imported",
    ]
    assert not Facility.objects.exists()


def test_bad_header_missing_file_and_bad_options(kz, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name\n", encoding="utf-8")
    header = invoke("import", "facilities", str(path))
    assert header.exit_code == 2 and header.stderr.splitlines()[0].startswith(
        "line 1: header: missing columns: name_en, ")
    missing = invoke("import", "facilities", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and missing.stderr.startswith("error: ") and "cannot read" in missing.stderr
    assert invoke("import", "facilities", str(path), "--format", "xml").exit_code == 2
    region = invoke("export", "facilities", "--region", "KZ-99")
    assert region.exit_code == 2
    assert region.stderr == "error: --region: unknown region 'KZ-99' (ISO 3166-2, e.g. KZ-75)\n"
    assert invoke("export", "facilities", "--format", "xml").exit_code == 2


def test_fhir_export_and_import_by_extension(kz, csv_file, tmp_path):
    invoke("import", "facilities", str(csv_file))
    bundle = tmp_path / "facilities.json"
    assert invoke("export", "facilities", "--format", "fhir", "-o", str(bundle)).exit_code == 0
    assert json.loads(bundle.read_text(encoding="utf-8"))["resourceType"] == "Bundle"
    Facility.objects.all().delete()
    result = invoke("import", "facilities", str(bundle))
    assert result.exit_code == 0
    assert result.stdout == "facilities imported (fhir): 2 created, 0 updated, 0 unchanged\n"
    broken = tmp_path / "broken.json"
    broken.write_text('{"resourceType": "Bundle"}', encoding="utf-8")
    bad = invoke("import", "facilities", str(broken))
    assert bad.exit_code == 2
    assert bad.stderr.splitlines()[0] == "type: Value for the field 'type' is required."


def test_referrals_import_and_export(kz, csv_file, tmp_path):
    invoke("import", "facilities", str(csv_file))
    links = tmp_path / "links.csv"
    links.write_text("source_code,target_code,specialty\nALA-1,AST-1,trauma\n", encoding="utf-8")
    assert invoke("import", "referrals", str(links)).stdout == (
        "referral links imported: 1 created, 0 updated, 0 unchanged\n")
    assert invoke("export", "referrals").stdout == "source_code,target_code,specialty\nALA-1,AST-1,trauma\n"
    links.write_text("source_code,target_code,specialty\nALA-1,NOPE,trauma\n", encoding="utf-8")
    bad = invoke("import", "referrals", str(links))
    assert bad.exit_code == 2
    assert bad.stderr.splitlines()[0] == "line 2: target_code: no facility has code 'NOPE'"
    assert ReferralLink.objects.count() == 1


def test_demo_builds_the_whole_network_prints_logins_and_is_idempotent(kz):
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "855 facilities in 20 regions (855 created, 0 refreshed), 818 hospitals, 106,300 beds" in out
    for username in ("demo-national", "demo-almaty", "demo-hospital", "demo-clinician", "demo-security",
                     "demo-viewer"):
        assert username in out
    assert "jedel-demo-2026" in out and "jdl_" in out and "http://127.0.0.1:8000/" in out
    assert "Referral network: 1010 links." in out and ReferralLink.objects.count() == 1010
    assert Facility.objects.filter(synthetic=True).count() == 855
    assert FacilityStatus.objects.count() == 818
    current = CapacityReport.objects.filter(pk__in=FacilityStatus.objects.values("report"))
    diversion = current.filter(ed_status="diversion")
    assert 5 <= diversion.count() <= 40
    again = invoke("demo")
    assert again.exit_code == 0 and "(0 created, 855 refreshed)" in again.stdout
    assert Facility.objects.count() == 855 and User.objects.count() == 8
    # The closed exercise incident with its tracked casualties (demo/incidents.py), made once.
    from jedel.incidents.models import Casualty, Incident

    assert "with 8 tracked casualties (created;" in out and "with 8 tracked casualties (kept;" in again.stdout
    assert Incident.objects.filter(is_exercise=True, status="closed").count() == Incident.objects.count() == 1
    assert Casualty.objects.count() == 8

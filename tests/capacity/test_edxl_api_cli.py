"""EDXL-HAVE dialect, language and strictness through the API and the CLI."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from lxml import etree
from typer.testing import CliRunner

from jedel.accounts.models import Role
from jedel.accounts.services import SYSTEM, token_create, user_create
from jedel.capacity.interop.edxl_have import NSMAP
from jedel.capacity.models import CapacityReport
from jedel.cli.main import app

SAHANA_EXPORT = Path(__file__).parent / "fixtures" / "edxl" / "sahana_export.xml"
runner = CliRunner()


def national() -> Client:
    user = user_create(actor=SYSTEM, username="ncc", password="interop-pass-2026", role=Role.NATIONAL_COORDINATOR)
    _, raw = token_create(actor=SYSTEM, name="ncc", user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def names(xml: bytes) -> list[str]:
    return etree.fromstring(xml).xpath("//xnl:OrganisationName/xnl:NameElement/text()", namespaces=NSMAP)


def test_api_export_dialect_and_language(almaty):
    client = national()
    standard = client.get("/api/export/edxl-have.xml", {"region": "KZ-75"})
    assert names(standard.content) == ["Hospital ALA-001", "Hospital ALA-002"]
    # Without `lang`, the request's language.
    russian = client.get("/api/export/edxl-have.xml", {"region": "KZ-75"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert names(russian.content) == ["Городская больница №1", "Hospital ALA-002"]
    sahana = client.get("/api/export/edxl-have.xml", {"region": "KZ-75", "dialect": "sahana", "lang": "kk"})
    assert (sahana.status_code, sahana["Content-Type"]) == (200, "application/xml; charset=utf-8")
    doc = etree.fromstring(sahana.content)
    assert doc.xpath("//gml:coordinates/text()", namespaces=NSMAP) == ["43.2567, 76.9286", "43.3, 77.0"]
    assert names(sahana.content) == ["№1 қалалық аурухана", "Hospital ALA-002"]
    assert client.get("/api/export/edxl-have.xml", {"dialect": "oasis"}).status_code == 422
    assert client.get("/api/export/edxl-have.xml", {"lang": "de"}).status_code == 422


def test_api_import_of_sahanas_export_skips_unknown_hospitals_unless_strict(almaty):
    client = national()
    body = SAHANA_EXPORT.read_bytes()
    reports = CapacityReport.objects.count()
    standard = client.post("/api/import/edxl-have", data=body, content_type="application/xml")
    assert standard.status_code == 422 and CapacityReport.objects.count() == reports
    strict = client.post("/api/import/edxl-have?dialect=sahana&strict=true", data=body, content_type="application/xml")
    assert [e["code"] for e in strict.json()["detail"]] == ["unknown_facility"]
    ok = client.post("/api/import/edxl-have?dialect=sahana", data=body, content_type="application/xml")
    assert ok.status_code == 200
    data = ok.json()
    assert (data["imported"], data["facilities"], data["already_imported"]) == (2, ["ALA-001", "ALA-002"], [])
    assert data["skipped"] == ["Hospital[3]: No facility has the code urn:uuid:7f3b2c1d-5e6a-4b8c-9d0e-1f2a3b4c5d6e. "
                               "Skipped."]
    again = client.post("/api/import/edxl-have?dialect=sahana", data=body, content_type="application/xml").json()
    assert (again["imported"], again["report_ids"], again["already_imported"]) == (0, [], ["ALA-001", "ALA-002"])
    assert CapacityReport.objects.count() == reports + 2


def test_cli_export_dialect_and_language(almaty):
    result = runner.invoke(app, ["export", "edxl-have", "--region", "KZ-75", "--dialect", "sahana", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    doc = etree.fromstring(result.stdout_bytes)
    assert doc.xpath("//xnl:OrganisationName/@xnl:ID", namespaces=NSMAP) == ["ALA-001", "ALA-002"]
    assert names(result.stdout_bytes) == ["Городская больница №1", "Hospital ALA-002"]
    assert doc.find("have:Hospital/have:EmergencyDepartmentStatus/have:EMSTrafficStatus", NSMAP).text == "Advisory"
    bad = runner.invoke(app, ["export", "edxl-have", "--dialect", "oasis"])
    assert (bad.exit_code, bad.stderr) == (2, "error: --dialect: must be standard or sahana, not 'oasis'\n")
    bad_lang = runner.invoke(app, ["export", "edxl-have", "--lang", "de"])
    assert (bad_lang.exit_code, bad_lang.stderr) == (2, "error: --lang: must be en, ru or kk, not 'de'\n")


def test_cli_import_of_sahanas_export(almaty):
    path = str(SAHANA_EXPORT)
    strict = runner.invoke(app, ["import", "edxl-have", path, "--dialect", "sahana", "--strict"])
    assert strict.exit_code == 2
    assert "No facility has the code urn:uuid:7f3b2c1d-5e6a-4b8c-9d0e-1f2a3b4c5d6e. [unknown_facility]" in strict.stderr
    result = runner.invoke(app, ["import", "edxl-have", path, "--dialect", "sahana"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["imported 2 reports: ALA-001, ALA-002",
                         "skipped: Hospital[3]: No facility has the code urn:uuid:7f3b2c1d-5e6a-4b8c-9d0e-1f2a3b4c5d6e. "
                         "Skipped."]
    again = runner.invoke(app, ["import", "edxl-have", path, "--dialect", "sahana"])
    assert again.stdout.splitlines()[:2] == ["imported 0 reports: —",
                                             "already imported, nothing new stored: ALA-001, ALA-002"]

"""`jedel export edxl-have|saner` and `jedel import edxl-have`: standard-format exchange of the current status.

The CLI is an operator tool run on the server itself (shell access to the host already means full access
to the database), so it acts as the system principal `jedel.accounts.services.SYSTEM`: national scope, and
every import is audited under the label "system".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from jedel.cli.django_setup import fail, setup
from jedel.cli.groups import export_app, import_app

RegionOption = Annotated[str | None, typer.Option("--region", help="ISO 3166-2 code of one region, e.g. KZ-75")]
OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="write to this file instead of stdout")]


DialectOption = Annotated[str, typer.Option(
    "--dialect", help="'standard' (OASIS schema) or 'sahana' (what Sahana Eden's EDXL-HAVE stylesheets read/write)")]


def _check_dialect(dialect: str) -> None:
    from django.utils.translation import gettext as _

    if dialect not in ("standard", "sahana"):
        fail(_("--dialect: must be standard or sahana, not %(dialect)r") % {"dialect": dialect})


@export_app.command("edxl-have")
def export_edxl_have(
    region: RegionOption = None,
    output: OutputOption = None,
    dialect: DialectOption = "standard",
    lang: Annotated[str, typer.Option("--lang", help="language of the organisation names: en, ru or kk")] = "en",
) -> None:
    """Current status of every reporting facility as an OASIS EDXL-HAVE 1.0 HospitalStatus (XML)."""
    setup()
    from django.utils.translation import gettext as _

    from jedel.accounts.services import SYSTEM
    from jedel.common.errors import DomainError
    from jedel.capacity.interop.edxl_have import LANGUAGES, edxl_have_export

    _check_dialect(dialect)
    if lang not in LANGUAGES:
        fail(_("--lang: must be en, ru or kk, not %(lang)r") % {"lang": lang})
    try:
        body = edxl_have_export(actor=SYSTEM, region_iso=region, dialect=dialect, lang=lang)
    except DomainError as exc:
        fail(error_line(exc))
    _write(body, output)


@export_app.command("saner")
def export_saner(
    region: RegionOption = None,
    output: OutputOption = None,
    scope: Annotated[str, typer.Option(help="one MeasureReport per 'facility' or per 'region'")] = "facility",
) -> None:
    """Bed capacity as a FHIR R4 Bundle of SANER-style MeasureReports (JSON)."""
    setup()
    from django.utils.translation import gettext as _

    from jedel.accounts.services import SYSTEM
    from jedel.common.errors import DomainError
    from jedel.capacity.interop.saner import saner_export

    if scope not in ("facility", "region"):
        fail(_("--scope: must be facility or region, not %(scope)r") % {"scope": scope})
    try:
        bundle = saner_export(actor=SYSTEM, region_iso=region, scope=scope)  # type: ignore[arg-type]
    except DomainError as exc:
        fail(error_line(exc))
    _write((json.dumps(bundle, ensure_ascii=False, indent=2) + "\n").encode(), output)


@import_app.command("edxl-have")
def import_edxl_have(
    file: Annotated[str, typer.Argument(help="EDXL-HAVE 1.0 XML, bare or in EDXL-DE 1.0; '-' reads stdin")],
    dialect: DialectOption = "standard",
    strict: Annotated[bool, typer.Option("--strict", help="with --dialect sahana: refuse the whole message "
                                                          "for an unknown hospital instead of skipping it")] = False,
) -> None:
    """Store an EDXL-HAVE status message, one report per hospital, all or nothing (as the system principal).

    A hospital updates only the figures it states; importing the same message again stores nothing new."""
    setup()
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from jedel.accounts.services import SYSTEM
    from jedel.common.errors import DomainError
    from jedel.capacity.interop.edxl_have_import import edxl_have_import

    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        fail(_("%(file)s: cannot read: %(error)s") % {"file": file, "error": exc.strerror or exc})
    _check_dialect(dialect)
    try:
        result = edxl_have_import(actor=SYSTEM, data=data, dialect=dialect, strict=strict)
    except DomainError as exc:
        fail(error_line(exc))
    codes = ", ".join(r.facility.code for r in result.reports) or "—"
    typer.echo(ngettext("imported %(n)d report: %(codes)s", "imported %(n)d reports: %(codes)s",
                        len(result.reports)) % {"n": len(result.reports), "codes": codes})
    if result.duplicates:
        typer.echo(_("already imported, nothing new stored: %(codes)s")
                   % {"codes": ", ".join(r.facility.code for r in result.duplicates)})
    for note in result.skipped:
        typer.echo(_("skipped: %(note)s") % {"note": note})
    for note in result.ignored:
        typer.echo(_("ignored: %(note)s") % {"note": note})


def error_line(exc: Exception) -> str:
    """A domain error (with all its field errors) as one line: `loc: message [code]; …`."""
    detail = exc.as_dict()["detail"]  # type: ignore[attr-defined]
    parts = []
    for e in detail:
        loc = ".".join(str(part) for part in e.get("loc", []))
        parts.append(f"{loc + ': ' if loc else ''}{e['msg']} [{e['code']}]")
    return "; ".join(parts).replace("\n", " ")


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(f"{output}: {exc.strerror or exc}")
    from django.utils.translation import gettext as _

    typer.echo(_("wrote %(file)s") % {"file": output})


def register(app: typer.Typer) -> None:
    """Nothing to add to `app` itself: the commands above hang off the shared `export`/`import` groups."""

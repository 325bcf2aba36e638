"""Incident commands: `jedel incidents export` (casualty tracking as a FHIR R4 Bundle or CSV).

Runs as the operator (the `system` principal, recorded in the audit trail): whoever can run the CLI on the
server already controls the database. Real incidents and exercises are never exported together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jedel.cli.django_setup import fail, setup

incidents_app = typer.Typer(help="Incidents: casualty tracking exports.", no_args_is_help=True)


@incidents_app.command("export")
def incidents_export(
    fmt: Annotated[str, typer.Option("--format", help="fhir (R4 Bundle: Patient + Encounter) or csv")] = "fhir",
    incident: Annotated[list[int] | None, typer.Option("--incident", "-i", min=1,
                                                       help="incident id (repeat for several; default: all)")] = None,
    exercise: Annotated[bool, typer.Option("--exercise", help="export exercises instead of real incidents")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file to write (default: stdout)")] = None,
) -> None:
    """Export the casualties of real incidents (or, with --exercise, of exercises) with their location history."""
    if fmt not in ("fhir", "csv"):
        fail(f"--format: must be fhir or csv, not {fmt!r}")
    setup()
    from jedel.accounts.services import SYSTEM
    from jedel.common.errors import DomainError
    from jedel.incidents.services.exports import tracking_export

    try:
        export = tracking_export(actor=SYSTEM, fmt=fmt, incident_ids=list(incident) if incident else None,
                                 exercise=exercise)
    except DomainError as exc:
        where = f"--incident {incident[int(exc.field.split('.')[1])]}" if exc.field and exc.field.startswith(
            "incident.") and incident else "--incident"
        fail(f"{where}: {exc.detail}")
    if output is None:
        typer.echo(export.content.decode(), nl=False)
        return
    try:
        output.write_bytes(export.content)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    typer.echo(f"wrote {output}: {export.casualties} casualties of {export.incidents} "
               f"{'exercise(s)' if exercise else 'incident(s)'}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(incidents_app, name="incidents")

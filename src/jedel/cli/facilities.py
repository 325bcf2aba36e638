"""Facility commands: `jedel demo`, `jedel import facilities|referrals`, `jedel export facilities|referrals`.

Imports run as the operator (the `system` principal, recorded in the audit trail): whoever can run the
CLI on the server already controls the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from jedel.cli.django_setup import fail, setup
from jedel.cli.groups import export_app, import_app

FORMATS = ("auto", "csv", "fhir")


SeedOpt = Annotated[int, typer.Option(help="seed of the synthetic network (same seed, same network)")]


def demo(seed: SeedOpt = 2026) -> None:
    """Set up the database and load the synthetic demo network, its capacity and one demo user per role.

    Safe to run again: nothing is duplicated, existing demo hospitals get a fresh capacity report.
    """
    from jedel.cli.platform import migrate

    migrate()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from jedel.demo.network import demo_network_generate, demo_users_create

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("synthetic network", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"synthetic network: {step}", completed=done, total=total)

        result = demo_network_generate(seed=seed, progress=progress)
    users = demo_users_create()
    from jedel.demo.incidents import demo_exercise_create

    exercise = demo_exercise_create()
    from jedel.demo.preparedness import demo_preparedness_create
    from jedel.demo.security import demo_security_create
    from jedel.demo.supplies import demo_supplies_create
    from jedel.demo.transfers import demo_transfers_create

    summaries = [demo_preparedness_create(), demo_security_create(), demo_transfers_create(), demo_supplies_create()]
    console = Console()
    kinds = ", ".join(f"{k} {n}" for k, n in result.by_kind.items())
    console.print(f"Synthetic network (seed {seed}): {result.facilities} facilities in {result.regions} "
                  f"regions ({result.created} created, {result.refreshed} refreshed), "
                  f"{result.inpatient} hospitals, {result.beds:,} beds, {result.reports:,} capacity reports, "
                  f"{result.seconds:.1f} s.", soft_wrap=True)
    if result.referral_links:
        console.print(f"Referral network: {result.referral_links} links.", soft_wrap=True)
    console.print(f"By kind: {kinds}.", highlight=False, soft_wrap=True)
    console.print(f"Closed exercise incident #{exercise.incident_id} with {exercise.casualties} tracked casualties "
                  f"({'created' if exercise.created else 'kept'}; Incidents → Exercises).", soft_wrap=True)
    for summary in filter(None, summaries):
        console.print(summary, highlight=False, soft_wrap=True)
    table = Table(title="Demo sign-ins (synthetic data only)")
    for column in ("username", "password", "role", "scope"):
        table.add_column(column)
    for login in users.logins:
        table.add_row(login.username, login.password, login.role, login.scope)
    console.print(table)
    if users.token is None:  # the existing demo token keeps working; its secret was shown when it was made
        console.print(f"API token for {users.hospital_code}: kept ({users.token_kept} working; "
                      "`jedel token list`, `jedel token rotate ID` for a new secret).", highlight=False, soft_wrap=True)
    else:
        console.print(f"API token for {users.hospital_code} ({users.hospital_name}), shown once:",
                      highlight=False, soft_wrap=True)
        console.print(f"  {users.token}", highlight=False, soft_wrap=True)
    console.print("Open http://127.0.0.1:8000/ once `JEDEL_DEMO=1 jedel serve` runs (`make demo` starts it).",
                  soft_wrap=True)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        fail(f"{file}: cannot read: {exc.strerror or exc}")


def _run_import(action: Any) -> Any:
    """Run an import; print every problem on stderr (exit 2) or the one domain error."""
    from jedel.common.errors import DomainError
    from jedel.facilities.io import MAX_LISTED_ISSUES, ImportFailed

    try:
        return action()
    except ImportFailed as exc:
        for issue in exc.issues[:MAX_LISTED_ISSUES]:
            typer.echo(str(issue), err=True)
        if exc.more:
            typer.echo(exc.more, err=True)
        typer.echo(f"error: {len(exc.issues)} problem(s); nothing was imported", err=True)
        raise typer.Exit(2) from None
    except DomainError as exc:
        fail(f"{exc.field or exc.code.value}: {exc.detail}")


def _summary(what: str, result: Any, extra: str = "") -> None:
    verb = "checked (dry run, nothing written)" if result.dry_run else "imported"
    typer.echo(f"{what} {verb}{extra}: {result.created} created, {result.updated} updated, "
               f"{result.unchanged} unchanged")


@import_app.command("facilities")
def import_facilities(
    file: Annotated[Path, typer.Argument(help="facility CSV (documented format) or FHIR R4 Bundle (JSON)")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check everything, write nothing")] = False,
    fmt: Annotated[str, typer.Option("--format", help="auto (by extension/content), csv or fhir")] = "auto",
) -> None:
    """Create or update facilities by code, all or nothing: every bad line is reported, nothing written."""
    if fmt not in FORMATS:
        fail(f"--format: must be one of {', '.join(FORMATS)}, not {fmt!r}")
    data = _read(file)
    setup()
    from jedel.accounts.services import SYSTEM
    from jedel.facilities.io import decode, facilities_import_text

    used, result = _run_import(lambda: facilities_import_text(
        decode(data), actor=SYSTEM, filename=file.name, fmt=None if fmt == "auto" else fmt, dry_run=dry_run))
    _summary("facilities", result, f" ({used})")


@import_app.command("referrals")
def import_referrals(
    file: Annotated[Path, typer.Argument(help="referral CSV: source_code,target_code,specialty")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check everything, write nothing")] = False,
) -> None:
    """Add referral links between registered facilities, all or nothing."""
    data = _read(file)
    setup()
    from jedel.accounts.services import SYSTEM
    from jedel.facilities.io.csv_format import referrals_import_csv

    result = _run_import(lambda: referrals_import_csv(data, actor=SYSTEM, dry_run=dry_run))
    _summary("referral links", result)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    typer.echo(f"wrote {output}", err=True)


RegionOpt = Annotated[str | None, typer.Option(help="only this region (ISO 3166-2, e.g. KZ-75)")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="file to write (default: stdout)")]


@export_app.command("facilities")
def export_facilities(
    fmt: Annotated[str, typer.Option("--format", help="csv (documented format) or fhir (R4 Bundle)")] = "csv",
    region: RegionOpt = None,
    output: OutputOpt = None,
) -> None:
    """Export active facilities as the documented CSV or a FHIR R4 Bundle."""
    if fmt not in ("csv", "fhir"):
        fail(f"--format: must be csv or fhir, not {fmt!r}")
    setup()
    from jedel.common.errors import DomainError
    from jedel.facilities.io.csv_format import facilities_export_csv
    from jedel.facilities.io.fhir_bundle import facilities_export_fhir
    from jedel.facilities.selectors import facility_list

    try:
        facilities = list(facility_list(region_iso=region))
    except DomainError as exc:
        fail(f"--region: {exc.detail}")
    _write(facilities_export_csv(facilities) if fmt == "csv" else facilities_export_fhir(facilities), output)


@export_app.command("referrals")
def export_referrals(region: RegionOpt = None, output: OutputOpt = None) -> None:
    """Export referral links (source in the region, or all) as the referral CSV."""
    setup()
    from jedel.common.errors import DomainError
    from jedel.facilities.io.csv_format import referrals_export_csv
    from jedel.facilities.selectors import referral_link_list

    try:
        links = list(referral_link_list(region_iso=region))
    except DomainError as exc:
        fail(f"--region: {exc.detail}")
    _write(referrals_export_csv(links), output)


def register(app: typer.Typer) -> None:
    """Add this module's commands (and its import/export subcommands via jedel.cli.groups)."""
    app.command("demo")(demo)

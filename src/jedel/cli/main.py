"""The `jedel` command line: one module per command group, each registering its commands here."""

from __future__ import annotations

import os

import typer

from jedel.cli import distribute, facilities, incidents, interop, notify, platform, preparedness, tokens, triage, users
from jedel.cli import simulate as simulate_cli
from jedel.cli import transfers as transfers_cli
from jedel.cli.groups import export_app, import_app

app = typer.Typer(
    name="jedel",
    help="Jedel: health-emergency preparedness and response for Kazakhstan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

platform.register(app)
users.register(app)
tokens.register(app)
facilities.register(app)
interop.register(app)
triage.register(app)
distribute.register(app)
notify.register(app)
incidents.register(app)
preparedness.register(app)
transfers_cli.register(app)
simulate_cli.register(app)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


def main() -> None:
    """The console entry point: `app`, with an unreachable database reported in one line, not a traceback."""
    # A command opens one connection at a time: no pool (which would also retry for JEDEL_DB_POOL_TIMEOUT and
    # log every failed try before giving up).
    os.environ.setdefault("JEDEL_DB_POOL_MAX", "0")
    from django.db import OperationalError

    try:
        app()
    except OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        typer.echo(f"error: the database cannot be reached ({first}); check DATABASE_URL", err=True)
        raise SystemExit(1) from None

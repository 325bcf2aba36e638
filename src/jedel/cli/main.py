"""The `jedel` command line: one module per command group, each registering its commands here."""

from __future__ import annotations

import typer

from jedel.cli import distribute, facilities, interop, platform, triage
from jedel.cli.groups import export_app, import_app

app = typer.Typer(
    name="jedel",
    help="Jedel: health-emergency preparedness and response for Kazakhstan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

platform.register(app)
facilities.register(app)
interop.register(app)
triage.register(app)
distribute.register(app)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

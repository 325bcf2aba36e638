"""The `jedel` command line: one module per command group, each registering its commands here."""

from __future__ import annotations

import typer

from jedel.cli import distribute, platform, triage

app = typer.Typer(
    name="jedel",
    help="Jedel: health-emergency preparedness and response for Kazakhstan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

platform.register(app)
triage.register(app)
distribute.register(app)

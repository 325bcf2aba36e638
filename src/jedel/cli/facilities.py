"""facilities commands."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands (and its import/export subcommands via jedel.cli.groups)."""

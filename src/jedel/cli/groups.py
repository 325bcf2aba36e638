"""Command groups shared by several modules (`jedel import …`, `jedel export …`)."""

import typer

import_app = typer.Typer(help="Import data (all-or-nothing, line-numbered errors).", no_args_is_help=True)
export_app = typer.Typer(help="Export data in documented and standard formats.", no_args_is_help=True)

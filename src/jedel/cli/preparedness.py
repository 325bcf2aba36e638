"""`jedel preparedness load-instruments`: load versioned instrument files (HSI checklist, plan checklist)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jedel.cli.django_setup import fail, setup

preparedness_app = typer.Typer(help="Preparedness: Hospital Safety Index and plan instruments.", no_args_is_help=True)

SHIPPED = Path(__file__).resolve().parent.parent / "preparedness" / "data" / "instruments"


@preparedness_app.command("load-instruments")
def load_instruments(
    files: Annotated[list[Path] | None, typer.Argument(help="instrument files (default: the shipped ones)")] = None,
    check: Annotated[bool, typer.Option("--check", help="validate only; write nothing")] = False,
) -> None:
    """Validate every file, then load them all in one transaction; on any error load nothing."""
    paths = files or sorted(SHIPPED.glob("*.json"))
    texts = []
    for path in paths:
        try:
            texts.append((path.name, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"{path}: cannot be read ({exc.__class__.__name__})")
    if check:
        from jedel.preparedness.instrument_files import parse_instrument

        problems = [f"{name}: {p}" for name, text in texts for p in parse_instrument(text)[1]]
        for line in problems:
            typer.echo(f"error: {line}", err=True)
        if problems:
            raise typer.Exit(2)
        typer.echo(f"{len(texts)} file(s) valid")
        return
    setup()
    from jedel.common.errors import ValidationFailed
    from jedel.preparedness.services.instruments import instruments_load

    try:
        results = instruments_load(texts)
    except ValidationFailed as exc:
        for e in exc.errors:
            name, line, field = e["loc"]
            typer.echo(f"error: {name}: line {line}: {field}: {e['msg']}", err=True)
        fail("nothing was loaded")
    for r in results:
        state = "loaded" if r.created else "already loaded"
        typer.echo(f"{r.instrument.code} {r.instrument.version}: {state} ({r.instrument.items.count()} items)")


def register(app: typer.Typer) -> None:
    app.add_typer(preparedness_app, name="preparedness")

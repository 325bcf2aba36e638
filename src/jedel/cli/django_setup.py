"""Start Django for commands that need the database (the pure engines don't)."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer


def setup() -> None:
    """Configure Django from the environment; idempotent."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jedel.config.settings")
    import django
    from django.conf import settings

    if not settings.configured or not getattr(setup, "_done", False):
        django.setup()
        setup._done = True  # type: ignore[attr-defined]


def fail(message: str, code: int = 2) -> NoReturn:
    """One clear line on stderr and a non-zero exit: how every command reports bad input."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def is_tty() -> bool:
    return sys.stderr.isatty()

"""`jedel distribute`: allocate casualties to hospitals from a JSON problem file and print the allocation.

Problem and plan formats: :mod:`jedel.core.distribution.schema` and :mod:`jedel.core.distribution.plan`
(JSON Schemas in ``docs/schemas/``; example: ``docs/examples/distribution-problem.json``).
Bad input: one line ``error: <field path>: <problem>`` on stderr and exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from jedel.cli.django_setup import fail
from jedel.core.distribution import Policy, parse_problem, plan_to_json, solve

_POLICIES = ", ".join(p.value for p in Policy)


def distribute(
    problem: Annotated[
        Path, typer.Argument(help="problem JSON file (example: docs/examples/distribution-problem.json)")
    ],
    policy: Annotated[str, typer.Option(help=_POLICIES)] = "optimal",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write the JSON here")] = None,
) -> None:
    """Distribute casualties to hospitals and hour slots maximising expected survivors (or by a baseline).

    Prints the allocation as JSON: per-casualty hospital, slot, time to care and reason, loads per slot,
    overflow, expected deaths, groups.
    """
    if policy not in {p.value for p in Policy}:
        fail(f"--policy: must be one of {_POLICIES}, not {policy!r}")
    try:
        text = problem.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{problem}: cannot read: {getattr(exc, 'strerror', None) or exc}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{problem}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    try:
        allocation = solve(parse_problem(data), policy)
    except ValueError as exc:
        fail(str(exc))
    result = json.dumps(plan_to_json(allocation), ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(result)
    else:
        try:
            output.write_text(result + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"--output: cannot write {output}: {exc.strerror or exc}")


def register(app: typer.Typer) -> None:
    """Add the `distribute` command to the `jedel` app."""
    app.command("distribute")(distribute)

"""`jedel distribute`: allocate casualties to hospitals from a JSON problem file and print the allocation.

Problem and plan formats: :mod:`jedel.core.distribution.schema` and :mod:`jedel.core.distribution.plan`
(JSON Schemas in ``docs/schemas/``; example: ``docs/examples/distribution-problem.json``).
Bad input: one line ``error: <field path>: <problem>`` on stderr per problem found in the file (all of them,
up to :data:`MAX_ERRORS`) and exit code 2. Figures are rounded for people (minutes to 0.1, probabilities to
0.001, expected deaths to 0.01); ``--exact`` prints the engine's full precision for programs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from jedel.cli.django_setup import fail
from jedel.core.distribution import Policy, ProblemIn, build_problem, plan_to_json, solve
from jedel.core.distribution.io import site_and_casualty_errors
from jedel.core.validation import field_errors

_POLICIES = ", ".join(p.value for p in Policy)
MAX_ERRORS = 50
"""A file with thousands of bad rows lists this many problems, then how many more there are."""

# Decimals shown to people, by JSON member: minutes to a tenth (the travel-time models are not better than
# that), probabilities to 0.1 percentage point, expected deaths and survivors to a hundredth.
_DECIMALS = {"death_probability": 3, "expected_deaths": 2, "expected_survivors": 2}


def for_people(value: Any, key: str = "") -> Any:
    """`value` with every float rounded for reading: `*_min` to 0.1, the members of _DECIMALS as given."""
    if isinstance(value, dict):
        return {k: for_people(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [for_people(v, key) for v in value]
    if isinstance(value, float):
        digits = 1 if key.endswith("_min") else _DECIMALS.get(key)
        return value if digits is None else round(value, digits)
    return value


def distribute(
    problem: Annotated[
        Path, typer.Argument(help="problem JSON file (example: docs/examples/distribution-problem.json)")
    ],
    policy: Annotated[str, typer.Option(help=_POLICIES)] = "optimal",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write the JSON here")] = None,
    exact: Annotated[bool, typer.Option("--exact", help="full precision (for programs), not rounded")] = False,
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
        model = ProblemIn.model_validate(data)
    except ValidationError as exc:
        _fail_all([str(e) for e in field_errors(exc, root="problem")])
    _fail_all([str(e) for e in site_and_casualty_errors(model)])
    try:  # the checks across the whole problem (travel-time matrix) and the engine's own
        allocation = solve(build_problem(model), policy)
    except ValueError as exc:
        fail(str(exc))
    plan = plan_to_json(allocation)
    result = json.dumps(plan if exact else for_people(plan), ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(result)
    else:
        try:
            output.write_text(result + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"--output: cannot write {output}: {exc.strerror or exc}")


def _fail_all(messages: list[str]) -> None:
    """Every problem of the file on its own `error:` line (at most MAX_ERRORS), then exit 2; none: return."""
    if not messages:
        return
    unique = list(dict.fromkeys(messages))  # a union-typed member can repeat the same complaint
    for message in unique[:MAX_ERRORS]:
        typer.echo(f"error: {message}", err=True)
    if len(unique) > MAX_ERRORS:
        fail(f"... and {len(unique) - MAX_ERRORS} more problems")
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add the `distribute` command to the `jedel` app."""
    app.command("distribute")(distribute)

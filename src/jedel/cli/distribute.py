"""`jedel distribute`: allocate casualties to hospitals from a JSON problem file and print the allocation.

Problem format: :mod:`jedel.cli.distribution_io` (example: ``docs/examples/distribution-problem.json``).
Bad input: one line ``error: <field path>: <problem>`` on stderr and exit code 2.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer

from jedel.cli.distribution_io import build_problem
from jedel.cli.django_setup import fail
from jedel.core.distribution import Allocation, Policy, solve

_POLICIES = ", ".join(p.value for p in Policy)


def allocation_to_dict(allocation: Allocation) -> dict[str, Any]:
    """JSON-ready form of an allocation (non-finite numbers become null)."""

    def num(x: float | None) -> float | None:
        return x if x is not None and math.isfinite(x) else None

    return {
        "policy": allocation.policy.value,
        "planning_horizon_h": allocation.planning_horizon_h,
        "expected_deaths": allocation.expected_deaths,
        "expected_survivors": allocation.expected_survivors,
        "n_casualties": len(allocation.assignments),
        "n_unassigned": allocation.n_unassigned,
        "n_overflow": allocation.n_overflow,
        "assignments": [
            {
                "casualty": a.casualty_id,
                "hospital": a.hospital_id,
                "travel_time_min": num(a.travel_time_min),
                "slot": a.slot,
                "time_to_care_min": num(a.time_to_care_min),
                "death_probability": a.death_probability,
                "reason_code": a.reason_code.value,
                "reason": a.reason,
            }
            for a in allocation.assignments
        ],
        "loads": {h: dict(v) for h, v in allocation.loads.items()},
        "slot_loads": {h: [dict(s) for s in v] for h, v in allocation.slot_loads.items()},
        "overflow": {h: dict(v) for h, v in allocation.overflow.items() if any(v.values())},
        "groups": [
            {
                "site": g.group.site_id,
                "kind": g.group.kind,
                "category": g.group.category.value,
                "needs": sorted(n.value for n in g.group.needs),
                "count": g.group.count,
                "flows": [{"hospital": h, "slot": k, "count": n} for h, k, n in g.flows],
                "unassigned": g.unassigned,
                "expected_deaths": g.expected_deaths,
            }
            for g in allocation.groups
        ],
    }


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
        allocation = solve(build_problem(data), policy)
    except ValueError as exc:
        fail(str(exc))
    result = json.dumps(allocation_to_dict(allocation), ensure_ascii=False, indent=2)
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

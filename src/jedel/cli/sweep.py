"""`jedel sweep`: every combination of road-ambulance fleet size (``--fleet``, the scenario's stations scaled in
proportion), policy and, for a policy that re-plans, re-plan interval, on the same seed — a table of deaths with
95 % intervals, optionally a box plot per combination. Scenario loading, progress, Dask options and output are
those of `jedel simulate` (jedel.cli.simulate).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from jedel.cli.django_setup import fail, setup
from jedel.cli.simulate import (
    _POLICY_NAMES,
    _SCHEDULER_HELP,
    _WORKERS_HELP,
    SCHEDULER_ENV,
    _check_options,
    _dask_failed,
    _package_version,
    _scenario_input,
    _shown,
    _write_plot,
    estimates_json,
    progress_bar,
)
from jedel.core.simulation import POLICIES, category_counts
from jedel.core.simulation.plots import box_plot_svg
from jedel.core.simulation.scaleout import SweepRow, sweep_combinations, with_fleet
from jedel.core.simulation.scaleout import sweep as run_sweep

def _list(option: str, text: str, convert: Callable[[str], float], *, whole: bool) -> list[Any]:
    """Comma-separated values (> 0; whole numbers when ``whole``), repeats dropped; exits on a bad one."""
    from django.utils.translation import gettext as _

    values: list[Any] = []
    for part in text.split(","):
        try:
            value = convert(part.strip())
        except ValueError:
            value = 0
        if not (value > 0 and math.isfinite(value)):
            message = (
                _("%(option)s: give whole numbers of at least 1, separated by commas, not %(text)r") if whole
                else _("%(option)s: give numbers greater than 0, separated by commas, not %(text)r"))
            fail(message % {"option": option, "text": text})
        if value not in values:
            values.append(value)
    return values


def _row_label(row: SweepRow) -> str:
    from django.utils.translation import gettext as _

    label = _("%(fleet)d ambulances") % {"fleet": row.parameters["fleet"]} + "\n" + row.policy
    if row.replan_min is not None:
        label += "\n" + _("re-plan every %(minutes)g min") % {"minutes": row.replan_min}
    return label


def _print_sweep(title: str, caption: str, rows: list[SweepRow]) -> None:
    from django.utils.translation import gettext as _
    from rich.console import Console
    from rich.table import Table

    # short headers: a row per combination must fit a terminal; the full names are in `jedel simulate`
    shown = {"critical_deaths": _("critical deaths"), "averted_share": _("averted share"),
             "time_to_care_mean_min.immediate": _("time to care, immediate (min)"),
             "ambulance_utilisation": _("utilisation")}
    replans = any(r.replan_min is not None for r in rows)
    table = Table(title=title, caption=caption)
    table.add_column(_("ambulances"), justify="right")
    table.add_column(_("policy"))
    if replans:
        table.add_column(_("re-plan (min)"), justify="right")
    table.add_column(_("deaths"), justify="right")
    for header in shown.values():
        table.add_column(header, justify="right")
    for row in rows:
        d = row.estimates["deaths"]
        cells = [str(row.parameters["fleet"]), row.policy]
        if replans:
            cells.append("—" if row.replan_min is None else f"{row.replan_min:g}")
        cells.append(f"{_shown('deaths', d.mean)} [{_shown('deaths', d.low)}, {_shown('deaths', d.high)}]")
        cells += [_shown(name, row.estimates[name].mean) for name in shown]
        table.add_row(*cells)
    Console(soft_wrap=True).print(table)


def sweep(
    scenario: Annotated[str, typer.Argument(
        help="shipped scenario name (e.g. shymkent_market_explosion) or a YAML file")],
    fleet: Annotated[str | None, typer.Option(
        help="road ambulances in all, comma-separated (e.g. 4,8,16); default: the scenario's")] = None,
    policy: Annotated[str, typer.Option(help=f"comma-separated, among {_POLICY_NAMES}")] = "nearest",
    replan_interval: Annotated[str | None, typer.Option(
        help="re-plan intervals in minutes, comma-separated, for the policies that re-plan")] = None,
    replications: Annotated[int, typer.Option(help="Monte Carlo replications of each combination")] = 100,
    seed: Annotated[int, typer.Option(help="root seed (same seed, same figures)")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print the rows as JSON")] = False,
    workers: Annotated[int, typer.Option(help=_WORKERS_HELP)] = 0,
    scheduler: Annotated[str | None, typer.Option(envvar=SCHEDULER_ENV, help=_SCHEDULER_HELP)] = None,
    plot: Annotated[Path | None, typer.Option(
        help="write a box plot of deaths per combination (SVG)")] = None,
) -> None:
    """Simulate every combination of fleet size, policy and re-plan interval on the same seed."""
    setup()
    from django.utils.translation import gettext as _

    _check_options(workers, plot)
    policies = [p.strip() for p in policy.split(",") if p.strip()]
    for name in policies or [policy]:
        if name not in POLICIES:
            fail(_("--policy: must be one of %(names)s, not %(policy)r")
                 % {"names": _POLICY_NAMES, "policy": name})
    if replications < 1:
        fail(_("--replications: must be at least 1, not %(n)d") % {"n": replications})
    if seed < 0:
        fail(_("--seed: must be 0 or more, not %(seed)d") % {"seed": seed})
    fleets = _list("--fleet", fleet, int, whole=True) if fleet is not None else None
    intervals = _list("--replan-interval", replan_interval, float, whole=False) if replan_interval else None
    parsed, shown_name, inp = _scenario_input(scenario, seed)
    if fleets is None:
        fleets = [int(np.asarray(inp.station_ambulances).sum())]
    if not len(np.atleast_1d(np.asarray(inp.station_ambulances))):
        fail(_("--fleet: the scenario has no ambulance station to place the ambulances at"))
    grid: dict[str, list[Any]] = {"fleet": fleets, "policy": policies}
    if intervals is not None:
        grid["replan_min"] = intervals
    total = len(sweep_combinations(grid)) * replications
    with progress_bar(total, dask=bool(workers or scheduler)) as progress:
        try:
            rows = run_sweep(lambda fleet: with_fleet(inp, fleet), grid, replications=replications, seed=seed,
                             scheduler=scheduler or None, workers=workers, progress=progress)
        except (OSError, TimeoutError) as exc:
            _dask_failed(exc)
    if plot is not None:
        _write_plot(plot, box_plot_svg(
            [(_row_label(r), r.deaths) for r in rows],
            title=_("%(scenario)s: deaths by the horizon, %(n)d replications, seed %(seed)d") % {
                "scenario": parsed.name, "n": replications, "seed": seed},
            x_label=_("road ambulances and policy"), y_label=_("deaths per replication")))
    if as_json:
        typer.echo(json.dumps({
            "scenario": parsed.name, "source": shown_name, "seed": seed, "replications": replications,
            "version": _package_version(), "casualties": category_counts(inp),
            "hospitals": int(np.asarray(inp.hospital_lat_deg).shape[0]),
            "rows": [{"fleet": r.parameters["fleet"], "policy": r.policy,
                      "replan_min": r.replan_min, "metrics": estimates_json(r.estimates)}
                     for r in rows],
        }, ensure_ascii=False, indent=2))
        return
    title = _("%(scenario)s: %(rows)d combinations, %(n)d replications each, seed %(seed)d") % {
        "scenario": parsed.name, "rows": len(rows), "n": replications, "seed": seed}
    caption = _("Every row uses the same seed, so the differences come from the fleet and the policy, "
                "not from the draws. Deaths: mean [95 percent confidence interval]; other columns: means.")
    _print_sweep(title, caption, rows)



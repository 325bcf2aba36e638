"""`jedel simulate`: Monte Carlo simulation of the response to a scenario, with 95 % intervals.

The scenario is a shipped one (by name, e.g. ``shymkent_market_explosion``) or a YAML file
(:mod:`jedel.core.simulation.scenario`); the bridge to the simulator and its assumptions are in
:mod:`jedel.core.simulation.bridge`. ``from_registry: true`` takes the receiving hospitals from the live
capacity board (hospitals with a current report and MCI receiving capacity). Earthquake casualties are
estimated over the shipped GeoNames towns. Bad input: one ``error:`` line per problem on stderr and exit
code 2, as every command.

`jedel sweep` runs every combination of road-ambulance fleet size (``--fleet``, the scenario's stations
scaled in proportion), policy and, for a policy that re-plans, re-plan interval, on the same seed.

Scale-out (:mod:`jedel.core.simulation.scaleout`): ``--workers N`` runs the replications on a local Dask
cluster of N processes (0, the default, in this process); ``--scheduler ADDRESS`` (default:
``JEDEL_DASK_SCHEDULER``) on a running Dask cluster instead. The figures do not depend on where they run.
``--plot FILE.svg`` writes a box plot of the deaths of every replication.

Reproducible: the same scenario, policy, seed and replications give the same figures; the scenario draws
(RPMs, release order) use ``numpy.random.default_rng(seed)``, replication ``k`` uses
``SeedSequence(seed, spawn_key=(k,))`` (:func:`jedel.core.simulation.replication_seed`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, NoReturn

import numpy as np
import typer

from jedel.cli.django_setup import fail, setup
from jedel.core.simulation import (
    POLICIES,
    EarthquakeHazard,
    Estimate,
    ReceivingHospital,
    Scenario,
    ScenarioError,
    SimulationInput,
    SimulationSummary,
    Town,
    category_counts,
    hospitals_from_hourly_capacity,
    parse_scenario,
    parse_towns_csv,
    replication_seed,
    scenario_input,
    shipped_scenario,
    shipped_scenario_names,
    simulate_replication,
    summarise,
)
from jedel.core.simulation.plots import box_plot_svg
from jedel.core.simulation.scaleout import Progress, simulate_distributed
from jedel.core.simulation.state import build_network

_POLICY_NAMES = ", ".join(POLICIES)

# The summary's metrics (names of ReplicationResult.metrics) in the order shown; how each is printed.
METRICS = (
    "deaths", "critical_deaths", "no_care_deaths", "uncapacitated_deaths", "averted_share",
    "time_to_care_mean_min.immediate", "time_to_care_mean_min.delayed", "time_to_care_mean_min.minimal",
    "ambulance_utilisation", "unserved",
)
_SHARES = {"averted_share", "ambulance_utilisation"}


def _labels() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "deaths": _("deaths"),
        "critical_deaths": _("critical deaths (immediate and delayed)"),
        "no_care_deaths": _("deaths with no care (upper bound)"),
        "uncapacitated_deaths": _("deaths with uncapacitated care (lower bound)"),
        "averted_share": _("share of avoidable deaths averted"),
        "time_to_care_mean_min.immediate": _("mean time to definitive care, immediate (min)"),
        "time_to_care_mean_min.delayed": _("mean time to definitive care, delayed (min)"),
        "time_to_care_mean_min.minimal": _("mean time to definitive care, minimal (min)"),
        "ambulance_utilisation": _("ambulance utilisation"),
        "unserved": _("unserved casualties"),
    }


def _load(name_or_path: str) -> tuple[Scenario, str]:
    """The scenario and the name shown for it; exits with every problem listed when it is invalid."""
    from django.utils.translation import gettext as _

    try:
        if name_or_path in shipped_scenario_names():
            return shipped_scenario(name_or_path), name_or_path
        path = Path(name_or_path)
        if not path.is_file():
            fail(_("scenario: %(name)r is neither a shipped scenario (%(names)s) nor a file")
                 % {"name": name_or_path, "names": ", ".join(shipped_scenario_names())})
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(_("%(path)s: cannot read: %(reason)s")
                 % {"path": path, "reason": getattr(exc, "strerror", None) or exc})
        return parse_scenario(text, source=path.name), str(path)
    except ScenarioError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem.message(exc.source)}", err=True)
        fail(_("%(source)s: the scenario is invalid; nothing was simulated") % {"source": exc.source})


def _registry_hospitals() -> tuple[ReceivingHospital, ...]:
    """Hospitals of the live capacity board (current reports, receiving capacity > 0); exits when none."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from jedel.capacity.engines import live_hospitals

    hospitals = hospitals_from_hourly_capacity(live_hospitals(now=timezone.now()))
    if not hospitals:
        fail(_("the scenario takes hospitals from the registry, and no hospital there has a current capacity "
               "report with receiving capacity; report capacity or list hospitals in the scenario"))
    return hospitals


def _towns() -> tuple[Town, ...]:
    text = resources.files("jedel.geo.data").joinpath("kz_cities_geonames.csv").read_text(encoding="utf-8")
    return parse_towns_csv(text)


@contextmanager
def progress_bar(total: int, *, dask: bool = False) -> Iterator[Progress]:
    """A Rich progress bar on stderr, as a ``progress(done, total)`` callback. With ``dask``, Dask's INFO
    records (workers starting and stopping), which the project's logging would print, are held back."""
    import logging

    if dask:
        import distributed  # noqa: F401  (its import sets the "distributed" logger to INFO: import it first)
    dask_log = logging.getLogger("distributed")
    level = dask_log.level
    dask_log.setLevel(max(level, logging.WARNING))
    try:
        with _bar(total) as progress:
            yield progress
    finally:
        dask_log.setLevel(level)


@contextmanager
def _bar(total: int) -> Iterator[Progress]:
    from django.utils.translation import gettext as _
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(_("replications"), total=total)
        yield lambda done, _total: bar.update(task, completed=done)


def _dask_failed(exc: Exception) -> NoReturn:
    from django.utils.translation import gettext as _

    fail(_("the Dask cluster cannot run the simulation: %(reason)s") % {"reason": exc})


def run_replications(
    inp: SimulationInput, policy: str, seed: int, replications: int, *, workers: int = 0,
    scheduler: str | None = None,
) -> SimulationSummary:
    """`jedel.core.simulation.simulate` under a progress bar on stderr: one replication at a time in this
    process, or on Dask (a local cluster of ``workers`` processes, or the cluster at ``scheduler``)."""
    with progress_bar(replications, dask=bool(workers or scheduler)) as progress:
        if workers == 0 and not scheduler:
            net = build_network(inp)
            results = []
            for k in range(replications):
                results.append(simulate_replication(net, POLICIES[policy], replication_seed(seed, k)))
                progress(k + 1, replications)
            return summarise(results)
        try:
            return simulate_distributed(inp, policy, replications, seed, scheduler=scheduler or None,
                                        workers=workers, progress=progress)
        except (OSError, TimeoutError) as exc:  # scheduler unreachable, workers that cannot start
            _dask_failed(exc)


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


def estimates_json(estimates: Mapping[str, Estimate]) -> dict[str, dict[str, float | int | None]]:
    """The shown metrics as ``{name: {mean, low, high, n}}`` (NaN, e.g. no treated casualty, as null)."""
    out: dict[str, dict[str, float | int | None]] = {}
    for name in METRICS:
        e = estimates[name]
        out[name] = {"mean": _number(e.mean), "low": _number(e.low), "high": _number(e.high), "n": e.n}
    return out


def summary_json(summary: SimulationSummary) -> dict[str, dict[str, float | int | None]]:
    """:func:`estimates_json` of a summary."""
    return estimates_json(summary.estimates)


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jedel")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return ""


def _write_plot(path: Path, svg: str) -> None:
    from django.utils.translation import gettext as _

    try:
        path.write_text(svg, encoding="utf-8")
    except OSError as exc:
        fail(_("%(path)s: cannot write: %(reason)s") % {"path": path, "reason": exc.strerror or exc})


def _check_options(workers: int, plot: Path | None) -> None:
    """``--workers`` and ``--plot``, checked before minutes of simulation rather than after."""
    import errno
    import os

    from django.utils.translation import gettext as _

    if workers < 0:
        fail(_("--workers: must be 0 or more, not %(n)d") % {"n": workers})
    if plot is not None:
        folder = plot.parent
        code = errno.ENOENT if not folder.is_dir() else None if os.access(folder, os.W_OK) else errno.EACCES
        if code is not None:
            fail(_("%(path)s: cannot write: %(reason)s") % {"path": plot, "reason": os.strerror(code)})


def _shown(name: str, value: float) -> str:
    if math.isnan(value):
        return "—"
    return f"{value * 100:.1f} %" if name in _SHARES else f"{value:.1f}"


def _print_table(title: str, caption: str, estimates: dict[str, Estimate]) -> None:
    from django.utils.translation import gettext as _
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, caption=caption)
    table.add_column(_("metric"))
    for column in (_("mean"), _("lower limit"), _("upper limit")):
        table.add_column(column, justify="right")
    for name, label in _labels().items():
        e = estimates[name]
        table.add_row(label, _shown(name, e.mean), _shown(name, e.low), _shown(name, e.high))
    Console(soft_wrap=True).print(table)


_WORKERS_HELP = "Dask worker processes of a local cluster; 0 runs in this process"
_SCHEDULER_HELP = "address of a running Dask scheduler (tcp://host:8786); overrides --workers"
SCHEDULER_ENV = "JEDEL_DASK_SCHEDULER"


def _scenario_input(name_or_path: str, seed: int) -> tuple[Scenario, str, SimulationInput]:
    """The scenario, its shown name and the simulator input (scenario draws from ``default_rng(seed)``)."""
    from django.utils.translation import gettext as _

    parsed, shown_name = _load(name_or_path)
    hospitals = _registry_hospitals() if parsed.hospitals.from_registry else None
    towns = _towns() if isinstance(parsed.hazard, EarthquakeHazard) else ()
    try:
        inp = scenario_input(parsed, rng=np.random.default_rng(seed), towns=towns, hospitals=hospitals)
    except ValueError as exc:
        fail(_("cannot simulate this scenario: %(reason)s") % {"reason": exc})
    return parsed, shown_name, inp


def simulate(
    scenario: Annotated[str, typer.Argument(
        help="shipped scenario name (e.g. shymkent_market_explosion) or a YAML file")],
    policy: Annotated[str, typer.Option(help=_POLICY_NAMES)] = "nearest",
    replications: Annotated[int, typer.Option(help="Monte Carlo replications")] = 100,
    seed: Annotated[int, typer.Option(help="root seed (same seed, same figures)")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
    workers: Annotated[int, typer.Option(help=_WORKERS_HELP)] = 0,
    scheduler: Annotated[str | None, typer.Option(envvar=SCHEDULER_ENV, help=_SCHEDULER_HELP)] = None,
    plot: Annotated[Path | None, typer.Option(
        help="write a box plot of deaths per replication (SVG)")] = None,
) -> None:
    """Simulate the response to a scenario: deaths, bounds, times to care and use, with 95 % intervals."""
    setup()
    from django.utils.translation import gettext as _

    _check_options(workers, plot)
    if policy not in POLICIES:
        fail(_("--policy: must be one of %(names)s, not %(policy)r")
             % {"names": _POLICY_NAMES, "policy": policy})
    if replications < 1:
        fail(_("--replications: must be at least 1, not %(n)d") % {"n": replications})
    if seed < 0:
        fail(_("--seed: must be 0 or more, not %(seed)d") % {"seed": seed})
    parsed, shown_name, inp = _scenario_input(scenario, seed)
    summary = run_replications(inp, policy, seed, replications, workers=workers, scheduler=scheduler)
    counts = category_counts(inp)
    n_ambulances = int(np.asarray(inp.station_ambulances).sum())
    n_hospitals = int(np.asarray(inp.hospital_lat_deg).shape[0])
    if plot is not None:
        runs = [r.metrics() for r in summary.replications]
        groups = [(policy, [m["deaths"] for m in runs]),
                  (_("no care (upper bound)"), [m["no_care_deaths"] for m in runs]),
                  (_("uncapacitated care (lower bound)"), [m["uncapacitated_deaths"] for m in runs])]
        _write_plot(plot, box_plot_svg(
            groups, title=_("%(scenario)s: deaths by the horizon, %(n)d replications, seed %(seed)d") % {
                "scenario": parsed.name, "n": replications, "seed": seed},
            x_label=_("policy and bounds"), y_label=_("deaths per replication")))
    if as_json:
        typer.echo(json.dumps({
            "scenario": parsed.name, "source": shown_name, "policy": policy, "seed": seed,
            "replications": replications, "version": _package_version(), "casualties": counts,
            "ambulances": n_ambulances, "hospitals": n_hospitals, "metrics": summary_json(summary),
        }, ensure_ascii=False, indent=2))
        return
    title = _("%(scenario)s: policy %(policy)s, %(n)d replications, seed %(seed)d") % {
        "scenario": parsed.name, "policy": policy, "n": replications, "seed": seed}
    caption = _("%(immediate)d immediate, %(delayed)d delayed, %(minimal)d minimal casualties; %(ambulances)d "
                "ambulances; %(hospitals)d hospitals. Lower and upper limit: 95 percent confidence interval.") % {
        **counts, "ambulances": n_ambulances, "hospitals": n_hospitals}
    _print_table(title, caption, dict(summary.estimates))


def register(app: typer.Typer) -> None:
    """Add the `simulate` and `sweep` commands to the `jedel` app."""
    from jedel.cli.sweep import sweep  # the sweep builds on this module's helpers

    app.command("simulate")(simulate)
    app.command("sweep")(sweep)

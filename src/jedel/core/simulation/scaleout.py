"""Replications and parameter sweeps on Dask (``dask.distributed``), equal bit for bit to :func:`.simulate`.

Replication ``k`` depends only on ``SeedSequence(seed, spawn_key=(k,))`` (:mod:`.simulator`), so where it runs
does not change it: the replications are cut into chunks of consecutive indices, each chunk runs as one task
(it rebuilds the prepared network, a few milliseconds, rather than shipping it) and the results are put back
in replication order. ``workers=0`` runs the same chunks in the calling process, without Dask.

Where the tasks run: a given ``client``; else a ``distributed.Client(scheduler)`` when a scheduler address is
given (the CLI reads ``JEDEL_DASK_SCHEDULER``; core reads no environment); else a ``LocalCluster`` of
``workers`` processes with one thread each (the simulator is pure Python and numpy on small arrays, so threads
would share one interpreter lock). Workers of a remote cluster need the same versions of this package and
numpy for the bit-for-bit promise. A script that starts a local cluster needs an ``if __name__ ==
"__main__":`` guard (worker processes are spawned, and import the main module again). A task lost with its
worker is run again elsewhere, with the same result.

Costs, and when it pays: starting a local cluster takes about 2.5 s on 2 cores (the scheduler, one process
per worker, each importing numpy, scipy and this package), and every replication's records travel back
pickled (about 170 kB for 2,000 casualties). A replication of 2,000 casualties takes about 0.1-0.2 s, so
2 workers pay from about 50 such replications on; below that, or on a machine without an idle core (the
speed-up needs a free core per worker), run in process. Dask is imported only when a cluster is used, so
importing this module stays light, and the tasks import only :mod:`jedel.core.simulation` on the workers
(no Django, no CLI); a sweep's workers send back each replication's metrics, not its records.

Sweeps (:func:`sweep`) run every combination of a grid on the same seed: common random numbers, so the
differences between rows are due to the parameters, not to the draws.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from jedel.core.simulation.bridge import largest_remainder
from jedel.core.simulation.inputs import SimulationInput
from jedel.core.simulation.outcomes import Estimate, ReplicationResult, SimulationSummary, estimate, summarise
from jedel.core.simulation.policies import POLICIES, Policy
from jedel.core.simulation.simulator import replication_seed, simulate_replication
from jedel.core.simulation.state import build_network

if TYPE_CHECKING:
    from distributed import Client

Progress = Callable[[int, int], None]
"""``progress(done, total)``: replications finished so far, out of all asked for."""

POLICY = "policy"
REPLAN = "replan_min"
_CHUNKS_PER_WORKER = 8  # small last chunks: workers finish together; the progress bar moves


def takes_replan_interval(policy_name: str) -> bool:
    """Whether the named policy re-plans on an interval: its :data:`POLICIES` entry has a ``replan_min``
    attribute, and its class takes ``replan_min=`` (as :class:`.policy_optimal.OptimalPolicy`)."""
    return hasattr(POLICIES[policy_name], REPLAN)


def policy_for(policy_name: str, replan_min: float | None = None) -> Policy:
    """The named policy, with its re-plan interval set when it takes one (ignored otherwise)."""
    policy = POLICIES[policy_name]
    if replan_min is None or not takes_replan_interval(policy_name):
        return policy
    make = cast(Callable[..., Policy], type(policy))
    return make(**{REPLAN: replan_min})


def with_fleet(inp: SimulationInput, ambulances: int) -> SimulationInput:
    """The input with ``ambulances`` road ambulances in all, split over the stations in proportion to their
    current counts (largest remainder; equally when all are 0). Casualties and hospitals are unchanged."""
    if ambulances < 1:
        raise ValueError(f"ambulances: must be at least 1, got {ambulances}")
    counts = [float(c) for c in np.atleast_1d(np.asarray(inp.station_ambulances))]
    if not counts:
        raise ValueError("the input has no ambulance station")
    shares = counts if sum(counts) > 0 else [1.0] * len(counts)
    return dataclasses.replace(inp, station_ambulances=largest_remainder(ambulances, shares))


def _indices(replications: int | Sequence[int]) -> list[int]:
    indices = list(range(replications)) if isinstance(replications, int) else list(replications)
    if not indices or min(indices) < 0:
        raise ValueError("replications: give at least one, with indices >= 0")
    return indices


def run_chunk(
    inp: SimulationInput, policy_name: str, replan_min: float | None, seed: int, indices: Sequence[int]
) -> list[ReplicationResult]:
    """One task: the replications ``indices`` (in that order) of one input and policy."""
    net = build_network(inp)
    policy = policy_for(policy_name, replan_min)
    return [simulate_replication(net, policy, replication_seed(seed, k)) for k in indices]


def run_chunk_metrics(
    inp: SimulationInput, policy_name: str, replan_min: float | None, seed: int, indices: Sequence[int]
) -> list[dict[str, float]]:
    """:func:`run_chunk` reduced on the worker to each replication's metrics (what a sweep keeps)."""
    return [r.metrics() for r in run_chunk(inp, policy_name, replan_min, seed, indices)]


@contextmanager
def open_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, else of a new local cluster of ``workers`` processes (one
    thread each, no dashboard); the local cluster is closed on exit."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    if workers < 1:
        raise ValueError(f"workers: must be at least 1 for a local cluster, got {workers}")
    # no dashboard; its health routes on a free port rather than 8787 (another cluster may hold it)
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}, host="127.0.0.1")
    with cluster:
        with Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client


@dataclass(frozen=True)
class _Job:
    key: int  # which input (index into the scattered inputs)
    policy_name: str
    replan_min: float | None
    indices: tuple[int, ...]


def _chunked(indices: Sequence[int], chunk: int) -> list[tuple[int, ...]]:
    return [tuple(indices[i:i + chunk]) for i in range(0, len(indices), chunk)]


def _run_jobs(
    inputs: Sequence[SimulationInput],
    jobs: Sequence[_Job],
    seed: int,
    task: Callable[..., list[Any]],
    client: Client | None,
    progress: Progress | None,
) -> list[list[Any]]:
    """Each job's task result, in job order; ``progress`` after every finished job (in replications)."""
    total = sum(len(j.indices) for j in jobs)
    done = 0
    out: list[list[Any]] = [[] for _ in jobs]
    if client is None:
        for i, job in enumerate(jobs):
            out[i] = task(inputs[job.key], job.policy_name, job.replan_min, seed, job.indices)
            done += len(job.indices)
            if progress is not None:
                progress(done, total)
        return out
    from distributed import as_completed

    # once per worker, not once per task
    shipped = [client.scatter(inp, broadcast=True) for inp in inputs]  # type: ignore[no-untyped-call]
    futures = {
        client.submit(task, shipped[job.key], job.policy_name, job.replan_min, seed, job.indices,
                      pure=False): i
        for i, job in enumerate(jobs)
    }
    try:
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            i = futures[future]
            out[i] = future.result()  # a task's error is raised here
            done += len(jobs[i].indices)
            if progress is not None:
                progress(done, total)
    except BaseException:
        client.cancel(list(futures))  # type: ignore[no-untyped-call]  # the rest is not wanted
        raise
    return out


@contextmanager
def _maybe_client(client: Client | None, scheduler: str | None, workers: int) -> Iterator[Client | None]:
    if client is not None:
        yield client
    elif scheduler or workers > 0:
        with open_client(scheduler, workers) as opened:
            yield opened
    else:
        yield None


def _chunk_size(chunk: int | None, n: int, client: Client | None, workers: int) -> int:
    if chunk is not None:
        if chunk < 1:
            raise ValueError(f"chunk: must be at least 1, got {chunk}")
        return chunk
    n_workers = max(1, len(client.scheduler_info().get("workers", {})) if client is not None else workers)
    return max(1, math.ceil(n / (_CHUNKS_PER_WORKER * n_workers)))


def simulate_distributed(
    inp: SimulationInput,
    policy_name: str,
    replications: int | Sequence[int],
    seed: int,
    *,
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    chunk: int | None = None,
    replan_min: float | None = None,
    progress: Progress | None = None,
) -> SimulationSummary:
    """:func:`.simulate` on Dask: the same replications, bit for bit, in replication order.

    Args:
        inp: the MCI response to simulate.
        policy_name: a key of :data:`POLICIES` (workers look it up: policies need not be picklable).
        replications: how many (``0..n-1``), or the indices to run.
        seed: root seed.
        client: run on this client (not closed here).
        scheduler: else, the address of a running scheduler (``tcp://host:8786``).
        workers: else, the processes of a local cluster started and closed here; 0 runs in this process.
        chunk: replications per task; default: about 8 tasks per worker.
        replan_min: for a policy that takes one (ignored by the others).
        progress: called with ``(done, total)`` replications as chunks finish, ending at ``(total, total)``.

    Raises:
        ValueError: no replication, an unknown policy, ``chunk < 1`` or ``workers < 0``.
    """
    indices = _indices(replications)
    if policy_name not in POLICIES:
        raise ValueError(f"policy: must be one of {', '.join(POLICIES)}, got {policy_name!r}")
    if workers < 0:
        raise ValueError(f"workers: must be 0 or more, got {workers}")
    with _maybe_client(client, scheduler, workers) as used:
        size = _chunk_size(chunk, len(indices), used, workers)
        jobs = [_Job(0, policy_name, replan_min, c) for c in _chunked(indices, size)]
        parts = _run_jobs([inp], jobs, seed, run_chunk, used, progress)
    return summarise([r for part in parts for r in part])


@dataclass(frozen=True)
class SweepRow:
    """One combination of a sweep.

    Attributes:
        parameters: the keywords given to the input factory (e.g. ``{"fleet": 8}``).
        policy: policy name; replan_min: its re-plan interval (None when the policy takes none).
        estimates: every metric of :meth:`ReplicationResult.metrics` with its 95 % interval.
        deaths: deaths of each replication, in replication order (for plots).
    """

    parameters: Mapping[str, object]
    policy: str
    replan_min: float | None
    estimates: Mapping[str, Estimate]
    deaths: tuple[float, ...]


def _grid_lists(
    grid: Mapping[str, Sequence[Any]],
) -> tuple[dict[str, list[Any]], list[str], list[float | None]]:
    lists = {k: list(v) for k, v in grid.items()}
    empty = [k for k, v in lists.items() if not v]
    if empty:
        raise ValueError(f"grid: {', '.join(empty)}: give at least one value")
    policies = lists.pop(POLICY, None)
    if policies is None:
        raise ValueError(f"grid: {POLICY!r} is missing")
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        got = ", ".join(map(repr, unknown))
        raise ValueError(f"grid: policy: must be among {', '.join(POLICIES)}, got {got}")
    intervals: list[float | None] = lists.pop(REPLAN, [None])
    return lists, policies, intervals


def sweep_combinations(grid: Mapping[str, Sequence[Any]]) -> list[tuple[dict[str, Any], str, float | None]]:
    """The rows of a sweep, in order: ``(input keywords, policy, re-plan interval)`` over the product of the
    grid's lists (input keywords in the grid's order, then policy, then interval). A policy that takes no
    interval gets one row with interval None per input, not one per interval."""
    lists, policies, intervals = _grid_lists(grid)
    rows: list[tuple[dict[str, Any], str, float | None]] = []
    for values in itertools.product(*lists.values()):
        params = dict(zip(lists, values, strict=True))
        for name in policies:
            for interval in intervals if takes_replan_interval(name) else [None]:
                rows.append((params, name, interval))
    return rows


def sweep(
    input_factory: Callable[..., SimulationInput],
    grid: Mapping[str, Sequence[Any]],
    *,
    replications: int | Sequence[int],
    seed: int,
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    chunk: int | None = None,
    progress: Progress | None = None,
) -> list[SweepRow]:
    """Every combination of ``grid`` (a dict of lists), simulated with the same seed; one row each.

    ``grid`` holds ``"policy"`` (policy names), optionally ``"replan_min"`` (minutes; used by the
    policies that take one, see :func:`sweep_combinations`) and any other key, e.g. ``"fleet"``, whose values
    are passed as keywords to ``input_factory`` (called here once per combination of them, e.g.
    ``input_factory(fleet=8)``). Where and in what chunks it runs: as :func:`simulate_distributed`; the
    workers return each replication's metrics only, not its per-casualty records.

    Raises:
        ValueError: an empty list, no or an unknown policy, or no replication.
    """
    indices = _indices(replications)
    combos = sweep_combinations(grid)
    if workers < 0:
        raise ValueError(f"workers: must be 0 or more, got {workers}")
    lists, _, _ = _grid_lists(grid)
    param_sets = [dict(zip(lists, v, strict=True)) for v in itertools.product(*lists.values())]
    inputs = [input_factory(**p) for p in param_sets]
    with _maybe_client(client, scheduler, workers) as used:
        size = _chunk_size(chunk, len(indices) * len(combos), used, workers)
        size = min(size, len(indices))
        jobs, owner = [], []
        for row, (params, name, interval) in enumerate(combos):
            for c in _chunked(indices, size):
                jobs.append(_Job(param_sets.index(params), name, interval, c))
                owner.append(row)
        parts = _run_jobs(inputs, jobs, seed, run_chunk_metrics, used, progress)
    per_row: list[list[dict[str, float]]] = [[] for _ in combos]
    for row, part in zip(owner, parts, strict=True):
        per_row[row].extend(part)
    out = []
    for (params, name, interval), metrics in zip(combos, per_row, strict=True):
        names = metrics[0].keys()
        out.append(SweepRow(params, name, interval, {k: estimate([m[k] for m in metrics]) for k in names},
                            tuple(m["deaths"] for m in metrics)))
    return out

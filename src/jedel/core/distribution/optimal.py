"""Exact allocation maximising expected survivors: min-cost flow on casualty groups (OR-Tools).

This is the transportation form of the Sacco resource-constrained triage LP (Sacco et al. 2005, Acad
Emerg Med 12(8):759-770: "allocation by linear programming to maximise expected survivors", over time
periods), restricted to hospital choice with an hourly receiving capacity per category. Network::

    group g (supply n_g) --[cap n_g, cost(d_ghk, T_ghk)]--> (hospital h, slot k, category of g)
                                                                   --[cap K_hc, 0]--> sink
    group g              --[cap n_g, cost(u_g)]------------------------------------> sink

with one arc per feasible (group, hospital) and usable slot ``k < n_slots``. ``T_ghk = max(t_gh, 60 k)``
is the time to definitive care and ``d_ghk`` the death probability then (:mod:`.evaluate`, the evaluator
that also scores every baseline); ``u_g`` is the death probability if not admitted. Integer costs (int64),
with ``S = COST_SCALE`` and ``B = TIME_BUCKETS``::

    arc cost        = 2 * (round(d_ghk * S) * B + min(round(T_ghk + t_gh), B - 1))
    unassigned cost = 2 * (round(u_g   * S) * B + B - 1) + 1

The primary term is the death probability rounded to ``1 / COST_SCALE``; the secondary term breaks ties
between equally good options by minutes to care plus minutes of travel (the step survival tables make
every option within the same 30-minute column equally good; the patient should then be treated sooner,
and among equally soon options go to the nearer hospital); the final ``+1`` makes admitting strictly
preferred to leaving unassigned whenever both are equal. Per casualty, ``cost / (2 * COST_SCALE *
TIME_BUCKETS)`` differs from the true death probability by less than ``1.5 / COST_SCALE``, so the
unrounded expected deaths of the returned flow exceed the true optimum by less than :func:`rounding_bound`
``= 3 N / COST_SCALE`` (3e-4 for 10,000 casualties). Reported expected deaths always use the unrounded
probabilities.

Size: ``G`` group nodes, ``H * n_slots * C`` capacity nodes, and ``n_slots`` arcs per feasible
(group, hospital) pair; groups keep it small (10,000 casualties at 200 sites form about 3,400 groups).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from jedel.core.distribution.evaluate import care_time_min, option_death
from jedel.core.distribution.groups import CATEGORIES, GroupedProblem
from jedel.core.distribution.model import SLOT_MIN

COST_SCALE = 10**8
"""Resolution of the primary cost: death probabilities are rounded to 1e-8."""

TIME_BUCKETS = 4096
"""Secondary (tie-break) cost: minutes to care + minutes of travel, 0..4095 (longer share the last bucket)."""


def rounding_bound(n_casualties: int) -> float:
    """Largest possible excess (expected deaths) of the optimal flow over the true optimum from rounding."""
    return 3.0 * n_casualties / COST_SCALE


def _arcs(gp: GroupedProblem) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Entry arcs ``(group, hospital, slot)``: one into the first-arrival slot ``k0``, one per later slot."""
    n_slots = gp.n_slots
    pair_g, pair_h = np.nonzero(gp.feasible)
    first = np.minimum(np.floor(gp.time_min[pair_g, pair_h] / SLOT_MIN), n_slots - 1).astype(np.intp)
    per_pair = n_slots - first
    starts = np.cumsum(per_pair) - per_pair
    offset = np.arange(int(per_pair.sum()), dtype=np.intp) - np.repeat(starts, per_pair)
    return (
        np.repeat(pair_g, per_pair).astype(np.intp),
        np.repeat(pair_h, per_pair).astype(np.intp),
        (np.repeat(first, per_pair) + offset).astype(np.intp),
    )


def solve_min_cost_flow(
    gp: GroupedProblem,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.int64]]:
    """Optimal group -> (hospital, slot) flows.

    Args:
        gp: grouped problem (feasibility, capacities and slots precomputed).

    Returns:
        ``(group, hospital, slot, count)`` of every admitted share (``slot`` = admission slot, after
        descending the ladder); the rest of each group is unassigned.

    Raises:
        RuntimeError: the solver did not reach an optimum (cannot happen for a validated problem: the
            unassigned arcs make every instance feasible).
    """
    n_groups, n_hosp = gp.feasible.shape
    n_cat, n_slots = len(CATEGORIES), gp.n_slots
    n_cap = n_hosp * n_slots * n_cat
    sink = n_groups + n_cap
    gi, hi, ki = _arcs(gp)
    travel = gp.time_min[gi, hi]
    minutes = np.minimum(np.rint(care_time_min(travel, ki) + travel), TIME_BUCKETS - 1).astype(np.int64)
    primary = np.rint(option_death(gp, gi, hi, ki) * COST_SCALE).astype(np.int64)
    arc_cost = 2 * (primary * TIME_BUCKETS + minutes)
    left_primary = np.rint(gp.unassigned_death * COST_SCALE).astype(np.int64)
    left_cost = 2 * (left_primary * TIME_BUCKETS + TIME_BUCKETS - 1) + 1
    node = np.arange(n_cap).reshape(n_hosp, n_slots, n_cat)  # (hospital, slot, category)
    ladder_tail, ladder_head = node[:, 1:, :].reshape(-1), node[:, :-1, :].reshape(-1)
    cap = np.repeat(gp.capacity[:, None, :], n_slots, axis=1)
    below = (np.cumsum(cap, axis=1) - cap)[:, 1:, :].reshape(-1)  # places in the slots under each rung
    tails = np.concatenate([gi, np.arange(n_groups), n_groups + node.reshape(-1), n_groups + ladder_tail])
    heads = np.concatenate(
        [
            n_groups + node[hi, ki, gp.category_index[gi]],
            np.full(n_groups + n_cap, sink),
            n_groups + ladder_head,
        ]
    )
    capacities = np.concatenate([gp.count[gi], gp.count, cap.reshape(-1), below])
    costs = np.concatenate([arc_cost, left_cost, np.zeros(n_cap + below.size, dtype=np.int64)])

    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities.astype(np.int64), costs
    )
    supplies = np.concatenate([gp.count, np.zeros(n_cap, dtype=np.int64), [-int(gp.count.sum())]])
    smcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies.astype(np.int64))
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not reach an optimum (status {status})")
    flow = np.asarray(smcf.flows(np.arange(gi.size, dtype=np.int32)), dtype=np.int64)
    first_sink_arc = gi.size + n_groups
    admitted = np.asarray(smcf.flows(np.arange(first_sink_arc, first_sink_arc + n_cap, dtype=np.int32)))
    used = flow > 0
    return _descend(gp, gi[used], hi[used], ki[used], flow[used], admitted.reshape(cap.shape))


def _descend(
    gp: GroupedProblem,
    gi: NDArray[np.intp],
    hi: NDArray[np.intp],
    ki: NDArray[np.intp],
    flow: NDArray[np.int64],
    admitted: NDArray[np.int64],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.int64]]:
    """Admission slot of each unit entering a ladder: per (hospital, category), fill slots from the top,
    units that entered highest first (so a unit keeps its entry slot whenever the flow allows)."""
    ci = gp.category_index[gi]
    order = np.lexsort((-ki, ci, hi))
    out_g: list[int] = []
    out_h: list[int] = []
    out_k: list[int] = []
    out_n: list[int] = []
    start = 0
    while start < order.size:
        h, c = int(hi[order[start]]), int(ci[order[start]])
        end = start
        while end < order.size and hi[order[end]] == h and ci[order[end]] == c:
            end += 1
        units = [[int(gi[j]), int(ki[j]), int(flow[j])] for j in order[start:end]]  # by entry slot, desc
        u = 0
        for slot in range(gp.n_slots - 1, -1, -1):
            need = int(admitted[h, slot, c])
            while need > 0:
                g, entry, n = units[u]
                assert entry >= slot, "flow conservation on the ladder"
                take = min(n, need)
                out_g.append(g)
                out_h.append(h)
                out_k.append(slot)
                out_n.append(take)
                need -= take
                units[u][2] -= take
                if units[u][2] == 0:
                    u += 1
        start = end
    return (
        np.array(out_g, dtype=np.intp),
        np.array(out_h, dtype=np.intp),
        np.array(out_k, dtype=np.intp),
        np.array(out_n, dtype=np.int64),
    )

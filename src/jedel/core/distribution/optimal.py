"""Exact allocation maximising expected survivors: min-cost flow on casualty groups (OR-Tools).

This is the transportation form of the Sacco resource-constrained triage LP (Sacco et al. 2005, Acad
Emerg Med 12(8):759-770: "allocation by linear programming to maximise expected survivors"), restricted to
hospital choice with capacity per category. Network::

    group g (supply n_g) --[cap n_g, cost(d_gh, t_gh)]--> (hospital h, category of g) --[cap K_hc, 0]--> sink
    group g              --[cap n_g, cost(u_g)]--------------------------------------------------> sink

``d_gh`` is the death probability if taken to ``h`` and ``u_g`` if left unassigned. Integer costs
(all int64)::

    arc cost        = 2 * (round(d_gh * COST_SCALE) * TIME_BUCKETS + min(round(t_gh), TIME_BUCKETS - 1))
    unassigned cost = 2 * (round(u_g  * COST_SCALE) * TIME_BUCKETS + TIME_BUCKETS - 1) + 1

The primary term is the death probability rounded to ``1 / COST_SCALE``; the secondary term breaks ties
between equally good hospitals by travel time in whole minutes (the step survival tables make every
hospital within the same 30-minute column equally good, and a patient should then go to the nearer one);
the final ``+1`` makes assigning strictly preferred to leaving unassigned whenever both are equal.
Per casualty, ``cost / (2 * COST_SCALE * TIME_BUCKETS)`` differs from the true death probability by less
than ``1.5 / COST_SCALE``, so the unrounded expected deaths of the returned flow exceed the true optimum
by less than :func:`rounding_bound` ``= 3 N / COST_SCALE`` (3e-4 for 10,000 casualties). Reported expected
deaths always use the unrounded probabilities.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from jedel.core.distribution.groups import CATEGORIES, GroupedProblem

COST_SCALE = 10**8
"""Resolution of the primary cost: death probabilities are rounded to 1e-8."""

TIME_BUCKETS = 1024
"""Secondary (tie-break) cost: travel minutes 0..1023 (longer trips share the last bucket)."""


def rounding_bound(n_casualties: int) -> float:
    """Largest possible excess (expected deaths) of the optimal flow over the true optimum from rounding."""
    return 3.0 * n_casualties / COST_SCALE


def solve_min_cost_flow(gp: GroupedProblem) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.int64]]:
    """Optimal group -> hospital flows.

    Args:
        gp: grouped problem (feasibility, death probabilities and capacities precomputed).

    Returns:
        ``(group, hospital, count)`` arrays of the arcs carrying positive flow; the rest of each group
        is unassigned.

    Raises:
        RuntimeError: the solver did not reach an optimum (cannot happen for a validated problem: the
            unassigned arcs make every instance feasible).
    """
    n_groups, n_hosp = gp.feasible.shape
    n_cat = len(CATEGORIES)
    sink = n_groups + n_hosp * n_cat
    gi, hi = np.nonzero(gp.feasible)
    gi = gi.astype(np.intp)
    hi = hi.astype(np.intp)
    minutes = np.minimum(np.rint(gp.time_min[gi, hi]), TIME_BUCKETS - 1).astype(np.int64)
    arc_cost = 2 * (np.rint(gp.death[gi, hi] * COST_SCALE).astype(np.int64) * TIME_BUCKETS + minutes)
    left_primary = np.rint(gp.unassigned_death * COST_SCALE).astype(np.int64)
    left_cost = 2 * (left_primary * TIME_BUCKETS + TIME_BUCKETS - 1) + 1
    hc = np.arange(n_hosp * n_cat)
    tails = np.concatenate([gi, np.arange(n_groups), n_groups + hc]).astype(np.int32)
    heads = np.concatenate(
        [n_groups + hi * n_cat + gp.category_index[gi], np.full(n_groups, sink), np.full(hc.size, sink)]
    ).astype(np.int32)
    capacities = np.concatenate([gp.count[gi], gp.count, gp.capacity.reshape(-1)]).astype(np.int64)
    costs = np.concatenate([arc_cost, left_cost, np.zeros(hc.size, dtype=np.int64)])

    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.concatenate([gp.count, np.zeros(n_hosp * n_cat, dtype=np.int64), [-int(gp.count.sum())]])
    smcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies.astype(np.int64))
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not reach an optimum (status {status})")
    flow = np.asarray(smcf.flows(np.arange(gi.size, dtype=np.int32)), dtype=np.int64)
    used = flow > 0
    return gi[used], hi[used], flow[used]

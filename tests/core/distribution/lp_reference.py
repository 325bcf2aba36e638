"""Independent reference: the distribution LP per casualty and hour slot, solved with scipy's HiGHS.

Built from the problem's raw fields (no grouping, no OR-Tools, no engine helpers): variables x[i, h, k]
for every feasible casualty-hospital pair and usable hour slot k, and y[i] for "not admitted"; minimise
sum d[i, h, k] x[i, h, k] + sum u[i] y[i] subject to sum_{h,k} x[i, h, k] + y[i] = 1 and, per hospital,
slot and category, sum x <= hourly capacity. d[i, h, k] is the death probability at max(travel, 60 k)
minutes; u[i] at max(no-care horizon, longest feasible travel). Usable slots: k < planning_horizon_h and
60 k <= no-care horizon. The constraint matrix is totally unimodular (a transportation problem), so the
LP optimum equals the integer optimum.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from jedel.core.distribution import DistributionProblem
from jedel.core.survival import CareCategory, rpm_category

CATS = list(CareCategory)


def capacity_category(problem: DistributionProblem, i: int) -> CareCategory:
    c = problem.casualties[i]
    return c.category if c.category is not None else rpm_category(c.rpm, problem.category_bands)


def kind_index(problem: DistributionProblem, i: int) -> int:
    kinds = list(problem.model.kinds)
    c = problem.casualties[i]
    if c.rpm is not None and str(c.rpm) in kinds:
        return kinds.index(str(c.rpm))
    return kinds.index(c.category.value)


def no_care_horizon(problem: DistributionProblem) -> float:
    if problem.untreated_horizon_min is not None:
        return problem.untreated_horizon_min
    return problem.model.horizon_min


def usable_slots(problem: DistributionProblem) -> int:
    horizon = no_care_horizon(problem)
    if math.isinf(horizon):
        return problem.planning_horizon_h
    return min(problem.planning_horizon_h, int(horizon // 60) + 1)


def travel(problem: DistributionProblem, i: int, h: int) -> float:
    c = problem.casualties[i]
    return float(problem.travel_time_min[problem.site_ids.index(c.site_id), h])


def feasible_hospitals(problem: DistributionProblem, i: int) -> list[int]:
    c = problem.casualties[i]
    limit = np.inf if problem.max_transport_min is None else problem.max_transport_min
    cat = capacity_category(problem, i)
    return [
        h
        for h, hosp in enumerate(problem.hospitals)
        if c.needs <= hosp.capabilities
        and np.isfinite(travel(problem, i, h))
        and travel(problem, i, h) <= limit
        and hosp.capacity(cat) > 0
    ]


def death_at(problem: DistributionProblem, i: int, minutes: float) -> float:
    return float(problem.model.death_probability(kind_index(problem, i), minutes))


def untreated_death(problem: DistributionProblem, i: int) -> float:
    longest = [travel(problem, i, h) for h in feasible_hospitals(problem, i)]
    return death_at(problem, i, max([no_care_horizon(problem), *longest]))


def lp_expected_deaths(problem: DistributionProblem) -> float:
    n_slots = usable_slots(problem)
    cols_i, cap_rows, cost = [], [], []
    for i in range(len(problem.casualties)):
        cat = CATS.index(capacity_category(problem, i))
        for h in feasible_hospitals(problem, i):
            for k in range(n_slots):
                cols_i.append(i)
                cap_rows.append((h * n_slots + k) * len(CATS) + cat)
                cost.append(death_at(problem, i, max(travel(problem, i, h), 60.0 * k)))
    n, n_arcs = len(problem.casualties), len(cost)
    if n == 0:
        return 0.0
    c_vec = np.array(cost + [untreated_death(problem, i) for i in range(n)])
    eq_rows = np.concatenate([np.array(cols_i, dtype=int), np.arange(n)])
    a_eq = sparse.csr_matrix((np.ones(n_arcs + n), (eq_rows, np.arange(n_arcs + n))), shape=(n, n_arcs + n))
    n_cap = len(problem.hospitals) * n_slots * len(CATS)
    a_ub = sparse.csr_matrix(
        (np.ones(n_arcs), (np.array(cap_rows, dtype=int), np.arange(n_arcs))), shape=(n_cap, n_arcs + n)
    )
    b_ub = np.array(
        [h.capacity(cat) for h in problem.hospitals for _ in range(n_slots) for cat in CATS], dtype=float
    )
    res = linprog(c_vec, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.ones(n), bounds=(0, None), method="highs")
    assert res.status == 0, res.message
    return float(res.fun)

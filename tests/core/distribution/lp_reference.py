"""Independent reference: the distribution LP per casualty, solved with scipy's HiGHS.

Built from the problem's raw fields (no grouping, no OR-Tools): variables x[i, h] for every feasible
casualty-hospital pair and y[i] for "unassigned"; minimise sum d[i, h] x[i, h] + sum u[i] y[i] subject to
sum_h x[i, h] + y[i] = 1 and, per hospital and category, sum x <= capacity. The constraint matrix is
totally unimodular, so the LP optimum equals the integer optimum.
"""

from __future__ import annotations

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


def feasible_hospitals(problem: DistributionProblem, i: int) -> list[int]:
    c = problem.casualties[i]
    row = problem.travel_time_min[problem.site_ids.index(c.site_id)]
    limit = np.inf if problem.max_transport_min is None else problem.max_transport_min
    cat = capacity_category(problem, i)
    return [
        h
        for h, hosp in enumerate(problem.hospitals)
        if c.needs <= hosp.capabilities and np.isfinite(row[h]) and row[h] <= limit and hosp.capacity(cat) > 0
    ]


def lp_expected_deaths(problem: DistributionProblem) -> float:
    model = problem.model
    cols_i, cols_h, cost = [], [], []
    unassigned = []
    for i, c in enumerate(problem.casualties):
        row = problem.travel_time_min[problem.site_ids.index(c.site_id)]
        k = kind_index(problem, i)
        feas = feasible_hospitals(problem, i)
        for h in feas:
            cols_i.append(i)
            cols_h.append(h)
            cost.append(float(model.death_probability(k, row[h])))
        horizon = max([problem.horizon_min, *[row[h] for h in feas]])
        unassigned.append(float(model.death_probability(k, horizon)))
    n, n_arcs = len(problem.casualties), len(cost)
    if n == 0:
        return 0.0
    c_vec = np.array(cost + unassigned)
    eq_rows = np.concatenate([np.array(cols_i, dtype=int), np.arange(n)])
    a_eq = sparse.csr_matrix((np.ones(n_arcs + n), (eq_rows, np.arange(n_arcs + n))), shape=(n, n_arcs + n))
    cap_rows = [
        cols_h[a] * len(CATS) + CATS.index(capacity_category(problem, cols_i[a])) for a in range(n_arcs)
    ]
    n_cap = len(problem.hospitals) * len(CATS)
    a_ub = sparse.csr_matrix(
        (np.ones(n_arcs), (np.array(cap_rows, dtype=int), np.arange(n_arcs))), shape=(n_cap, n_arcs + n)
    )
    b_ub = np.array([h.capacity(cat) for h in problem.hospitals for cat in CATS], dtype=float)
    res = linprog(c_vec, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.ones(n), bounds=(0, None), method="highs")
    assert res.status == 0, res.message
    return float(res.fun)

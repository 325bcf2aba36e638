"""Random instances: constraints never violated, optimal equals an independent LP, baselines never better."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jedel.core.distribution import Casualty, DistributionProblem, Hospital, rounding_bound, solve
from jedel.core.survival import CareCategory

from .lp_reference import capacity_category, feasible_hospitals, kind_index, lp_expected_deaths

NEEDS = ("paediatric", "burns", "neurosurgery")
TIMES = [0.0, 5.0, 20.0, 29.5, 30.0, 45.0, 60.0, 95.0, 150.0, 250.0, 400.0, math.inf]


@st.composite
def problems(draw: st.DrawFn) -> DistributionProblem:
    n_sites = draw(st.integers(1, 3))
    n_hosp = draw(st.integers(1, 4))
    with_rpm = draw(st.booleans())
    hospitals = tuple(
        Hospital(
            f"H{j}",
            {c: draw(st.integers(0, 3)) for c in CareCategory},
            frozenset(draw(st.sets(st.sampled_from(NEEDS)))),
        )
        for j in range(n_hosp)
    )
    casualties = []
    for i in range(draw(st.integers(0, 12))):
        rpm = draw(st.integers(0, 12)) if with_rpm else None
        category = draw(st.sampled_from(list(CareCategory))) if rpm is None or draw(st.booleans()) else None
        needs = frozenset(draw(st.sets(st.sampled_from(NEEDS), max_size=2)))
        casualties.append(Casualty(f"c{i}", f"S{draw(st.integers(0, n_sites - 1))}", category, rpm, needs))
    matrix = [[draw(st.sampled_from(TIMES)) for _ in range(n_hosp)] for _ in range(n_sites)]
    limit = draw(st.sampled_from([None, 30.0, 100.0, 300.0]))
    return DistributionProblem(
        tuple(casualties),
        hospitals,
        tuple(f"S{s}" for s in range(n_sites)),
        np.array(matrix),
        max_transport_min=limit,
    )


def check_allocation(problem: DistributionProblem, allocation) -> None:
    """Capacity, needs and transport limit hold; figures match the model; loads match assignments."""
    hosp = {h.hospital_id: j for j, h in enumerate(problem.hospitals)}
    loads = {(h.hospital_id, c.value): 0 for h in problem.hospitals for c in CareCategory}
    deaths = []
    for i, (c, a) in enumerate(zip(problem.casualties, allocation.assignments, strict=True)):
        assert a.casualty_id == c.casualty_id
        k = kind_index(problem, i)
        if a.hospital_id is None:
            continue
        j = hosp[a.hospital_id]
        h = problem.hospitals[j]
        t = problem.travel_time_min[problem.site_ids.index(c.site_id), j]
        assert c.needs <= h.capabilities
        assert math.isfinite(t) and (problem.max_transport_min is None or t <= problem.max_transport_min)
        assert a.travel_time_min == t
        assert a.death_probability == pytest.approx(float(problem.model.death_probability(k, t)), abs=1e-15)
        loads[(a.hospital_id, capacity_category(problem, i).value)] += 1
        deaths.append(a.death_probability)
    for (hid, cat), n in loads.items():
        assert n <= problem.hospitals[hosp[hid]].capacity(CareCategory(cat))
        assert allocation.loads[hid][cat] == n
    assert allocation.expected_deaths == pytest.approx(
        math.fsum(a.death_probability for a in allocation.assignments)
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems())
def test_constraints_hold_and_optimal_matches_lp(problem: DistributionProblem) -> None:
    results = {policy: solve(problem, policy) for policy in ("optimal", "nearest", "proportional")}
    for allocation in results.values():
        check_allocation(problem, allocation)
    best = results["optimal"].expected_deaths
    bound = rounding_bound(len(problem.casualties)) + 1e-9
    lp = lp_expected_deaths(problem)
    assert lp - 1e-9 <= best <= lp + bound
    assert best <= results["nearest"].expected_deaths + bound
    assert best <= results["proportional"].expected_deaths + bound
    # Never leave a casualty out while a feasible hospital still has room in its category.
    loads = results["optimal"].loads
    for i, a in enumerate(results["optimal"].assignments):
        if a.hospital_id is None:
            cat = capacity_category(problem, i)
            for j in feasible_hospitals(problem, i):
                h = problem.hospitals[j]
                assert loads[h.hospital_id][cat.value] == h.capacity(cat)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_optimal_matches_lp_on_larger_random_instances(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_sites, n_hosp, n = 12, 25, 400
    hospitals = tuple(
        Hospital(
            f"H{j}",
            {c: int(rng.integers(0, 8)) for c in CareCategory},
            frozenset(x for x in NEEDS if rng.random() < 0.4),
        )
        for j in range(n_hosp)
    )
    casualties = tuple(
        Casualty(
            f"c{i}",
            f"S{rng.integers(n_sites)}",
            rpm=int(rng.integers(0, 13)),
            needs=frozenset(x for x in NEEDS if rng.random() < 0.1),
        )
        for i in range(n)
    )
    matrix = rng.uniform(0, 300, (n_sites, n_hosp))
    problem = DistributionProblem(
        casualties, hospitals, tuple(f"S{s}" for s in range(n_sites)), matrix, max_transport_min=200.0
    )
    best = solve(problem, "optimal")
    check_allocation(problem, best)
    lp = lp_expected_deaths(problem)
    assert lp - 1e-9 <= best.expected_deaths <= lp + rounding_bound(n) + 1e-9
    assert best.expected_deaths <= solve(problem, "nearest").expected_deaths

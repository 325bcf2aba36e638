"""Random instances: constraints never violated, overflow never hidden, optimal equals an independent LP,
baselines never better."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jedel.core.distribution import Allocation, Casualty, DistributionProblem, Hospital, rounding_bound, solve
from jedel.core.survival import CareCategory

from .lp_reference import (
    capacity_category,
    death_at,
    feasible_hospitals,
    lp_expected_deaths,
    travel,
    untreated_death,
    usable_slots,
)

NEEDS = ("paediatric_surgery", "burns", "neurosurgery")
TIMES = [0.0, 5.0, 20.0, 29.5, 30.0, 45.0, 60.0, 95.0, 150.0, 250.0, 400.0, math.inf]
POLICIES = ("optimal", "nearest", "nearest_available", "proportional")


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
    return DistributionProblem(
        tuple(casualties),
        hospitals,
        tuple(f"S{s}" for s in range(n_sites)),
        np.array(matrix),
        max_transport_min=draw(st.sampled_from([None, 30.0, 100.0, 300.0])),
        untreated_horizon_min=draw(st.sampled_from([None, None, 45.0, 120.0])),
        planning_horizon_h=draw(st.integers(1, 3)),
    )


def nearest_feasible(problem: DistributionProblem, i: int) -> int | None:
    feasible = feasible_hospitals(problem, i)
    return min(feasible, key=lambda h: (travel(problem, i, h), h)) if feasible else None


def check_allocation(problem: DistributionProblem, allocation: Allocation) -> None:
    """Needs, transport limit and slots hold; figures match the model; loads match assignments; capacity
    per slot never exceeded; under ``nearest`` every overflow is reported, never hidden."""
    hosp = {h.hospital_id: j for j, h in enumerate(problem.hospitals)}
    n_slots = usable_slots(problem)
    admitted: Counter[tuple[str, int, str]] = Counter()
    sent: Counter[tuple[str, str]] = Counter()
    arrivals: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for i, (c, a) in enumerate(zip(problem.casualties, allocation.assignments, strict=True)):
        assert a.casualty_id == c.casualty_id
        cat = capacity_category(problem, i).value
        if a.hospital_id is not None:
            j = hosp[a.hospital_id]
            assert j in feasible_hospitals(problem, i)  # needs, reach, category received
            assert a.travel_time_min == travel(problem, i, j)
            sent[(a.hospital_id, cat)] += 1
        if a.slot is None:
            assert a.time_to_care_min is None
            assert a.death_probability == pytest.approx(untreated_death(problem, i), abs=1e-15)
            assert a.hospital_id is None or allocation.policy == "nearest"
            continue
        assert a.hospital_id is not None and 0 <= a.slot < n_slots
        care = max(a.travel_time_min, 60.0 * a.slot)
        assert a.time_to_care_min == care
        assert a.death_probability == pytest.approx(death_at(problem, i, care), abs=1e-15)
        admitted[(a.hospital_id, a.slot, cat)] += 1
        arrivals.setdefault((a.hospital_id, cat), []).append((a.travel_time_min, a.slot))
    for h in problem.hospitals:
        hid = h.hospital_id
        for cat in CareCategory:
            cap, v = h.capacity(cat), cat.value
            for k in range(problem.planning_horizon_h):
                assert allocation.slot_loads[hid][k][v] == admitted[(hid, k, v)]
                assert admitted[(hid, k, v)] <= cap  # capacity per slot, every policy
            assert allocation.loads[hid][v] == sum(admitted[(hid, k, v)] for k in range(n_slots))
            if allocation.policy != "nearest":
                assert allocation.overflow[hid][v] == 0
                continue
            # nearest: the queue fills slots in order at the hourly rate; the rest is overflow.
            n = sent[(hid, v)]
            for k in range(n_slots):
                assert admitted[(hid, k, v)] == min(cap, max(0, n - k * cap))
            assert allocation.overflow[hid][v] == max(0, n - n_slots * cap)
            times = sorted(arrivals.get((hid, v), []))
            assert [s for _, s in times] == sorted(s for _, s in times)  # earlier arrival, earlier slot
    if allocation.policy == "nearest":
        for i, a in enumerate(allocation.assignments):
            nearest = nearest_feasible(problem, i)
            assert a.hospital_id == (None if nearest is None else problem.hospitals[nearest].hospital_id)
    assert allocation.n_overflow == sum(sum(v.values()) for v in allocation.overflow.values())
    assert allocation.expected_deaths == pytest.approx(
        math.fsum(a.death_probability for a in allocation.assignments)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems())
def test_constraints_hold_and_optimal_matches_lp(problem: DistributionProblem) -> None:
    results = {policy: solve(problem, policy) for policy in POLICIES}
    for allocation in results.values():
        check_allocation(problem, allocation)
    best = results["optimal"].expected_deaths
    bound = rounding_bound(len(problem.casualties)) + 1e-9
    lp = lp_expected_deaths(problem)
    assert lp - 1e-9 <= best <= lp + bound
    for policy in POLICIES[1:]:
        assert best <= results[policy].expected_deaths + bound
    # Never leave a casualty out while a feasible hospital still has room in a usable slot.
    slot_loads = results["optimal"].slot_loads
    for i, a in enumerate(results["optimal"].assignments):
        if a.slot is None:
            cat = capacity_category(problem, i)
            for j in feasible_hospitals(problem, i):
                h = problem.hospitals[j]
                for k in range(usable_slots(problem)):
                    assert slot_loads[h.hospital_id][k][cat.value] == h.capacity(cat)


@pytest.mark.parametrize(("seed", "hours"), [(1, 1), (2, 2), (3, 3), (4, 6)])
def test_optimal_matches_lp_on_larger_random_instances(seed: int, hours: int) -> None:
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
        casualties,
        hospitals,
        tuple(f"S{s}" for s in range(n_sites)),
        matrix,
        max_transport_min=200.0,
        planning_horizon_h=hours,
    )
    results = {policy: solve(problem, policy) for policy in POLICIES}
    for allocation in results.values():
        check_allocation(problem, allocation)
    best = results["optimal"].expected_deaths
    lp = lp_expected_deaths(problem)
    assert lp - 1e-9 <= best <= lp + rounding_bound(n) + 1e-9
    for policy in POLICIES[1:]:
        assert best <= results[policy].expected_deaths

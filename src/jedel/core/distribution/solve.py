"""``solve``: allocate casualties to hospitals by a policy and explain every decision."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from jedel.core.distribution.baselines import assign_nearest, assign_proportional
from jedel.core.distribution.groups import CATEGORIES, CasualtyGroup, GroupedProblem, group_problem
from jedel.core.distribution.model import DistributionProblem
from jedel.core.distribution.optimal import solve_min_cost_flow

_EPS = 1e-9


class Policy(StrEnum):
    """Allocation policy."""

    OPTIMAL = "optimal"
    NEAREST = "nearest"
    PROPORTIONAL = "proportional"


class Reason(StrEnum):
    """Code of the constraint or gain that decided an assignment."""

    MAX_GAIN = "max_gain"
    NEAREST_FEASIBLE = "nearest_feasible"
    PROPORTIONAL_SHARE = "proportional_share"
    CAPACITY_FULL = "capacity_full"
    NEEDS_UNMET = "needs_unmet"
    BEYOND_MAX_TRANSPORT = "beyond_max_transport"
    NO_CAPACITY = "no_capacity"


@dataclass(frozen=True)
class Assignment:
    """Decision for one casualty.

    Attributes:
        casualty_id: the casualty.
        hospital_id: receiving hospital, ``None`` when unassigned.
        travel_time_min: minutes to it (``None`` when unassigned).
        death_probability: unrounded model death probability (at the untreated horizon if unassigned).
        reason_code: what decided it.
        reason: the same in words, e.g. ``"gain 0.120 expected survivors vs next best (H2)"``.
    """

    casualty_id: str
    hospital_id: str | None
    travel_time_min: float | None
    death_probability: float
    reason_code: Reason
    reason: str


@dataclass(frozen=True)
class GroupResult:
    """Allocation of one casualty group.

    Attributes:
        group: the group.
        flows: ``(hospital_id, casualties)`` pairs, by increasing travel time.
        unassigned: casualties of the group left without a hospital.
        expected_deaths: unrounded expected deaths in the group.
    """

    group: CasualtyGroup
    flows: tuple[tuple[str, int], ...]
    unassigned: int
    expected_deaths: float


@dataclass(frozen=True)
class Allocation:
    """Result of :func:`solve`.

    Attributes:
        policy: the policy used.
        assignments: one per casualty, in input order.
        loads: casualties received per hospital id and category value (every hospital and category).
        expected_deaths: sum of unrounded death probabilities (unassigned read at the untreated horizon).
        groups: group-level results.
    """

    policy: Policy
    assignments: tuple[Assignment, ...]
    loads: Mapping[str, Mapping[str, int]]
    expected_deaths: float
    groups: tuple[GroupResult, ...]

    @property
    def expected_survivors(self) -> float:
        """Number of casualties minus expected deaths."""
        return len(self.assignments) - self.expected_deaths

    @property
    def n_unassigned(self) -> int:
        """Casualties left without a hospital."""
        return sum(a.hospital_id is None for a in self.assignments)


def solve(problem: DistributionProblem, policy: Policy | str = Policy.OPTIMAL) -> Allocation:
    """Allocate casualties to hospitals, maximising expected survivors (``optimal``) or by a baseline.

    Constraints, for every policy: per-hospital per-category capacity, hard needs (paediatric, burns,
    neurosurgery) and ``max_transport_min``. Casualties with no feasible hospital with room are left
    unassigned and counted at their untreated death probability.

    Args:
        problem: validated problem.
        policy: ``"optimal"`` (exact min-cost flow, :mod:`.optimal`), ``"nearest"`` or
            ``"proportional"`` (:mod:`.baselines`).

    Returns:
        The allocation with per-casualty reasons and group-level results.

    Raises:
        ValueError: unknown policy.
    """
    try:
        chosen = Policy(policy)
    except ValueError:
        raise ValueError(f"policy: unknown {policy!r} (expected optimal, nearest or proportional)") from None
    gp = group_problem(problem)
    if chosen is Policy.OPTIMAL:
        hospital = _expand_flows(gp)
    elif chosen is Policy.NEAREST:
        hospital = assign_nearest(gp)
    else:
        hospital = assign_proportional(gp)
    return _allocation(gp, chosen, hospital)


def _expand_flows(gp: GroupedProblem) -> NDArray[np.intp]:
    """Per-casualty hospital from group flows: members in input order, hospitals best first."""
    result = np.full(gp.member_of.size, -1, dtype=np.intp)
    if not gp.groups:
        return result
    g_arr, h_arr, n_arr = solve_min_cost_flow(gp)
    members: list[list[int]] = [[] for _ in gp.groups]
    for i, g in enumerate(gp.member_of):
        members[g].append(i)
    order = np.lexsort((h_arr, gp.time_min[g_arr, h_arr], gp.death[g_arr, h_arr], g_arr))
    filled = np.zeros(len(gp.groups), dtype=np.intp)
    for k in order:
        g, h, n = int(g_arr[k]), int(h_arr[k]), int(n_arr[k])
        start = int(filled[g])
        result[members[g][start : start + n]] = h
        filled[g] += n
    return result


def _allocation(gp: GroupedProblem, policy: Policy, hospital: NDArray[np.intp]) -> Allocation:
    p = gp.problem
    g_of = gp.member_of
    assigned = hospital >= 0
    death = np.where(assigned, gp.death[g_of, np.maximum(hospital, 0)], gp.unassigned_death[g_of])
    loads = np.zeros_like(gp.capacity)
    np.add.at(loads, (hospital[assigned], gp.category_index[g_of[assigned]]), 1)
    hosp_ids = [h.hospital_id for h in p.hospitals]
    cache: dict[tuple[int, int], tuple[Reason, str]] = {}
    assignments = []
    for i, c in enumerate(p.casualties):
        g, h = int(g_of[i]), int(hospital[i])
        if (g, h) not in cache:
            cache[(g, h)] = _reason(gp, policy, g, h, loads, hosp_ids)
        code, text = cache[(g, h)]
        assignments.append(
            Assignment(
                casualty_id=c.casualty_id,
                hospital_id=hosp_ids[h] if h >= 0 else None,
                travel_time_min=float(gp.time_min[g, h]) if h >= 0 else None,
                death_probability=float(death[i]),
                reason_code=code,
                reason=text,
            )
        )
    groups = []
    for g, group in enumerate(gp.groups):
        in_g = g_of == g
        hs, counts = np.unique(hospital[in_g & assigned], return_counts=True)
        by_time = np.argsort(gp.time_min[g, hs], kind="stable")
        groups.append(
            GroupResult(
                group=group,
                flows=tuple((hosp_ids[hs[k]], int(counts[k])) for k in by_time),
                unassigned=int(np.count_nonzero(in_g & ~assigned)),
                expected_deaths=math.fsum(death[in_g]),
            )
        )
    load_map = {
        hosp_ids[h]: {cat.value: int(loads[h, j]) for j, cat in enumerate(CATEGORIES)}
        for h in range(len(hosp_ids))
    }
    return Allocation(policy, tuple(assignments), load_map, math.fsum(death), tuple(groups))


def _reason(
    gp: GroupedProblem, policy: Policy, g: int, h: int, loads: NDArray[np.int64], ids: list[str]
) -> tuple[Reason, str]:
    group = gp.groups[g]
    p = gp.problem
    cat = group.category.value
    feasible = np.flatnonzero(gp.feasible[g])
    if h < 0:
        if not gp.capable[g].any():
            needs = ", ".join(sorted(n.value for n in group.needs))
            return Reason.NEEDS_UNMET, f"needs {needs}: no hospital meets them"
        if not (gp.capable[g] & gp.in_reach[g]).any():
            limit = "unreachable" if p.max_transport_min is None else f"over {p.max_transport_min:g} min"
            return Reason.BEYOND_MAX_TRANSPORT, f"beyond max transport time: every capable hospital {limit}"
        if feasible.size == 0:
            return Reason.NO_CAPACITY, f"no {cat} capacity at any capable hospital within reach"
        return Reason.CAPACITY_FULL, f"capacity for {cat} full at all {feasible.size} feasible hospital(s)"
    c = int(gp.category_index[g])
    d, t = gp.death[g], gp.time_min[g]
    if policy is Policy.NEAREST:
        nearest = int(feasible[np.argmin(t[feasible])])
        if t[h] <= t[nearest]:
            return Reason.NEAREST_FEASIBLE, f"nearest feasible ({t[h]:.0f} min)"
        return (
            Reason.CAPACITY_FULL,
            f"capacity for {cat} at {ids[nearest]} full; nearest with room ({t[h]:.0f} min)",
        )
    if policy is Policy.PROPORTIONAL:
        share = f"{loads[h, c]}/{gp.capacity[h, c]}"
        return Reason.PROPORTIONAL_SHARE, f"proportional share: {ids[h]} {cat} final load {share}"
    best = int(feasible[np.lexsort((t[feasible], d[feasible]))[0]])
    best_full = loads[best, c] >= gp.capacity[best, c]
    if best != h and best_full and d[h] > d[best] + _EPS:
        return Reason.CAPACITY_FULL, (
            f"capacity for {cat} at {ids[best]} full (it would save {d[h] - d[best]:.3f} more); "
            f"gain {gp.unassigned_death[g] - d[h]:.3f} expected survivors vs unassigned"
        )
    if best != h and best_full and t[h] > t[best] + _EPS:
        return Reason.CAPACITY_FULL, (
            f"capacity for {cat} at {ids[best]} full; same survival here, {t[h] - t[best]:.0f} min farther"
        )
    others = feasible[feasible != h]
    if others.size:
        alt = int(others[np.lexsort((t[others], d[others]))[0]])
        return Reason.MAX_GAIN, (
            f"gain {d[alt] - d[h]:.3f} expected survivors vs next best ({ids[alt]}); "
            f"{t[h]:.0f} vs {t[alt]:.0f} min"
        )
    return Reason.MAX_GAIN, f"gain {gp.unassigned_death[g] - d[h]:.3f} expected survivors vs unassigned"

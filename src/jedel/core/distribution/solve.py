"""``solve``: allocate casualties to hospitals and hour slots by a policy and explain every decision."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jedel.core.distribution.baselines import (
    Decision,
    assign_nearest,
    assign_nearest_available,
    assign_proportional,
)
from jedel.core.distribution.evaluate import care_time_min, outcomes
from jedel.core.distribution.groups import CATEGORIES, CasualtyGroup, GroupedProblem, group_problem
from jedel.core.distribution.model import DistributionProblem
from jedel.core.distribution.optimal import solve_min_cost_flow
from jedel.core.distribution.reasons import Policy, Reason, Reasons


@dataclass(frozen=True)
class Assignment:
    """Decision for one casualty.

    Attributes:
        casualty_id: the casualty.
        hospital_id: hospital it is sent to, ``None`` when sent nowhere.
        travel_time_min: minutes to it (``None`` when sent nowhere).
        slot: hour slot of admission ``0 .. H-1``; ``None`` when not admitted within the usable slots
            (unassigned, or past the horizon in an overwhelmed hospital's queue under ``nearest``).
        time_to_care_min: minutes to definitive care, ``max(travel, 60 * slot)``; ``None`` if not admitted.
        death_probability: unrounded model death probability at ``time_to_care_min`` (at the no-care
            horizon if not admitted).
        reason_code: what decided it.
        reason: the same in words, e.g. ``"gain 0.120 expected survivors vs next best (H2)"``.
    """

    casualty_id: str
    hospital_id: str | None
    travel_time_min: float | None
    slot: int | None
    time_to_care_min: float | None
    death_probability: float
    reason_code: Reason
    reason: str


@dataclass(frozen=True)
class GroupResult:
    """Allocation of one casualty group.

    Attributes:
        group: the group.
        flows: ``(hospital_id, slot, casualties)`` admitted, by time to care then travel time.
        unassigned: casualties of the group not admitted within the usable slots.
        expected_deaths: unrounded expected deaths in the group.
    """

    group: CasualtyGroup
    flows: tuple[tuple[str, int, int], ...]
    unassigned: int
    expected_deaths: float


@dataclass(frozen=True)
class Allocation:
    """Result of :func:`solve`.

    Attributes:
        policy: the policy used.
        planning_horizon_h: hours (slots) the plan covers.
        assignments: one per casualty, in input order.
        loads: casualties admitted per hospital id and category value over all slots.
        slot_loads: casualties admitted per hospital id, slot (``planning_horizon_h`` entries; slots past
            the no-care horizon stay empty) and category value; never above the hourly capacity.
        overflow: casualties sent to a hospital but not admitted within the usable slots, per hospital id
            and category value (``nearest`` only; zero for the other policies).
        expected_deaths: sum of unrounded death probabilities (not admitted: at the no-care horizon).
        groups: group-level results.
    """

    policy: Policy
    planning_horizon_h: int
    assignments: tuple[Assignment, ...]
    loads: Mapping[str, Mapping[str, int]]
    slot_loads: Mapping[str, tuple[Mapping[str, int], ...]]
    overflow: Mapping[str, Mapping[str, int]]
    expected_deaths: float
    groups: tuple[GroupResult, ...]

    @property
    def expected_survivors(self) -> float:
        """Number of casualties minus expected deaths."""
        return len(self.assignments) - self.expected_deaths

    @property
    def n_unassigned(self) -> int:
        """Casualties not admitted within the usable slots (including ``n_overflow``)."""
        return sum(a.slot is None for a in self.assignments)

    @property
    def n_overflow(self) -> int:
        """Casualties sent to a hospital that could not admit them within the usable slots."""
        return sum(a.slot is None and a.hospital_id is not None for a in self.assignments)


def solve(problem: DistributionProblem, policy: Policy | str = Policy.OPTIMAL) -> Allocation:
    """Allocate casualties to hospitals and hour slots, maximising expected survivors or by a baseline.

    Hospitals receive ``capacity`` casualties per category per hour, over ``planning_horizon_h`` hour
    slots; a casualty admitted in slot ``k`` at a hospital ``t`` minutes away reaches definitive care at
    ``max(t, 60 k)`` minutes (:mod:`.evaluate`). Every policy is scored by the same evaluator: death
    probability at the time to care, or at the no-care horizon when not admitted within the usable slots.
    Every policy respects hard needs (capabilities such as ``paediatric_surgery`` or ``burns``),
    ``max_transport_min``, and only uses hospitals that receive the casualty's category at all.

    Policies:

    * ``optimal``: exact min-cost flow over (hospital, slot) with capacity per slot (:mod:`.optimal`).
    * ``nearest``: what happens today - "ambulances take casualties to the nearest hospital, which is
      overwhelmed while others wait". Capacity-blind: everyone goes to the nearest feasible hospital;
      it admits each category at its hourly rate in arrival order (travel time, then category priority,
      then input order), so the ``j``-th arrival waits until slot ``j // K``; arrivals past the last slot
      are not treated in time (``overflow``).
    * ``nearest_available``: a good dispatcher without optimisation - casualties served by category
      priority, each sent to the hospital with a free place that gives the earliest care (with one slot:
      the nearest hospital with a free place). Never exceeds capacity.
    * ``proportional``: water-filling in proportion to hourly capacity, earliest free slot. Never exceeds
      capacity.

    Args:
        problem: validated problem.
        policy: a :class:`Policy` or its value.

    Returns:
        The allocation with per-casualty slot, time to care and reason, loads per slot and group results.

    Raises:
        ValueError: unknown policy.
    """
    try:
        chosen = Policy(policy)
    except ValueError:
        known = ", ".join(p.value for p in Policy)
        raise ValueError(f"policy: unknown {policy!r} (expected one of {known})") from None
    gp = group_problem(problem)
    decide = {
        Policy.OPTIMAL: _optimal,
        Policy.NEAREST: assign_nearest,
        Policy.NEAREST_AVAILABLE: assign_nearest_available,
        Policy.PROPORTIONAL: assign_proportional,
    }[chosen]
    hospital, slot = decide(gp)
    return _allocation(gp, chosen, hospital, slot)


def _optimal(gp: GroupedProblem) -> Decision:
    """Per-casualty (hospital, slot) from group flows: members in input order, best options first."""
    n = gp.member_of.size
    hospital = np.full(n, -1, dtype=np.intp)
    slot = np.full(n, -1, dtype=np.intp)
    if not gp.groups:
        return hospital, slot
    g_arr, h_arr, k_arr, n_arr = solve_min_cost_flow(gp)
    members = np.argsort(gp.member_of, kind="stable")
    first = np.searchsorted(gp.member_of[members], np.arange(len(gp.groups)))
    t = gp.time_min[g_arr, h_arr]
    order = np.lexsort((k_arr, h_arr, t, care_time_min(t, k_arr), g_arr))
    filled = np.zeros(len(gp.groups), dtype=np.intp)
    for j in order:
        g, count = int(g_arr[j]), int(n_arr[j])
        start = first[g] + filled[g]
        chosen = members[start : start + count]
        hospital[chosen], slot[chosen] = h_arr[j], k_arr[j]
        filled[g] += count
    return hospital, slot


def _allocation(
    gp: GroupedProblem, policy: Policy, hospital: NDArray[np.intp], slot: NDArray[np.intp]
) -> Allocation:
    p = gp.problem
    g_of = gp.member_of
    admitted = (hospital >= 0) & (slot >= 0)
    overflowed = (hospital >= 0) & ~admitted
    care, death = outcomes(gp, hospital, slot)
    n_hosp, n_cat, horizon = len(p.hospitals), len(CATEGORIES), p.planning_horizon_h
    slot_loads = np.zeros((n_hosp, horizon, n_cat), dtype=np.int64)
    np.add.at(slot_loads, (hospital[admitted], slot[admitted], gp.category_index[g_of[admitted]]), 1)
    overflow = np.zeros((n_hosp, n_cat), dtype=np.int64)
    np.add.at(overflow, (hospital[overflowed], gp.category_index[g_of[overflowed]]), 1)
    hosp_ids = [h.hospital_id for h in p.hospitals]
    reasons = Reasons(gp, policy, slot_loads, hosp_ids)
    assignments = []
    for i, c in enumerate(p.casualties):
        g, h, k = int(g_of[i]), int(hospital[i]), int(slot[i])
        code, text = reasons.explain(g, h, k)
        assignments.append(
            Assignment(
                casualty_id=c.casualty_id,
                hospital_id=hosp_ids[h] if h >= 0 else None,
                travel_time_min=float(gp.time_min[g, h]) if h >= 0 else None,
                slot=k if admitted[i] else None,
                time_to_care_min=float(care[i]) if admitted[i] else None,
                death_probability=float(death[i]),
                reason_code=code,
                reason=text,
            )
        )
    return Allocation(
        policy=policy,
        planning_horizon_h=horizon,
        assignments=tuple(assignments),
        loads=_by_hospital(hosp_ids, slot_loads.sum(axis=1)),
        slot_loads={
            hid: tuple(_by_category(slot_loads[h, k]) for k in range(horizon))
            for h, hid in enumerate(hosp_ids)
        },
        overflow=_by_hospital(hosp_ids, overflow),
        expected_deaths=math.fsum(death),
        groups=_group_results(gp, hospital, slot, admitted, death, hosp_ids),
    )


def _by_category(row: NDArray[np.int64]) -> dict[str, int]:
    return {cat.value: int(row[j]) for j, cat in enumerate(CATEGORIES)}


def _by_hospital(ids: list[str], table: NDArray[np.int64]) -> dict[str, dict[str, int]]:
    return {hid: _by_category(table[h]) for h, hid in enumerate(ids)}


def _group_results(
    gp: GroupedProblem,
    hospital: NDArray[np.intp],
    slot: NDArray[np.intp],
    admitted: NDArray[np.bool_],
    death: NDArray[np.float64],
    ids: list[str],
) -> tuple[GroupResult, ...]:
    g_of = gp.member_of
    n_groups, n_hosp, n_slots = len(gp.groups), len(ids), max(gp.n_slots, 1)
    deaths = _group_fsum(gp, death)
    unassigned = np.bincount(g_of[~admitted], minlength=n_groups)
    key = (g_of[admitted] * n_hosp + hospital[admitted]) * n_slots + slot[admitted]
    keys, counts = np.unique(key, return_counts=True)
    g, rest = np.divmod(keys, n_hosp * n_slots)
    h, k = np.divmod(rest, n_slots)
    t = gp.time_min[g, h]
    order = np.lexsort((k, h, t, care_time_min(t, k), g))
    flows: list[list[tuple[str, int, int]]] = [[] for _ in range(n_groups)]
    for j in order:
        flows[g[j]].append((ids[h[j]], int(k[j]), int(counts[j])))
    return tuple(
        GroupResult(group, tuple(flows[i]), int(unassigned[i]), deaths[i])
        for i, group in enumerate(gp.groups)
    )


def _group_fsum(gp: GroupedProblem, death: NDArray[np.float64]) -> list[float]:
    """Exactly rounded sum of death probabilities per group (members are contiguous after a stable sort)."""
    order = np.argsort(gp.member_of, kind="stable")
    bounds = np.searchsorted(gp.member_of[order], np.arange(len(gp.groups) + 1))
    sorted_death = death[order]
    return [math.fsum(sorted_death[bounds[g] : bounds[g + 1]]) for g in range(len(gp.groups))]

"""Aggregation of casualties into groups of identical (site, survival kind, capacity category, needs).

Casualties in a group are interchangeable for every policy's objective and constraints, so the optimal
flow runs on groups (a few hundred nodes) instead of individual casualties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from jedel.core.distribution.model import DistributionProblem
from jedel.core.survival import CareCategory
from jedel.core.vocabulary import Need

CATEGORIES: tuple[CareCategory, ...] = tuple(CareCategory)
"""Column order of capacity arrays."""

_NEED_BITS = {need: 1 << i for i, need in enumerate(Need)}


def needs_mask(needs: frozenset[Need]) -> int:
    """Bit mask of a set of needs (one bit per :class:`Need`)."""
    return sum(_NEED_BITS[n] for n in needs)


def mask_needs(mask: int) -> frozenset[Need]:
    """Inverse of :func:`needs_mask`."""
    return frozenset(n for n, bit in _NEED_BITS.items() if mask & bit)


@dataclass(frozen=True)
class CasualtyGroup:
    """Casualties at one site with the same survival kind, capacity category and needs.

    Attributes:
        site_id: site (matrix row).
        kind: survival-model kind (RPM as text, or category value).
        category: capacity category they use.
        needs: capabilities their hospital must have.
        casualty_ids: members, in input order.
    """

    site_id: str
    kind: str
    category: CareCategory
    needs: frozenset[Need]
    casualty_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        """Number of casualties in the group."""
        return len(self.casualty_ids)


@dataclass(frozen=True)
class GroupedProblem:
    """Array view of a problem on groups (``G`` groups, ``H`` hospitals, ``C`` categories).

    Attributes:
        problem: the original problem.
        groups: the groups, sorted by (site, kind, category, needs).
        member_of: group index of each casualty, shape ``(N,)``.
        kind_index: survival kind per group, ``(G,)``.
        category_index: index into :data:`CATEGORIES` per group, ``(G,)``.
        count: casualties per group, ``(G,)``.
        time_min: travel minutes group -> hospital, ``(G, H)``.
        death: unrounded death probability if admitted on arrival (slot 0) at each hospital, ``(G, H)``;
            NaN where not feasible.
        capable: hospital meets every need of the group, ``(G, H)``.
        in_reach: travel time finite and within ``max_transport_min``, ``(G, H)``.
        capacity: receiving capacity per hour, per hospital and category, ``(H, C)``.
        feasible: ``capable & in_reach & capacity > 0``, ``(G, H)``.
        unassigned_death: death probability when left without definitive care, ``(G,)``.
        n_slots: usable hour slots (:attr:`DistributionProblem.n_slots`).
    """

    problem: DistributionProblem
    groups: tuple[CasualtyGroup, ...]
    member_of: NDArray[np.intp] = field(repr=False)
    kind_index: NDArray[np.intp] = field(repr=False)
    category_index: NDArray[np.intp] = field(repr=False)
    count: NDArray[np.int64] = field(repr=False)
    time_min: NDArray[np.float64] = field(repr=False)
    death: NDArray[np.float64] = field(repr=False)
    capable: NDArray[np.bool_] = field(repr=False)
    in_reach: NDArray[np.bool_] = field(repr=False)
    capacity: NDArray[np.int64] = field(repr=False)
    feasible: NDArray[np.bool_] = field(repr=False)
    unassigned_death: NDArray[np.float64] = field(repr=False)
    n_slots: int = 1


def group_problem(problem: DistributionProblem) -> GroupedProblem:
    """Aggregate casualties and precompute travel times, death probabilities and feasibility.

    The death probability of an unassigned group is read at ``T_g = max(horizon, longest feasible travel
    time of g)``. Every usable slot starts no later than the horizon, so every time to care
    ``max(travel, 60 k)`` is at most ``T_g``; because survival models are non-increasing in time (the
    :class:`SurvivalModel` contract), every feasible (hospital, slot) is then at least as good as leaving
    the casualty unassigned.

    Args:
        problem: a validated problem.

    Returns:
        The grouped arrays.
    """
    n_hosp = len(problem.hospitals)
    site_pos = {s: i for i, s in enumerate(problem.site_ids)}
    site = np.array([site_pos[c.site_id] for c in problem.casualties], dtype=np.int64)
    kind = problem.kind_indices().astype(np.int64)
    cat_pos = {c: i for i, c in enumerate(CATEGORIES)}
    cat = np.array([cat_pos[c] for c in problem.capacity_categories()], dtype=np.int64)
    need = np.array([needs_mask(c.needs) for c in problem.casualties], dtype=np.int64)
    n_kinds = len(problem.model.kinds)
    key = ((site * n_kinds + kind) * len(CATEGORIES) + cat) * (1 << len(Need)) + need
    unique_keys, first, member_of = np.unique(key, return_index=True, return_inverse=True)
    member_of = member_of.reshape(-1).astype(np.intp)
    order = np.argsort(member_of, kind="stable")
    bounds = np.searchsorted(member_of[order], np.arange(len(unique_keys) + 1))
    ids = [c.casualty_id for c in problem.casualties]
    groups = tuple(
        CasualtyGroup(
            site_id=problem.site_ids[site[f]],
            kind=problem.model.kinds[kind[f]],
            category=CATEGORIES[cat[f]],
            needs=mask_needs(int(need[f])),
            casualty_ids=tuple(ids[j] for j in order[bounds[g] : bounds[g + 1]]),
        )
        for g, f in enumerate(first)
    )
    g_site, g_kind, g_cat, g_need = site[first], kind[first], cat[first], need[first]
    count = np.diff(bounds).astype(np.int64)

    time = problem.travel_time_min[g_site] if len(first) else np.empty((0, n_hosp))
    cap_mask = np.array([needs_mask(h.capabilities) for h in problem.hospitals], dtype=np.int64)
    capable = (g_need[:, None] & ~cap_mask[None, :]) == 0
    limit = np.inf if problem.max_transport_min is None else problem.max_transport_min
    in_reach = np.isfinite(time) & (time <= limit)
    capacity = np.array(
        [[h.capacity(c) for c in CATEGORIES] for h in problem.hospitals], dtype=np.int64
    ).reshape(n_hosp, len(CATEGORIES))
    feasible = capable & in_reach & (capacity.T[g_cat] > 0)
    gi, hi = np.nonzero(feasible)
    death = np.full(time.shape, np.nan)  # only feasible pairs are ever used: evaluate those alone
    death[gi, hi] = problem.model.death_probability(g_kind[gi], time[gi, hi])
    longest = np.max(np.where(feasible, time, -np.inf), axis=1, initial=-np.inf)
    horizon = np.maximum(problem.horizon_min, longest)
    unassigned = problem.model.death_probability(g_kind, horizon).astype(np.float64)
    return GroupedProblem(
        problem=problem,
        groups=groups,
        member_of=member_of,
        kind_index=g_kind.astype(np.intp),
        category_index=g_cat.astype(np.intp),
        count=count,
        time_min=time,
        death=death,
        capable=capable,
        in_reach=in_reach,
        capacity=capacity,
        feasible=feasible,
        unassigned_death=unassigned,
        n_slots=problem.n_slots,
    )

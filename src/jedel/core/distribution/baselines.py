"""Baseline policies that ignore survival gains: ``nearest`` (today's practice) and ``proportional``.

Both serve casualties one at a time in :data:`SERVICE_ORDER` - immediate, delayed, minimal, expectant
(START's evacuation priority: red, yellow, green, with expectant last), input order within a category -
and respect capacity, needs and the maximum transport time exactly like the optimal policy.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jedel.core.distribution.groups import CATEGORIES, GroupedProblem
from jedel.core.survival import CareCategory

SERVICE_ORDER: tuple[CareCategory, ...] = (
    CareCategory.IMMEDIATE,
    CareCategory.DELAYED,
    CareCategory.MINIMAL,
    CareCategory.EXPECTANT,
)
"""Order in which the baselines serve categories (START transport priority; expectant last)."""


def service_order(gp: GroupedProblem) -> NDArray[np.intp]:
    """Casualty indices in service order: by :data:`SERVICE_ORDER` rank, then input order."""
    rank_of_cat = np.array([SERVICE_ORDER.index(c) for c in CATEGORIES], dtype=np.intp)
    rank = rank_of_cat[gp.category_index[gp.member_of]]
    order: NDArray[np.intp] = np.argsort(rank, kind="stable").astype(np.intp)
    return order


def _sorted_feasible(gp: GroupedProblem, g: int) -> NDArray[np.intp]:
    idx = np.flatnonzero(gp.feasible[g])
    result: NDArray[np.intp] = idx[np.argsort(gp.time_min[g, idx], kind="stable")].astype(np.intp)
    return result


def assign_nearest(gp: GroupedProblem) -> NDArray[np.intp]:
    """Each casualty to the nearest feasible hospital with room for its category.

    "Nearest" is by travel time; ties go to the hospital listed first. This is what happens without
    coordination: each ambulance takes its patient to the closest hospital that can take them.

    Args:
        gp: grouped problem.

    Returns:
        Hospital index per casualty (input order), ``-1`` when none is feasible with room left.
    """
    remaining = gp.capacity.copy()
    result = np.full(gp.member_of.size, -1, dtype=np.intp)
    candidates: dict[int, NDArray[np.intp]] = {}
    pointer: dict[int, int] = {}
    for i in service_order(gp):
        g = int(gp.member_of[i])
        if g not in candidates:
            candidates[g] = _sorted_feasible(gp, g)
            pointer[g] = 0
        c = int(gp.category_index[g])
        hospitals, p = candidates[g], pointer[g]
        # Capacity only ever decreases, so hospitals passed over as full stay full.
        while p < hospitals.size and remaining[hospitals[p], c] == 0:
            p += 1
        pointer[g] = p
        if p < hospitals.size:
            h = hospitals[p]
            remaining[h, c] -= 1
            result[i] = h
    return result


def assign_proportional(gp: GroupedProblem) -> NDArray[np.intp]:
    """Spread casualties over feasible hospitals in proportion to their capacity per category.

    Each casualty goes to the feasible hospital with room whose load after admission, as a fraction of
    its capacity for the category, ``(load + 1) / capacity``, is smallest (ties: shorter travel time, then
    listing order). Hospitals of a category therefore fill at equal rates: a water-filling form of
    proportional allocation.

    Args:
        gp: grouped problem.

    Returns:
        Hospital index per casualty (input order), ``-1`` when none is feasible with room left.
    """
    load = np.zeros_like(gp.capacity)
    result = np.full(gp.member_of.size, -1, dtype=np.intp)
    candidates: dict[int, NDArray[np.intp]] = {}
    for i in service_order(gp):
        g = int(gp.member_of[i])
        if g not in candidates:
            candidates[g] = _sorted_feasible(gp, g)  # sorted by time: argmin keeps the nearest on ties
        c = int(gp.category_index[g])
        hospitals = candidates[g]
        cap = gp.capacity[hospitals, c]
        room = load[hospitals, c] < cap
        if not room.any():
            continue
        share = np.where(room, (load[hospitals, c] + 1) / np.maximum(cap, 1), np.inf)
        h = hospitals[int(np.argmin(share))]
        load[h, c] += 1
        result[i] = h
    return result

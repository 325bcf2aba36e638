"""Baseline policies that ignore survival gains: ``nearest``, ``nearest_available`` and ``proportional``.

All three respect hard needs and the maximum transport time, and only send a casualty to a hospital that
receives its category at all (capacity > 0): the same ``feasible`` pairs as the optimal policy. They
differ in how they treat the hourly receiving capacity (:mod:`.evaluate` has the time model):

* ``nearest`` - today's practice, capacity-blind: "ambulances take casualties to the nearest hospital,
  which is overwhelmed while others wait". Everyone goes to the nearest feasible hospital at once; the
  hospital admits them at its hourly rate in arrival order, so overflow shows up as later slots and,
  past the last usable slot, as casualties not treated in time.
* ``nearest_available`` - a good dispatcher without optimisation: serves casualties in
  :data:`SERVICE_ORDER` and sends each to the hospital with a free place that gives the earliest care
  (the nearest hospital with a free place in the current hour, else the soonest later one).
* ``proportional`` - spreads casualties over hospitals in proportion to their capacity.

Every function returns ``(hospital, slot)`` per casualty in input order: ``hospital = -1`` when the
casualty is sent nowhere, ``slot = -1`` when it is not admitted within the usable slots.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from jedel.core.distribution.evaluate import care_time_min
from jedel.core.distribution.groups import CATEGORIES, GroupedProblem
from jedel.core.survival import CareCategory

SERVICE_ORDER: tuple[CareCategory, ...] = (
    CareCategory.IMMEDIATE,
    CareCategory.DELAYED,
    CareCategory.MINIMAL,
    CareCategory.EXPECTANT,
)
"""Order in which the baselines serve categories (START transport priority; expectant last)."""

Decision = tuple[NDArray[np.intp], NDArray[np.intp]]
"""``(hospital, slot)`` per casualty; ``-1`` = none."""


def service_rank(gp: GroupedProblem) -> NDArray[np.intp]:
    """Rank of each casualty's category in :data:`SERVICE_ORDER`, input order."""
    rank_of_cat = np.array([SERVICE_ORDER.index(c) for c in CATEGORIES], dtype=np.intp)
    result: NDArray[np.intp] = rank_of_cat[gp.category_index[gp.member_of]]
    return result


def service_order(gp: GroupedProblem) -> NDArray[np.intp]:
    """Casualty indices in service order: by :data:`SERVICE_ORDER` rank, then input order."""
    order: NDArray[np.intp] = np.argsort(service_rank(gp), kind="stable").astype(np.intp)
    return order


def sorted_feasible(gp: GroupedProblem, g: int) -> NDArray[np.intp]:
    """Feasible hospitals of group ``g`` by travel time (ties: listing order)."""
    idx = np.flatnonzero(gp.feasible[g])
    result: NDArray[np.intp] = idx[np.argsort(gp.time_min[g, idx], kind="stable")].astype(np.intp)
    return result


def nearest_hospital(gp: GroupedProblem) -> NDArray[np.intp]:
    """Nearest feasible hospital per group (ties: listing order), ``-1`` when none is feasible."""
    times = np.where(gp.feasible, gp.time_min, np.inf)
    nearest = np.argmin(times, axis=1) if times.size else np.zeros(len(gp.groups), dtype=np.intp)
    result: NDArray[np.intp] = np.where(gp.feasible.any(axis=1), nearest, -1).astype(np.intp)
    return result


def assign_nearest(gp: GroupedProblem) -> Decision:
    """Today's practice: every casualty to the nearest feasible hospital, whatever its load.

    The hospital admits each category at its hourly capacity ``K`` in arrival order (travel time, then
    :data:`SERVICE_ORDER`, then input order - within a category, tag order: nobody ranks patients by
    RPM without coordination), so the ``j``-th arrival of a category (from 0) is admitted in slot
    ``j // K`` and waits in the hospital's queue until then (:mod:`.evaluate`). Arrivals whose slot is
    past the last usable one are sent but not treated in time (``slot = -1``).

    Args:
        gp: grouped problem.

    Returns:
        ``(hospital, slot)`` per casualty.
    """
    n = gp.member_of.size
    hospital = np.full(n, -1, dtype=np.intp)
    slot = np.full(n, -1, dtype=np.intp)
    if n == 0:
        return hospital, slot
    hospital[:] = nearest_hospital(gp)[gp.member_of]
    sent = np.flatnonzero(hospital >= 0)
    h, c = hospital[sent], gp.category_index[gp.member_of[sent]]
    travel = gp.time_min[gp.member_of[sent], h]
    order = np.lexsort((sent, service_rank(gp)[sent], travel, c, h))
    queue = (h * len(CATEGORIES) + c)[order]
    starts = np.flatnonzero(np.r_[True, queue[1:] != queue[:-1]])
    position = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    admitted_slot = position // gp.capacity[h[order], c[order]]
    slot[sent[order]] = np.where(admitted_slot < gp.n_slots, admitted_slot, -1)
    return hospital, slot


def _greedy(gp: GroupedProblem, score: Callable[[int, NDArray[np.intp], NDArray[np.intp]], NDArray[np.float64]]
            ) -> Decision:
    """Serve casualties one by one (service order); each takes the feasible hospital with room whose
    ``score(group, hospitals, loads)`` is lowest, and its earliest free slot there (``load // K``).

    ``hospitals`` are the group's feasible hospitals sorted by travel time, so ``argmin`` breaks ties in favour
    of the shorter trip, then of the hospital listed first.
    """
    n_slots = gp.n_slots
    load = np.zeros_like(gp.capacity)
    hospital = np.full(gp.member_of.size, -1, dtype=np.intp)
    slot = np.full(gp.member_of.size, -1, dtype=np.intp)
    candidates: dict[int, NDArray[np.intp]] = {}
    for i in service_order(gp):
        g = int(gp.member_of[i])
        if g not in candidates:
            candidates[g] = sorted_feasible(gp, g)
        c = int(gp.category_index[g])
        hs = candidates[g]
        room = load[hs, c] < gp.capacity[hs, c] * n_slots
        if not room.any():
            continue
        j = int(np.argmin(np.where(room, score(g, hs, load[hs, c]), np.inf)))
        hospital[i], slot[i] = hs[j], load[hs[j], c] // gp.capacity[hs[j], c]
        load[hs[j], c] += 1
    return hospital, slot


def assign_nearest_available(gp: GroupedProblem) -> Decision:
    """Each casualty, in service order, to the feasible hospital with a free place giving the earliest care.

    A hospital's next free slot for a category is ``load // K`` (slots fill in order); its care time is
    ``max(travel, 60 * slot)``. Ties go to the shorter trip, then to the hospital listed first. With one
    slot this is "the nearest hospital with room".

    Args:
        gp: grouped problem.

    Returns:
        ``(hospital, slot)`` per casualty; ``-1, -1`` when no feasible hospital has room left.
    """

    def earliest_care(g: int, hs: NDArray[np.intp], loads: NDArray[np.intp]) -> NDArray[np.float64]:
        c = int(gp.category_index[g])
        return care_time_min(gp.time_min[g, hs], loads // np.maximum(gp.capacity[hs, c], 1))

    return _greedy(gp, earliest_care)


def assign_proportional(gp: GroupedProblem) -> Decision:
    """Spread casualties over feasible hospitals in proportion to their capacity per category.

    Each casualty goes to the feasible hospital with room whose load after admission, as a fraction of
    its capacity over the usable slots, ``(load + 1) / (K * n_slots)``, is smallest (ties: shorter travel
    time, then listing order), and takes its earliest free slot there. Hospitals of a category therefore
    fill at equal rates: a water-filling form of proportional allocation.

    Args:
        gp: grouped problem.

    Returns:
        ``(hospital, slot)`` per casualty; ``-1, -1`` when no feasible hospital has room left.
    """

    def filled_share(g: int, hs: NDArray[np.intp], loads: NDArray[np.intp]) -> NDArray[np.float64]:
        total = gp.capacity[hs, int(gp.category_index[g])] * gp.n_slots
        return np.asarray((loads + 1) / np.maximum(total, 1), dtype=np.float64)

    return _greedy(gp, filled_share)

"""The one evaluator of every policy: time to definitive care and death probability per casualty.

Time model (hour slots; Sacco et al. 2005, Acad Emerg Med 12(8):759-770, allocate over time periods):

* A hospital's capacity is a rate: ``K_hc`` casualties of category ``c`` per hour. The plan covers
  ``planning_horizon_h = H`` hours, slot ``k`` being the hour ``[60 k, 60 k + 60)`` after the casualties
  are ready for transport (t = 0). Each slot admits at most ``K_hc`` casualties per category.
* A casualty admitted in slot ``k`` at a hospital ``t`` minutes away reaches definitive care at
  ``max(t, 60 k)`` minutes: it is admitted on arrival, but not before its slot opens. When ``t < 60 k``
  it waits: under ``optimal``, ``nearest_available`` and ``proportional`` it is held at the collection
  point (where on-scene care continues) and dispatched to arrive when its slot opens; under ``nearest``
  it waits in the overwhelmed hospital's queue. The survival model sees the same minutes without
  definitive care either way.
* Why ``max`` and not ``t + 60 k``: slots are hours on one clock shared by all arrivals, so that the
  hospital never admits more than ``(k + 1) K_hc`` casualties of a category in the first ``k + 1``
  hours; ``t + 60 k`` would count the wait from each casualty's own arrival and let early and late
  arrivals bunch into the same hour. Assumption: a far hospital's unused early slots can be filled by
  casualties who arrive later (places made ready stay ready), so for trips longer than an hour the rate is
  enforced cumulatively, not hour by hour.
* Slots that start after the no-care horizon are not used (:attr:`DistributionProblem.n_slots`).
  A casualty not admitted in a usable slot (unassigned, or beyond the horizon in ``nearest``'s queue)
  is not treated in time: its death probability is read at the no-care horizon
  (:attr:`GroupedProblem.unassigned_death`).

All policies are scored by :func:`outcomes` (per casualty), and the optimal flow's arc costs come from
:func:`option_death`, so every comparison between policies uses the same model.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jedel.core.distribution.groups import GroupedProblem
from jedel.core.distribution.model import SLOT_MIN


def care_time_min(travel_min: ArrayLike, slot: ArrayLike) -> NDArray[np.float64]:
    """Minutes to definitive care when admitted in hour ``slot`` after ``travel_min`` minutes of travel.

    Args:
        travel_min: travel minutes (>= 0).
        slot: admission slot (integer >= 0); broadcast with ``travel_min``.

    Returns:
        ``max(travel_min, 60 * slot)``.
    """
    result: NDArray[np.float64] = np.maximum(
        np.asarray(travel_min, dtype=np.float64), SLOT_MIN * np.asarray(slot, dtype=np.float64)
    )
    return result


def option_death(
    gp: GroupedProblem, group: NDArray[np.intp], hospital: NDArray[np.intp], slot: NDArray[np.intp]
) -> NDArray[np.float64]:
    """Unrounded death probability of a member of ``group`` admitted at ``hospital`` in ``slot``.

    Args:
        gp: grouped problem.
        group: group indices (feasible with ``hospital``; no checks).
        hospital: hospital indices.
        slot: slots ``0 .. n_slots - 1``.

    Returns:
        Death probability at :func:`care_time_min`, same shape as the inputs.
    """
    minutes = care_time_min(gp.time_min[group, hospital], slot)
    return gp.problem.model.death_probability(gp.kind_index[group], minutes).astype(np.float64)


def outcomes(
    gp: GroupedProblem, hospital: NDArray[np.intp], slot: NDArray[np.intp]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Time to care and death probability of every casualty (input order) under a policy's decision.

    Args:
        gp: grouped problem.
        hospital: hospital index per casualty, ``-1`` = not sent anywhere.
        slot: admission slot per casualty, ``-1`` = not admitted within the usable slots.

    Returns:
        ``(time_to_care_min, death_probability)``; time is NaN and death is the no-care probability
        (:attr:`GroupedProblem.unassigned_death`) for casualties not admitted.
    """
    g = gp.member_of
    admitted = (hospital >= 0) & (slot >= 0)
    time = np.full(g.size, np.nan)
    death = gp.unassigned_death[g].astype(np.float64)
    if admitted.any():
        ga, ha, ka = g[admitted], hospital[admitted], slot[admitted]
        time[admitted] = care_time_min(gp.time_min[ga, ha], ka)
        death[admitted] = option_death(gp, ga, ha, ka)
    return time, death

"""Dispatch policies: which waiting casualty a free ambulance fetches, and to which hospital.

A policy is any callable ``policy(view: DispatchView) -> tuple[int, int] | None``. The simulator calls it
when an ambulance is free and at least one casualty is released, alive and not yet assigned; it returns
``(casualty index, hospital index)`` (the hospital must have beds left), or None to leave the ambulance
idle until the next event. Policies are deterministic; ties are broken by casualty index, then hospital index.

Priority ranks follow :class:`jedel.core.vocabulary.CareCategory` order (0 immediate, 1 delayed, 2 minimal,
3 expectant): START (Benson et al. Prehosp Disaster Med 1996;11(2):117-124) sends immediate (red) first, then
delayed (yellow), then minimal (green); START has no expectant tag, so SALT's expectant (Lerner et al. 2008)
comes last. Within a rank the earliest released goes first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jedel.core.simulation.state import Network


@dataclass(frozen=True)
class DispatchView:
    """What a policy sees at one dispatch decision (arrays over the waiting casualties or the hospitals).

    Attributes:
        now_min: current minute after onset.
        ambulance: index of the free ambulance; ambulance_node: node where it stands.
        waiting: indices of casualties released, alive and unassigned (ascending).
        rpm_now: their current RPM.
        network: static data (travel matrix, hospital nodes, physiology, release minutes, categories).
        hospital_load: per hospital, patients in treatment + queued (alive) + en route to it.
        hospital_beds_left: admissions left per hospital (inf: unlimited); only hospitals with > 0 may
            be chosen.
    """

    now_min: float
    ambulance: int
    ambulance_node: int
    waiting: NDArray[np.intp]
    rpm_now: NDArray[np.intp]
    network: Network
    hospital_load: NDArray[np.intp]
    hospital_beds_left: NDArray[np.float64]

    def scene_to_hospital_min(self, casualties: NDArray[np.intp]) -> NDArray[np.float64]:
        """Road minutes from each casualty's scene to every hospital; closed hospitals (no beds) are inf."""
        net = self.network
        t = net.travel_min[net.scene_node_of_casualty[casualties]][:, net.hospital_node]
        result: NDArray[np.float64] = np.where(self.hospital_beds_left[None, :] > 0, t, np.inf)
        return result

    def start_priority_pick(self) -> int:
        """Waiting casualty first by START rank, then earliest release, then lowest index."""
        return int(self.waiting[np.argmin(self.network.start_rank[self.waiting])])


Policy = Callable[[DispatchView], tuple[int, int] | None]
"""``policy(view) -> (casualty, hospital)`` or None (see the module docstring)."""


def _nearest_open(view: DispatchView, casualty: int) -> int | None:
    t = view.scene_to_hospital_min(np.array([casualty], dtype=np.intp))[0]
    return None if not np.isfinite(t.min()) else int(np.argmin(t))


def nearest(view: DispatchView) -> tuple[int, int] | None:
    """START priority (immediate, delayed, minimal, expectant; earliest release first) to the nearest
    hospital with beds left (road minutes from the scene), whatever its queue."""
    casualty = view.start_priority_pick()
    hospital = _nearest_open(view, casualty)
    return None if hospital is None else (casualty, hospital)


def nearest_available(view: DispatchView) -> tuple[int, int] | None:
    """START priority; hospital: the nearest with a free treatment slot, else the shortest expected wait.

    A slot is free when ``load < servers`` (load = in treatment + queued + en route). When none is free the
    expected wait is ``(load - servers + 1) x mean_treatment_min / servers`` (each of the patients ahead of
    this one beyond the slots clears at the pooled rate ``servers / mean``, the M/M/c queue's rate when all
    slots are busy); ties go to the nearer hospital.
    """
    casualty = view.start_priority_pick()
    travel = view.scene_to_hospital_min(np.array([casualty], dtype=np.intp))[0]
    if not np.isfinite(travel.min()):
        return None
    inp = view.network.inp
    servers = np.asarray(inp.hospital_servers, dtype=np.float64)
    free = (view.hospital_load < servers) & np.isfinite(travel)
    if free.any():
        return casualty, int(np.argmin(np.where(free, travel, np.inf)))
    mean = np.asarray(inp.hospital_treatment_mean_min, dtype=np.float64)
    wait = np.where(np.isfinite(travel), (view.hospital_load - servers + 1) * mean / servers, np.inf)
    best = np.flatnonzero(wait == wait.min())
    return casualty, int(best[np.argmin(travel[best])])


def rpm_greedy(view: DispatchView) -> tuple[int, int] | None:
    """ReSTART-like: the casualty who loses most survival by waiting one more trip, to the nearest hospital.

    For each waiting casualty ``i`` with nearest open hospital ``h``: ``m_i`` = minutes since release now +
    drive from the ambulance to the scene + loading + scene to ``h`` + handover (care start if picked now);
    ``d_i`` = one more shuttle (scene to ``h`` and back, plus loading and handover), the delay if it waits
    for the next trip. Gain ``g_i = q(m_i + d_i) - q(m_i)`` with ``q`` the death risk (see
    :mod:`.state`). Pick the largest gain (within 1e-12); ties go to the lowest current RPM, then earliest
    release, then index. This follows the marginal-survival idea of Sacco et al. 2005's resource-constrained
    triage in a one-step greedy form (our rule, not theirs).
    """
    net = view.network
    inp = net.inp
    w = view.waiting
    to_h = view.scene_to_hospital_min(w)
    h = np.argmin(to_h, axis=1)
    leg = to_h[np.arange(w.shape[0]), h]
    ok = np.isfinite(leg)
    if not ok.any():
        return None
    scene = net.scene_node_of_casualty[w]
    fixed = float(inp.loading_min) + float(inp.handover_min)
    m = view.now_min - net.release_min[w] + net.travel_min[view.ambulance_node, scene] + fixed + leg
    back = net.travel_min[net.hospital_node[h], scene]
    d = leg + back + fixed
    q0 = net.physiology.death_risk(net.rpm0[w], np.where(ok, m, 0.0))
    q1 = net.physiology.death_risk(net.rpm0[w], np.where(ok, m + d, 0.0))
    gain = np.where(ok, q1 - q0, -np.inf)
    top = gain >= gain.max() - 1e-12
    order = np.lexsort((w, net.release_min[w], view.rpm_now, ~top))
    i = int(order[0])
    return int(w[i]), int(h[i])


POLICIES: dict[str, Policy] = {
    "nearest": nearest,
    "nearest_available": nearest_available,
    "rpm_greedy": rpm_greedy,
}
"""Built-in policies by name."""

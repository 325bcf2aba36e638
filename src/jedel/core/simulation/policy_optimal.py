"""The ``optimal`` dispatch policy: an exact assignment of waiting casualties to ambulance trips, re-planned
every ``replan_min`` simulated minutes, maximising expected survivors at the estimated start of care.

**Why not :mod:`jedel.core.distribution`.** Its exact engine assigns casualty groups to hospitals under an
hourly receiving capacity with care at ``max(travel, slot start)``: transport is free and instantaneous
once a hospital is chosen. In the simulator the scarce resource is usually the ambulance (one patient a
trip, shuttling hospital -> scene), and treatment is a queue of ``servers`` slots; neither maps onto that
model's hour slots without inventing an hourly rate. So the plan is an exact **linear assignment**
(:func:`scipy.optimize.linear_sum_assignment`, Jonker-Volgenant) over (casualty, ambulance trip) pairs.

**The plan** (at minute ``t``, over the casualties ``i`` released, alive and unassigned):

* Ambulance ``a`` is ready at ``r_a = max(t, f_a)``: ``f_a`` is when it is forecast to be free (the policy
  keeps a forecast of every trip it ordered; an ambulance offered by the simulator is free where it stands).
  Trip ``j = 0`` picks up at ``r_a`` + the drive from where it will be free; trip ``j >= 1`` at ``p_a + j c``,
  with ``p_a`` its earliest first pickup (at its nearest waiting scene) and ``c`` the mean shuttle (loading,
  scene -> hospital, handover, nearest hospital -> scene) over the waiting casualties. ``J = ceil(n / A) + 1``
  trips per ambulance, so every casualty has a slot.
* Hospital of ``i``: the open one (admissions left) that gives the earliest care if ``i`` were picked up
  now. Care starts at hospital arrival + handover + the expected queue wait, ``w_h = (load_h - servers_h +
  1) x mean_h / servers_h`` when ``load_h >= servers_h`` (the M/M/c pooled rate, as in
  :func:`.policies.nearest_available`), less the minutes until arrival, never below 0.
* Gain of a pair: ``q_i(H - release_i) - q_i(care - release_i)``, with ``q`` the death risk of
  :mod:`.state` and the no-care outcome read at the run's horizon ``H`` (care after ``H`` is no care, gain
  0). Only pairs with a gain > 0 are used: no trip that is no better than waiting.
* Cost ``-gain + 1e-10 x care minute`` (the tie-break prefers earlier care; at most 1e-10 x 1,440 per
  casualty, below the 0.01 steps of the survival table for any realistic count), solved exactly.

The plan uses the hospital forecast at plan time; the three-way coupling ambulance x casualty x hospital
queue is **not** solved exactly (that is a 3-index assignment, NP-hard): the assignment is exact for the
trip costs it is given. At each dispatch the hospital is re-chosen by the same rule from the live loads.

**Between re-plans** a free ambulance takes its own next planned trip (lowest ``j``), else the pending trip
with the largest gain (the plan's order), skipping casualties no longer waiting and trips whose gain from
this ambulance, now, is 0. A new plan is made at the first decision of each ``replan_min`` window, when a
casualty released after the last plan is waiting (so a new wave is not left unplanned for a window), and
when the plan has nothing left to give.

State: the policy is a callable object holding per-run forecasts, kept per thread; a new run is recognised
(network changed, time went back, or a casualty it dispatched is waiting again), so one instance serves
successive replications. Deterministic: no randomness; ties go to the lower index.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from jedel.core.simulation.policies import DispatchView
from jedel.core.simulation.state import Network

TIE_BREAK_PER_MIN = 1e-10
"""Cost per minute of care start added to ``-gain``: among equal gains, earlier care wins."""


@dataclass(frozen=True)
class Plan:
    """Planned trips, largest gain first (arrays of equal length).

    Attributes:
        casualty, ambulance, trip, hospital: indices (``trip`` = 0 for the ambulance's next trip).
        gain: expected survivors gained against no care by the horizon.
        care_min: forecast minute (after onset) at which care starts.
        made_min: minute the plan was made.
    """

    casualty: NDArray[np.intp]
    ambulance: NDArray[np.intp]
    trip: NDArray[np.intp]
    hospital: NDArray[np.intp]
    gain: NDArray[np.float64]
    care_min: NDArray[np.float64]
    made_min: float


@dataclass
class _RunState:
    net: Network
    free_at: NDArray[np.float64]
    node: NDArray[np.intp]
    sent: NDArray[np.bool_]
    last_now: float = -math.inf
    plan: Plan | None = None
    used: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))


def _queue_wait(net: Network, load: NDArray[np.intp]) -> NDArray[np.float64]:
    """Expected minutes until a slot frees, per hospital, from now (0 when a slot is free)."""
    inp = net.inp
    servers = np.asarray(inp.hospital_servers, dtype=np.float64)
    mean = np.asarray(inp.hospital_treatment_mean_min, dtype=np.float64)
    result: NDArray[np.float64] = np.maximum(load - servers + 1, 0) * mean / servers
    return result


def _care_start(net: Network, now: float, pickup: NDArray[np.float64], casualties: NDArray[np.intp],
                hospital: NDArray[np.intp], wait_now: NDArray[np.float64]) -> NDArray[np.float64]:
    """Forecast care start (minute after onset) for a pickup minute (broadcast over trailing axes)."""
    inp = net.inp
    leg = net.travel_min[net.scene_node_of_casualty[casualties], net.hospital_node[hospital]]
    arrive = pickup + float(inp.loading_min) + leg + float(inp.handover_min)
    result: NDArray[np.float64] = arrive + np.maximum(wait_now[hospital] - (arrive - now), 0.0)
    return result


def _gain(net: Network, casualties: NDArray[np.intp], care: NDArray[np.float64]) -> NDArray[np.float64]:
    """Risk at the horizon without care minus risk at ``care`` (0 when care is at or after the horizon)."""
    horizon = float(net.inp.horizon_min)
    rel = net.release_min[casualties]
    rpm0 = net.rpm0[casualties]
    phys = net.physiology
    no_care = phys.death_risk(rpm0, np.maximum(horizon - rel, 0.0))
    at_care = phys.death_risk(rpm0, np.maximum(np.minimum(care, horizon) - rel, 0.0))
    result: NDArray[np.float64] = np.where(care < horizon, no_care - at_care, 0.0)
    return result


def _best_hospital(net: Network, now: float, pickup: NDArray[np.float64], casualties: NDArray[np.intp],
                   beds_left: NDArray[np.float64], wait_now: NDArray[np.float64]) -> NDArray[np.intp]:
    """Per casualty, the open hospital with the earliest forecast care for its pickup minute (-1: none)."""
    n_h = net.hospital_node.shape[0]
    hs = np.arange(n_h, dtype=np.intp)
    care = _care_start(net, now, pickup[:, None], casualties[:, None], hs[None, :], wait_now)
    care = np.where(beds_left[None, :] > 0, care, np.inf)
    best = np.argmin(care, axis=1).astype(np.intp)  # first minimum: lowest index on ties
    result: NDArray[np.intp] = np.where(np.isfinite(care.min(axis=1)), best, -1)
    return result


def make_plan(view: DispatchView, free_at: NDArray[np.float64], node: NDArray[np.intp]) -> Plan:
    """The exact trip assignment at ``view.now_min`` (module docstring).

    Args:
        view: the simulator's decision view (waiting casualties, hospital loads and admissions left).
        free_at: per ambulance, forecast minute it is free (<= now: free now).
        node: per ambulance, node where it will be free.
    """
    net, now = view.network, view.now_min
    inp = net.inp
    w = view.waiting
    wait_now = _queue_wait(net, view.hospital_load)
    hosp = _best_hospital(net, now, np.full(w.shape[0], now), w, view.hospital_beds_left, wait_now)
    w, hosp = w[hosp >= 0], hosp[hosp >= 0]
    n, n_amb = w.shape[0], free_at.shape[0]
    empty_i = np.zeros(0, dtype=np.intp)
    if n == 0 or n_amb == 0:
        return Plan(empty_i, empty_i, empty_i, empty_i, np.zeros(0), np.zeros(0), now)
    scene = net.scene_node_of_casualty[w]
    back = net.travel_min[net.hospital_node][:, scene].min(axis=0)  # from the nearest hospital
    leg = net.travel_min[scene, net.hospital_node[hosp]]
    cycle = float(np.mean(back + leg)) + float(inp.loading_min) + float(inp.handover_min)
    trips = math.ceil(n / n_amb) + 1
    ready = np.maximum(free_at, now)
    drive0 = net.travel_min[node][:, scene].T  # (casualty, ambulance)
    later = ready + drive0.min(axis=0)  # each ambulance's first pickup, at its nearest waiting scene
    pickup = np.where(
        np.arange(trips)[None, None, :] == 0,
        (ready[None, :] + drive0)[:, :, None],
        (later[:, None] + cycle * np.arange(trips)[None, :])[None, :, :],
    )  # (casualty, ambulance, trip)
    care = _care_start(net, now, pickup, w[:, None, None], hosp[:, None, None], wait_now)
    gain = _gain(net, w[:, None, None], care).reshape(n, -1)
    care = care.reshape(n, -1)
    cost = np.where(gain > 0, -gain + TIE_BREAK_PER_MIN * care, 0.0)
    rows, cols = linear_sum_assignment(cost)
    keep = gain[rows, cols] > 0
    rows, cols = rows[keep], cols[keep]
    g = gain[rows, cols]
    order = np.lexsort((w[rows], -g))
    rows, cols = rows[order], cols[order]
    return Plan(
        casualty=w[rows].astype(np.intp), ambulance=(cols // trips).astype(np.intp),
        trip=(cols % trips).astype(np.intp), hospital=hosp[rows].astype(np.intp), gain=g[order],
        care_min=care[rows, cols], made_min=now,
    )


class OptimalPolicy:
    """Dispatch by the re-planned exact trip assignment (module docstring).

    Args:
        replan_min: minutes between scheduled re-plans (> 0); default 15.
    """

    def __init__(self, replan_min: float = 15.0) -> None:
        if not (replan_min > 0 and math.isfinite(replan_min)):
            raise ValueError(f"replan_min: must be a finite number > 0, got {replan_min}")
        self.replan_min = float(replan_min)
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"OptimalPolicy(replan_min={self.replan_min:g})"

    def __getstate__(self) -> dict[str, float]:
        return {"replan_min": self.replan_min}  # threading.local does not pickle; run state starts afresh

    def __setstate__(self, state: dict[str, float]) -> None:
        self.__init__(state["replan_min"])  # type: ignore[misc]

    def _state(self, view: DispatchView) -> _RunState:
        st: _RunState | None = getattr(self._local, "state", None)
        net = view.network
        if st is None or st.net is not net or view.now_min < st.last_now or st.sent[view.waiting].any():
            st = _RunState(
                net=net, free_at=np.zeros(net.ambulance_station_node.shape[0]),
                node=net.ambulance_station_node.copy(), sent=np.zeros(net.release_min.shape[0], dtype=bool),
            )
            self._local.state = st
        return st

    def _needs_plan(self, st: _RunState, view: DispatchView) -> bool:
        plan = st.plan
        if plan is None:
            return True
        window = math.floor(view.now_min / self.replan_min)
        if window != math.floor(plan.made_min / self.replan_min):
            return True
        return bool(np.any(view.network.release_min[view.waiting] > plan.made_min))

    def _pick(self, st: _RunState, view: DispatchView, waiting: NDArray[np.bool_]) -> tuple[int, int] | None:
        plan = st.plan
        assert plan is not None
        net, a, now = view.network, view.ambulance, view.now_min
        pending = ~st.used & waiting[plan.casualty]
        st.used |= ~pending  # gone casualties never come back within a run
        mine = np.flatnonzero(pending & (plan.ambulance == a))
        if mine.size:  # its own trips, next first; else the plan's order (largest gain first)
            candidates = mine[np.argsort(plan.trip[mine], kind="stable")]
        else:
            candidates = np.flatnonzero(pending)
        wait_now = _queue_wait(net, view.hospital_load)
        for k in candidates:
            c = np.array([plan.casualty[k]], dtype=np.intp)
            pickup = np.array([now + net.travel_min[view.ambulance_node, net.scene_node_of_casualty[c[0]]]])
            h = _best_hospital(net, now, pickup, c, view.hospital_beds_left, wait_now)
            if h[0] < 0:
                continue
            care = _care_start(net, now, pickup, c, h, wait_now)
            if _gain(net, c, care)[0] <= 0:
                continue  # from here and now the trip is no better than waiting
            st.used[k] = True
            return int(c[0]), int(h[0])
        return None

    def __call__(self, view: DispatchView) -> tuple[int, int] | None:
        st = self._state(view)
        net, a, now = view.network, view.ambulance, view.now_min
        st.last_now = now
        st.node[a], st.free_at[a] = view.ambulance_node, now
        waiting = np.zeros(net.release_min.shape[0], dtype=bool)
        waiting[view.waiting] = True
        choice = None
        if not self._needs_plan(st, view):
            choice = self._pick(st, view, waiting)
        if choice is None and (st.plan is None or st.plan.made_min != now or self._needs_plan(st, view)):
            st.plan = make_plan(view, st.free_at, st.node)
            st.used = np.zeros(st.plan.casualty.shape[0], dtype=bool)
            choice = self._pick(st, view, waiting)
        if choice is None:
            return None
        c, h = choice
        inp = net.inp
        scene, hnode = net.scene_node_of_casualty[c], net.hospital_node[h]
        st.sent[c] = True
        st.free_at[a] = now + float(net.travel_min[view.ambulance_node, scene] + inp.loading_min
                                    + net.travel_min[scene, hnode] + inp.handover_min)
        st.node[a] = hnode
        return c, h

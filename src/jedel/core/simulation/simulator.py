"""Seeded Monte Carlo simulation of the road-ambulance response to a mass-casualty incident.

One replication is an event-driven run (a heap of ``(minute, kind, sequence, a, b)`` tuples over integer
arrays; no per-event objects):

* Casualties become pickable at their release minute. Whenever ambulances are free and casualties wait, the
  free ambulances are offered, the one nearest (road minutes) to any waiting casualty first, to the
  :mod:`policy <.policies>`, which names a casualty and a hospital.
* The ambulance drives from where it stands (its station at first, later the hospital of its last
  handover) to the scene, loads for ``loading_min``, drives to the hospital and hands over for
  ``handover_min``; the patient then joins the hospital's queue and the ambulance is free there (so after
  its first trip it shuttles hospital -> scene while casualties remain). A free ambulance with nothing to
  fetch waits where it is; its last drive back to the station is not simulated (it changes no outcome).
* A hospital treats with ``servers`` parallel slots; the queue is ordered by category rank (immediate
  first), then by minute of joining (FIFO). Treatment start is definitive care. Treatment minutes are the
  hospital mean times a standard exponential drawn per casualty (or exactly the mean, ``"fixed"``).
* A casualty whose RPM reaches 0 while waiting, riding or queuing dies then (see :mod:`.state`); an ambulance
  that finds its casualty dead is free at the scene.
* Events at the same minute: releases, then patients joining queues, then treatment ends, then scene
  arrivals; the dispatch decision is taken once all events of that minute are done. Nothing after
  the horizon ``H`` happens.

Randomness: replication ``k`` of seed ``s`` uses ``numpy.random.SeedSequence(s).spawn(n)[k]`` (equal to
``SeedSequence(s, spawn_key=(k,))``) and draws, in this order, one uniform per casualty (the survival draw)
and one standard exponential per casualty (treatment minutes), so its result does not depend on which other
replications run, nor on the policy (common random numbers: policies are compared on the same draws).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from jedel.core.simulation.inputs import SimulationInput
from jedel.core.simulation.outcomes import Outcome, ReplicationResult, SimulationSummary, summarise
from jedel.core.simulation.policies import DispatchView, Policy
from jedel.core.simulation.state import Network, build_network

_RELEASE, _JOIN_QUEUE, _TREAT_END, _AT_SCENE = 0, 1, 2, 3


def replication_seed(seed: int, k: int) -> np.random.SeedSequence:
    """The seed sequence of replication ``k``: the k-th child of ``SeedSequence(seed).spawn``."""
    return np.random.SeedSequence(seed, spawn_key=(k,))


class _Run:
    """Mutable state of one replication (arrays indexed by casualty, ambulance or hospital)."""

    def __init__(self, net: Network, policy: Policy, rng: np.random.Generator) -> None:
        inp = net.inp
        n = net.release_min.shape[0]
        n_amb = net.ambulance_station_node.shape[0]
        n_h = net.hospital_node.shape[0]
        self.net, self.policy = net, policy
        self.u = rng.random(n)
        expo = np.asarray(rng.standard_exponential(n), dtype=np.float64)
        self.service_scale: NDArray[np.float64] = expo if inp.treatment_time == "exponential" else np.ones(n)
        self.horizon = float(inp.horizon_min)
        nan = np.full(n, np.nan)
        self.dispatch, self.at_scene = nan.copy(), nan.copy()
        self.at_hospital, self.start = nan.copy(), nan.copy()
        self.hospital = np.full(n, -1, dtype=np.intp)
        self.ambulance = np.full(n, -1, dtype=np.intp)
        self.waiting = np.zeros(n, dtype=bool)  # released, unassigned (may have died: filtered by minute)
        self.amb_node = net.ambulance_station_node.copy()
        self.amb_free = np.ones(n_amb, dtype=bool)
        self.amb_busy = np.zeros(n_amb)
        self.amb_since = np.zeros(n_amb)
        self.in_service = np.zeros(n_h, dtype=np.intp)
        self.en_route = np.zeros(n_h, dtype=np.intp)
        beds = inp.hospital_beds
        self.beds_left = np.full(n_h, np.inf) if beds is None else np.asarray(beds, dtype=np.float64).copy()
        self.queues: list[list[tuple[int, float, int, int]]] = [[] for _ in range(n_h)]
        self.events: list[tuple[float, int, int, int, int]] = []
        self.seq = 0

    def push(self, minute: float, kind: int, a: int, b: int = -1) -> None:
        if minute <= self.horizon:
            heapq.heappush(self.events, (minute, kind, self.seq, a, b))
            self.seq += 1

    def run(self) -> None:
        for i, r in enumerate(self.net.release_min):
            self.push(float(r), _RELEASE, i)
        while self.events:
            now = self.events[0][0]
            while self.events and self.events[0][0] == now:
                _, kind, _, a, b = heapq.heappop(self.events)
                self.handle(now, kind, a, b)
            self.dispatch_free(now)

    def handle(self, now: float, kind: int, a: int, b: int) -> None:
        net = self.net
        if kind == _RELEASE:
            self.waiting[a] = True
        elif kind == _AT_SCENE:
            self.at_scene[b] = now
            if net.death_after_min[b] <= now:  # found dead: the trip is wasted
                self.free_ambulance(a, now, int(net.scene_node_of_casualty[b]))
                self.en_route[self.hospital[b]] -= 1
                self.beds_left[self.hospital[b]] += 1
                return
            h = int(self.hospital[b])
            leave = now + float(net.inp.loading_min)
            arrive = leave + float(net.travel_min[net.scene_node_of_casualty[b], net.hospital_node[h]])
            if arrive <= self.horizon:
                self.at_hospital[b] = arrive
            self.push(arrive + float(net.inp.handover_min), _JOIN_QUEUE, a, b)
        elif kind == _JOIN_QUEUE:
            h = int(self.hospital[b])
            self.en_route[h] -= 1
            self.free_ambulance(a, now, int(net.hospital_node[h]))
            if net.death_after_min[b] > now:
                heapq.heappush(self.queues[h], (int(net.category[b]), now, self.seq, b))
                self.seq += 1
                self.start_treatments(h, now)
            else:  # died on the way: no bed used
                self.beds_left[h] += 1
        else:  # _TREAT_END
            self.in_service[a] -= 1
            self.start_treatments(a, now)

    def start_treatments(self, h: int, now: float) -> None:
        queue = self.queues[h]
        servers = int(np.asarray(self.net.inp.hospital_servers)[h])
        mean = float(np.asarray(self.net.inp.hospital_treatment_mean_min)[h])
        while queue and self.in_service[h] < servers:
            b = heapq.heappop(queue)[3]
            if self.net.death_after_min[b] <= now:
                continue  # died in the queue
            self.start[b] = now
            self.in_service[h] += 1
            self.push(now + mean * float(self.service_scale[b]), _TREAT_END, h)

    def free_ambulance(self, a: int, now: float, node: int) -> None:
        self.amb_free[a] = True
        self.amb_node[a] = node
        self.amb_busy[a] += now - self.amb_since[a]

    def hospital_load(self, now: float) -> NDArray[np.intp]:
        queued = [sum(1 for e in q if self.net.death_after_min[e[3]] > now) for q in self.queues]
        result: NDArray[np.intp] = self.in_service + self.en_route + np.asarray(queued, dtype=np.intp)
        return result

    def dispatch_free(self, now: float) -> None:
        net = self.net
        while self.amb_free.any():
            waiting = np.flatnonzero(self.waiting & (net.death_after_min > now))
            if waiting.size == 0:
                return
            free = np.flatnonzero(self.amb_free)
            reach = net.travel_min[self.amb_node[free]][:, net.scene_node_of_casualty[waiting]].min(axis=1)
            a = int(free[np.argmin(reach)])
            view = DispatchView(
                now_min=now,
                ambulance=a,
                ambulance_node=int(self.amb_node[a]),
                waiting=waiting,
                rpm_now=net.physiology.rpm_now(net.rpm0[waiting], now - net.release_min[waiting]),
                network=net,
                hospital_load=self.hospital_load(now),
                hospital_beds_left=self.beds_left.copy(),
            )
            choice = self.policy(view)
            if choice is None:
                return
            c, h = choice
            if not (self.waiting[c] and net.death_after_min[c] > now and self.beds_left[h] > 0):
                raise ValueError(f"policy chose casualty {c} / hospital {h}, which is not available")
            self.waiting[c] = False
            self.amb_free[a] = False
            self.amb_since[a] = now
            self.beds_left[h] -= 1
            self.en_route[h] += 1
            self.hospital[c], self.ambulance[c], self.dispatch[c] = h, a, now
            scene = net.scene_node_of_casualty[c]
            self.push(now + float(net.travel_min[self.amb_node[a], scene]), _AT_SCENE, a, c)

    def result(self) -> ReplicationResult:
        net, horizon = self.net, self.horizon
        phys = net.physiology
        release = net.release_min
        treated = np.isfinite(self.start)
        died = ~treated & (net.death_after_min <= horizon)
        to_h = np.maximum(horizon - release, 0.0)
        care_m = np.where(treated, self.start - release, to_h)
        risk = phys.death_risk(net.rpm0, care_m)
        dead_at_care = self.u < risk
        outcome = np.full(release.shape[0], Outcome.UNSERVED, dtype=np.int8)
        outcome[treated] = np.where(dead_at_care[treated], Outcome.TREATED_DEAD, Outcome.TREATED_ALIVE)
        outcome[died] = Outcome.DIED_WAITING
        risk = np.where(died, 1.0, risk)
        no_care_risk = phys.death_risk(net.rpm0, to_h)
        unc_risk = phys.death_risk(net.rpm0, np.minimum(net.direct_min, to_h))
        busy = self.amb_busy + np.where(self.amb_free, 0.0, horizon - self.amb_since)
        return ReplicationResult(
            outcome=outcome,
            category=net.category.copy(),
            release_min=release.copy(),
            dispatch_min=self.dispatch,
            scene_arrival_min=self.at_scene,
            hospital_arrival_min=self.at_hospital,
            treatment_start_min=self.start,
            hospital=np.where(np.isfinite(self.dispatch), self.hospital, -1),
            ambulance=self.ambulance,
            death_risk=risk,
            no_care_dead=self.u < no_care_risk,
            uncapacitated_dead=self.u < unc_risk,
            no_care_risk=no_care_risk,
            uncapacitated_risk=unc_risk,
            ambulance_busy_min=busy,
            horizon_min=horizon,
        )


def simulate_replication(
    inp: SimulationInput | Network, policy: Policy, seed_sequence: np.random.SeedSequence
) -> ReplicationResult:
    """Run one replication (see the module docstring for the dynamics and the draws).

    Args:
        inp: the input, or its prepared :class:`Network` (reuse it across replications).
        policy: dispatch policy (:mod:`.policies`).
        seed_sequence: this replication's seed sequence (:func:`replication_seed`).

    Returns:
        Per-casualty records and the bounds of this replication.
    """
    net = inp if isinstance(inp, Network) else build_network(inp)
    run = _Run(net, policy, np.random.default_rng(seed_sequence))
    run.run()
    return run.result()


def simulate(
    inp: SimulationInput,
    policy: Policy,
    *,
    seed: int,
    replications: int | Sequence[int],
) -> SimulationSummary:
    """Run replications and estimate every metric with a 95 % t interval (:mod:`.outcomes`).

    Args:
        inp: the MCI response to simulate.
        policy: dispatch policy.
        seed: root seed (store it with the results to reproduce them bit for bit).
        replications: how many (replications ``0..n-1``), or the indices to run.

    Raises:
        ValueError: no replication asked for.
    """
    indices = list(range(replications)) if isinstance(replications, int) else list(replications)
    if not indices or min(indices) < 0:
        raise ValueError("replications: give at least one, with indices >= 0")
    net = build_network(inp)
    return summarise([simulate_replication(net, policy, replication_seed(seed, k)) for k in indices])

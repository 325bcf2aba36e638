"""The MCI response model of jedel.core.simulation written plainly in SimPy: the peer of bench/simulation.py.

Same model, written from the rules in jedel.core.simulation.simulator's docstring: ambulance processes,
hospitals as ``simpy.PriorityResource`` (priority = category rank, then minute of joining, then order of
joining), one dispatcher process. The travel matrix and the death rule are taken from
:func:`jedel.core.simulation.state.build_network` (the physics is shared on purpose; the event engine is what
is compared), and the draws are the same (one uniform, then one standard exponential per casualty, from
``replication_seed(seed, k)``), so both give the same per-casualty outcomes replication by replication.

Same-minute order: the simulator handles, at one minute, releases, then patients joining queues, then
treatment ends, then scene arrivals, and dispatches once they are all done. SimPy orders events of one
minute by a priority number (``Environment.schedule``), which is used here for the same order; SimPy's own
events (resource grants, process starts) carry priorities 0-1 and so happen at once, inside the step that
caused them, as in the simulator.

The ``nearest`` policy is written here independently; ``nearest_available`` and ``rpm_greedy`` are the
simulator's own policy functions fed with a :class:`DispatchView` of this model's state.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray
from simpy.events import EventPriority

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jedel.core.simulation.outcomes import Outcome  # noqa: E402
from jedel.core.simulation.policies import POLICIES, DispatchView  # noqa: E402
from jedel.core.simulation.simulator import replication_seed  # noqa: E402
from jedel.core.simulation.state import Network  # noqa: E402

# Priorities of this model's events within one minute (SimPy uses 0 = urgent, 1 = normal for its own).
RELEASE, JOIN, TREAT_END, AT_SCENE, DISPATCH, STOP = (EventPriority(p) for p in range(2, 8))
Process = Generator[simpy.Event, Any, None]


def at(env: simpy.Environment, delay: float, priority: EventPriority) -> simpy.Event:
    """A timeout with a chosen same-minute priority (``Timeout`` always uses NORMAL)."""
    event = env.event()
    event._ok, event._value = True, None  # what Event.succeed sets, but scheduled with a delay and priority
    env.schedule(event, priority, delay)
    return event


def nearest(net: Network, waiting: NDArray[np.intp], beds: NDArray[np.float64]) -> tuple[int, int] | None:
    """START rank, earliest release, lowest index; to the nearest hospital with beds left (lowest index)."""
    c = int(waiting[np.lexsort((waiting, net.release_min[waiting], net.category[waiting]))[0]])
    leg = np.where(beds > 0, net.travel_min[net.scene_node_of_casualty[c], net.hospital_node], np.inf)
    h = int(np.argmin(leg))
    return None if not np.isfinite(leg[h]) else (c, h)


class Model:
    """One replication: state arrays, SimPy processes and the per-casualty record."""

    def __init__(self, net: Network, policy: str, seed_sequence: np.random.SeedSequence) -> None:
        inp = net.inp
        n, n_h = net.release_min.shape[0], net.hospital_node.shape[0]
        rng = np.random.default_rng(seed_sequence)
        self.u = rng.random(n)
        expo = rng.standard_exponential(n)
        self.scale = expo if inp.treatment_time == "exponential" else np.ones(n)
        self.net, self.horizon = net, float(inp.horizon_min)
        self.policy = None if policy == "nearest" else POLICIES[policy]
        self.env = env = simpy.Environment()
        self.hospitals = [simpy.PriorityResource(env, capacity=int(s)) for s in inp.hospital_servers]
        self.mean = [float(m) for m in inp.hospital_treatment_mean_min]
        beds = inp.hospital_beds
        self.beds = np.full(n_h, np.inf) if beds is None else np.asarray(beds, dtype=np.float64).copy()
        self.en_route = np.zeros(n_h, dtype=np.intp)
        self.queued: list[dict[simpy.Event, int]] = [{} for _ in range(n_h)]
        self.waiting = np.zeros(n, dtype=bool)  # released and unassigned
        self.amb_node = net.ambulance_station_node.copy()
        self.free = np.ones(self.amb_node.shape[0], dtype=bool)
        self.orders = [env.event() for _ in range(self.amb_node.shape[0])]
        nan = np.full(n, np.nan)
        self.dispatch, self.at_scene, self.at_hospital, self.start = nan.copy(), nan.copy(), nan.copy(), nan
        self.hospital = np.full(n, -1, dtype=np.intp)
        self.ambulance = np.full(n, -1, dtype=np.intp)
        self.wake, self.pending = env.event(), False
        for minute in np.unique(net.release_min):
            if minute <= self.horizon:
                env.process(self.release(float(minute), np.flatnonzero(net.release_min == minute)))
        for a in range(self.amb_node.shape[0]):
            env.process(self.ambulance_trips(a))
        env.process(self.dispatcher())

    def poke(self) -> None:
        """Something changed that may allow a dispatch: run the dispatcher after this minute's events."""
        if not self.pending:
            self.pending = True
            self.wake.succeed()

    def release(self, minute: float, casualties: NDArray[np.intp]) -> Process:
        yield at(self.env, minute, RELEASE)  # created at 0, so it fires exactly at ``minute``
        self.waiting[casualties] = True
        self.poke()

    def ambulance_trips(self, a: int) -> Process:
        env, net = self.env, self.net
        while True:
            c, h = yield self.orders[a]
            self.orders[a] = env.event()
            scene = int(net.scene_node_of_casualty[c])
            yield at(env, float(net.travel_min[self.amb_node[a], scene]), AT_SCENE)
            self.at_scene[c] = env.now
            if net.death_after_min[c] <= env.now:  # found dead
                self.en_route[h] -= 1
                self.beds[h] += 1
                self.set_free(a, scene)
                continue
            yield at(env, float(net.inp.loading_min), JOIN)
            yield at(env, float(net.travel_min[scene, net.hospital_node[h]]), JOIN)
            self.at_hospital[c] = env.now
            yield at(env, float(net.inp.handover_min), JOIN)
            self.en_route[h] -= 1
            self.set_free(a, int(net.hospital_node[h]))
            if net.death_after_min[c] > env.now:
                env.process(self.treatment(c, h))
            else:  # died on the way: the bed is not used
                self.beds[h] += 1

    def set_free(self, a: int, node: int) -> None:
        self.free[a] = True
        self.amb_node[a] = node
        self.poke()

    def treatment(self, c: int, h: int) -> Process:
        hospital = self.hospitals[h]
        with hospital.request(priority=int(self.net.category[c])) as slot:
            self.queued[h][slot] = c
            yield slot
            del self.queued[h][slot]
            if self.net.death_after_min[c] <= self.env.now:
                return  # died in the queue: the slot goes straight to the next patient
            self.start[c] = self.env.now
            yield at(self.env, self.mean[h] * float(self.scale[c]), TREAT_END)

    def dispatcher(self) -> Process:
        while True:
            yield self.wake
            yield at(self.env, 0.0, DISPATCH)  # after every other event of this minute
            self.wake, self.pending = self.env.event(), False
            self.dispatch_free()

    def view(self, a: int, waiting: NDArray[np.intp]) -> DispatchView:
        net, now = self.net, self.env.now
        queued = [sum(1 for c in q.values() if net.death_after_min[c] > now) for q in self.queued]
        load = np.asarray([r.count for r in self.hospitals]) + self.en_route + np.asarray(queued)
        return DispatchView(
            now_min=now, ambulance=a, ambulance_node=int(self.amb_node[a]), waiting=waiting,
            rpm_now=net.physiology.rpm_now(net.rpm0[waiting], now - net.release_min[waiting]),
            network=net, hospital_load=load.astype(np.intp), hospital_beds_left=self.beds.copy(),
        )

    def dispatch_free(self) -> None:
        net, now = self.net, self.env.now
        while self.free.any():
            waiting = np.flatnonzero(self.waiting & (net.death_after_min > now))
            if waiting.size == 0:
                return
            scenes = np.unique(net.scene_node_of_casualty[waiting])
            free = np.flatnonzero(self.free)
            a = int(free[np.argmin(net.travel_min[self.amb_node[free]][:, scenes].min(axis=1))])
            if self.policy is None:
                choice = nearest(net, waiting, self.beds)
            else:
                choice = self.policy(self.view(a, waiting))
            if choice is None:
                return
            c, h = choice
            self.waiting[c] = False
            self.free[a] = False
            self.beds[h] -= 1
            self.en_route[h] += 1
            self.hospital[c], self.ambulance[c], self.dispatch[c] = h, a, now
            self.orders[a].succeed((c, h))

    def run(self) -> None:
        self.env.run(until=at(self.env, self.horizon, STOP))  # after the events at the horizon itself

    def outcome(self) -> NDArray[np.int8]:
        """Outcome codes (jedel.core.simulation.outcomes.Outcome) by the rules of the simulator."""
        net, phys = self.net, self.net.physiology
        treated = np.isfinite(self.start)
        q = phys.death_risk(net.rpm0, np.where(treated, self.start - net.release_min, 0.0))
        out = np.full(treated.shape[0], Outcome.UNSERVED, dtype=np.int8)
        out[treated] = np.where(self.u[treated] < q[treated], Outcome.TREATED_DEAD, Outcome.TREATED_ALIVE)
        out[~treated & (net.death_after_min <= self.horizon)] = Outcome.DIED_WAITING
        return out

    def deaths(self) -> int:
        """Dead by the horizon: treated dead, died waiting, and unserved who would die if treated at H."""
        out, net = self.outcome(), self.net
        at_h = net.physiology.death_risk(net.rpm0, np.maximum(self.horizon - net.release_min, 0.0))
        dead = (out == Outcome.TREATED_DEAD) | (out == Outcome.DIED_WAITING)
        return int((dead | ((out == Outcome.UNSERVED) & (self.u < at_h))).sum())


def simulate_replication(net: Network, policy: str, seed: int, k: int) -> Model:
    """Run replication ``k`` of ``seed`` (the simulator's seeding) and return the finished model."""
    model = Model(net, policy, replication_seed(seed, k))
    model.run()
    return model

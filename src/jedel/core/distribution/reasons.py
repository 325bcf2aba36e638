"""Policies, reason codes and the sentence that explains each casualty's decision."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from jedel.core.distribution.baselines import nearest_hospital
from jedel.core.distribution.evaluate import care_time_min, option_death
from jedel.core.distribution.groups import GroupedProblem

_EPS = 1e-9


class Policy(StrEnum):
    """Allocation policy (see :func:`jedel.core.distribution.solve`)."""

    OPTIMAL = "optimal"
    NEAREST = "nearest"
    NEAREST_AVAILABLE = "nearest_available"
    PROPORTIONAL = "proportional"


class Reason(StrEnum):
    """Code of the constraint or gain that decided an assignment."""

    MAX_GAIN = "max_gain"
    NEAREST_FEASIBLE = "nearest_feasible"
    PROPORTIONAL_SHARE = "proportional_share"
    CAPACITY_FULL = "capacity_full"
    QUEUE_BEYOND_HORIZON = "queue_beyond_horizon"
    NEEDS_UNMET = "needs_unmet"
    BEYOND_MAX_TRANSPORT = "beyond_max_transport"
    NO_CAPACITY = "no_capacity"


@dataclass(frozen=True)
class _Options:
    """Every (hospital, slot) a group may use, best first (death, then care + travel, then listing)."""

    hospital: NDArray[np.intp]
    slot: NDArray[np.intp]
    death: NDArray[np.float64]
    care: NDArray[np.float64]
    travel: NDArray[np.float64]


class Reasons:
    """Explains decisions; one sentence per distinct (group, hospital, slot), cached."""

    def __init__(
        self, gp: GroupedProblem, policy: Policy, slot_loads: NDArray[np.int64], ids: list[str]
    ) -> None:
        self.gp, self.policy, self.slot_loads, self.ids = gp, policy, slot_loads, ids
        self.loads = slot_loads.sum(axis=1)
        self.nearest = nearest_hospital(gp)
        self._cache: dict[tuple[int, int, int], tuple[Reason, str]] = {}
        self._options: dict[int, _Options] = {}
        if policy is Policy.OPTIMAL:  # every option of every group at once: one vectorised evaluation
            pair_g, pair_h = np.nonzero(gp.feasible)
            self._bounds = np.searchsorted(pair_g, np.arange(len(gp.groups) + 1)) * gp.n_slots
            self._all_h = np.repeat(pair_h, gp.n_slots).astype(np.intp)
            self._all_k = np.tile(np.arange(gp.n_slots, dtype=np.intp), pair_g.size)
            all_g = np.repeat(pair_g, gp.n_slots).astype(np.intp)
            self._all_travel = gp.time_min[all_g, self._all_h]
            self._all_death = option_death(gp, all_g, self._all_h, self._all_k)

    def explain(self, g: int, h: int, k: int) -> tuple[Reason, str]:
        """Code and sentence for a member of group ``g`` sent to ``h`` (-1: nowhere), slot ``k`` (-1: none)."""
        key = (g, h, k)
        if key not in self._cache:
            if h < 0:
                self._cache[key] = self._unassigned(g)
            elif k < 0:
                self._cache[key] = self._overflow(g, h)
            elif self.policy is Policy.OPTIMAL:
                self._cache[key] = self._optimal(g, h, k)
            else:
                self._cache[key] = self._baseline(g, h, k)
        return self._cache[key]

    def _label(self, h: int, k: int) -> str:
        return self.ids[h] if self.gp.n_slots == 1 else f"{self.ids[h]} slot {k}"

    def _unassigned(self, g: int) -> tuple[Reason, str]:
        gp, group = self.gp, self.gp.groups[g]
        cat = group.category.value
        if not gp.capable[g].any():
            needs = ", ".join(sorted(n.value for n in group.needs))
            return Reason.NEEDS_UNMET, f"needs {needs}: no hospital meets them"
        if not (gp.capable[g] & gp.in_reach[g]).any():
            limit = gp.problem.max_transport_min
            where = "unreachable" if limit is None else f"over {limit:g} min"
            return Reason.BEYOND_MAX_TRANSPORT, f"beyond max transport time: every capable hospital {where}"
        n_feasible = int(np.count_nonzero(gp.feasible[g]))
        if n_feasible == 0:
            return Reason.NO_CAPACITY, f"no {cat} capacity at any capable hospital within reach"
        slots = "" if gp.n_slots == 1 else f" in all {gp.n_slots} hour slots"
        return (
            Reason.CAPACITY_FULL,
            f"capacity for {cat} full at all {n_feasible} feasible hospital(s){slots}",
        )

    def _overflow(self, g: int, h: int) -> tuple[Reason, str]:
        gp = self.gp
        c = int(gp.category_index[g])
        return Reason.QUEUE_BEYOND_HORIZON, (
            f"nearest feasible {self.ids[h]} ({gp.time_min[g, h]:.0f} min) overwhelmed: its "
            f"{gp.groups[g].category.value} queue ({gp.capacity[h, c]}/h) not reached within {gp.n_slots} h"
        )

    def _baseline(self, g: int, h: int, k: int) -> tuple[Reason, str]:
        gp = self.gp
        c = int(gp.category_index[g])
        cat = gp.groups[g].category.value
        t = float(gp.time_min[g, h])
        care = float(care_time_min(t, k))
        later = f"; slot {k}, care at {care:.0f} min" if k > 0 else ""
        if self.policy is Policy.PROPORTIONAL:
            total = int(gp.capacity[h, c]) * gp.n_slots
            return Reason.PROPORTIONAL_SHARE, (
                f"proportional share: {self.ids[h]} {cat} final load {self.loads[h, c]}/{total}{later}"
            )
        nearest = int(self.nearest[g])
        if self.policy is Policy.NEAREST:
            queue = f"; {cat} queue ({gp.capacity[h, c]}/h): slot {k}, care at {care:.0f} min" if k else ""
            return Reason.NEAREST_FEASIBLE, f"nearest feasible ({t:.0f} min){queue}"
        if h == nearest:
            return Reason.NEAREST_FEASIBLE, f"nearest feasible ({t:.0f} min){later}"
        if gp.n_slots == 1:
            text = f"capacity for {cat} at {self.ids[nearest]} full; nearest with room ({t:.0f} min)"
        else:
            text = (
                f"no earlier {cat} place at {self.ids[nearest]}; earliest care with room "
                f"({t:.0f} min away, slot {k}, care at {care:.0f} min)"
            )
        return Reason.CAPACITY_FULL, text

    def _group_options(self, g: int) -> _Options:
        if g not in self._options:
            part = slice(int(self._bounds[g]), int(self._bounds[g + 1]))
            hs, ks, travel, death = (
                self._all_h[part],
                self._all_k[part],
                self._all_travel[part],
                self._all_death[part],
            )
            care = care_time_min(travel, ks)
            order = np.lexsort((ks, hs, care + travel, death))
            self._options[g] = _Options(hs[order], ks[order], death[order], care[order], travel[order])
        return self._options[g]

    def _optimal(self, g: int, h: int, k: int) -> tuple[Reason, str]:
        gp = self.gp
        opts = self._group_options(g)
        c = int(gp.category_index[g])
        cat = gp.groups[g].category.value
        here = int(np.flatnonzero((opts.hospital == h) & (opts.slot == k))[0])
        d, care, t = opts.death[here], opts.care[here], opts.travel[here]
        bh, bk = int(opts.hospital[0]), int(opts.slot[0])
        best_full = self.slot_loads[bh, bk, c] >= gp.capacity[bh, c]
        if here != 0 and best_full and d > opts.death[0] + _EPS:
            return Reason.CAPACITY_FULL, (
                f"capacity for {cat} at {self._label(bh, bk)} full (it would save {d - opts.death[0]:.3f} "
                f"more); gain {gp.unassigned_death[g] - d:.3f} expected survivors vs unassigned"
            )
        if here != 0 and best_full and care + t > opts.care[0] + opts.travel[0] + _EPS:
            if gp.n_slots > 1 and care > opts.care[0] + _EPS:
                worse = f"care {care - opts.care[0]:.0f} min later"
            else:
                worse = f"{t - opts.travel[0]:.0f} min farther"
            return Reason.CAPACITY_FULL, (
                f"capacity for {cat} at {self._label(bh, bk)} full; same survival here, {worse}"
            )
        if opts.death.size > 1:
            alt = 1 if here == 0 else 0
            return Reason.MAX_GAIN, (
                f"gain {opts.death[alt] - d:.3f} expected survivors vs next best "
                f"({self._label(int(opts.hospital[alt]), int(opts.slot[alt]))}); "
                f"{care:.0f} vs {opts.care[alt]:.0f} min"
            )
        return Reason.MAX_GAIN, f"gain {gp.unassigned_death[g] - d:.3f} expected survivors vs unassigned"

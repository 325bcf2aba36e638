"""Outcomes of the MCI response simulator: per-casualty records, metrics, bounds and confidence intervals.

Deaths are counted **by the horizon** ``H``: treated and dead, died waiting (RPM reached 0 before care), and
unserved casualties who would die even if care started at ``H`` (``u < q(H - release)``, see :mod:`.state`).
Two bounds use the same uniforms ``u``, so they bracket every policy path by path:

* ``no_care``: nobody is treated before ``H`` (care "starts" at ``H``).
* ``uncapacitated``: care starts at release + road minutes to the nearest hospital (no ambulance wait, no
  loading, handover or queue), capped at ``H``.

The averted share ``(no_care - policy) / (no_care - uncapacitated)`` is computed on *expected* deaths
(``sum q`` at each casualty's care minute), which have no sampling noise given the schedule; NaN when the
denominator is 0.

Confidence intervals: 95 %, Student t over replications, ``mean +- t(0.975, n-1) s / sqrt(n)``, with ``s``
the sample standard deviation of the per-replication values (NaN values, e.g. no treated casualty of a
category, are left out of ``n``); with ``n < 2`` the bounds are NaN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray
from scipy.stats import t as student_t

from jedel.core.vocabulary import CareCategory


class Outcome(IntEnum):
    """Where a casualty ends; exactly one per casualty."""

    TREATED_ALIVE = 0
    TREATED_DEAD = 1
    DIED_WAITING = 2
    UNSERVED = 3


@dataclass(frozen=True)
class ReplicationResult:
    """One replication. Per-casualty arrays (NaN / -1 when the step did not happen before the horizon).

    Attributes:
        outcome: :class:`Outcome` codes.
        category: category rank (CareCategory order).
        release_min, dispatch_min, scene_arrival_min, hospital_arrival_min, treatment_start_min: minutes after
            onset (hospital arrival is before handover).
        hospital, ambulance: indices used (-1 none).
        death_risk: ``q`` at the care minute (at ``H`` for the unserved; 1 for died waiting).
        no_care_dead, uncapacitated_dead: sampled deaths under the bounds.
        no_care_risk, uncapacitated_risk: ``q`` under the bounds.
        ambulance_busy_min: per ambulance, minutes from dispatch to the end of handover (or of a wasted
            trip to a casualty found dead), within the horizon.
        horizon_min: ``H``.
    """

    outcome: NDArray[np.int8]
    category: NDArray[np.int8]
    release_min: NDArray[np.float64]
    dispatch_min: NDArray[np.float64]
    scene_arrival_min: NDArray[np.float64]
    hospital_arrival_min: NDArray[np.float64]
    treatment_start_min: NDArray[np.float64]
    hospital: NDArray[np.intp]
    ambulance: NDArray[np.intp]
    death_risk: NDArray[np.float64]
    no_care_dead: NDArray[np.bool_]
    uncapacitated_dead: NDArray[np.bool_]
    no_care_risk: NDArray[np.float64]
    uncapacitated_risk: NDArray[np.float64]
    ambulance_busy_min: NDArray[np.float64]
    horizon_min: float

    def count(self, outcome: Outcome) -> int:
        """Casualties with this outcome."""
        return int(np.count_nonzero(self.outcome == outcome))

    @property
    def dead(self) -> NDArray[np.bool_]:
        """Dead by the horizon (treated dead, died waiting, or unserved and would die if treated at ``H``)."""
        unserved_dead = (self.outcome == Outcome.UNSERVED) & self.no_care_dead  # the draw at H
        result: NDArray[np.bool_] = (
            (self.outcome == Outcome.TREATED_DEAD) | (self.outcome == Outcome.DIED_WAITING) | unserved_dead
        )
        return result

    def metrics(self) -> dict[str, float]:
        """Scalar metrics of this replication (names as in :data:`METRIC_NAMES`)."""
        dead = self.dead
        critical = self.category <= 1
        nc = float(self.no_care_risk.sum())
        unc = float(self.uncapacitated_risk.sum())
        exp = float(self.death_risk.sum())
        n_amb = self.ambulance_busy_min.shape[0]
        out = {
            "deaths": float(dead.sum()),
            "critical_deaths": float((dead & critical).sum()),
            "expected_deaths": exp,
            "treated_alive": float(self.count(Outcome.TREATED_ALIVE)),
            "treated_dead": float(self.count(Outcome.TREATED_DEAD)),
            "died_waiting": float(self.count(Outcome.DIED_WAITING)),
            "unserved": float(self.count(Outcome.UNSERVED)),
            "no_care_deaths": float(self.no_care_dead.sum()),
            "uncapacitated_deaths": float(self.uncapacitated_dead.sum()),
            "no_care_expected_deaths": nc,
            "uncapacitated_expected_deaths": unc,
            "averted_share": (nc - exp) / (nc - unc) if nc > unc else float("nan"),
            "ambulance_utilisation": (
                float(self.ambulance_busy_min.sum()) / (n_amb * self.horizon_min) if n_amb else float("nan")
            ),
        }
        wait = self.treatment_start_min - self.release_min
        for rank, category in enumerate(CareCategory):
            w = wait[(self.category == rank) & np.isfinite(wait)]
            out[f"time_to_care_mean_min.{category.value}"] = float(w.mean()) if w.size else float("nan")
            p90 = float(np.percentile(w, 90)) if w.size else float("nan")
            out[f"time_to_care_p90_min.{category.value}"] = p90
        return out


@dataclass(frozen=True)
class Estimate:
    """Mean over replications with a 95 % t interval. Attributes: mean, low, high, n (replications used)."""

    mean: float
    low: float
    high: float
    n: int


def estimate(values: Sequence[float] | NDArray[np.float64]) -> Estimate:
    """Mean and 95 % Student-t interval of per-replication values (NaN left out; see module docstring)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[~np.isnan(v)]
    n = int(v.size)
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    mean = float(v.mean())
    if n < 2:
        return Estimate(mean, float("nan"), float("nan"), n)
    half = float(student_t.ppf(0.975, n - 1)) * float(v.std(ddof=1)) / np.sqrt(n)
    return Estimate(mean, float(mean - half), float(mean + half), n)


@dataclass(frozen=True)
class SimulationSummary:
    """All replications and the estimate of every metric. Attributes: replications, estimates (by name)."""

    replications: tuple[ReplicationResult, ...]
    estimates: Mapping[str, Estimate]


def summarise(replications: Sequence[ReplicationResult]) -> SimulationSummary:
    """Estimates over replications of every :meth:`ReplicationResult.metrics` value."""
    rows = [r.metrics() for r in replications]
    names = rows[0].keys() if rows else ()
    return SimulationSummary(tuple(replications), {k: estimate([row[k] for row in rows]) for k in names})

"""Completeness of a hospital emergency response plan against the WHO/Europe checklist (2011).

Source of the structure: WHO Regional Office for Europe, *Hospital emergency response checklist: an all-hazards
tool for hospital administrators and emergency managers*, Copenhagen 2011 — nine key components, each with
priority actions. The checklist itself has **no official score**; Baruwal et al. (Disaster Med Public Health
Prep 2016) scored items 1 / 2 / 3 (due for review / in progress / completed) for research. Jedel's score is a
project choice made to be explainable on one line:

* an item counts 1 when done, 0.5 when in progress, 0 when missing (STATUS_CREDIT);
* a component's completeness is the mean credit of its items, a fraction in [0, 1];
* the plan's overall completeness is the mean of its components' completeness (each of the nine components
  weighs the same, whatever its number of items), so a long component cannot hide an empty one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum


class ItemStatus(str, Enum):
    """Where a checklist action stands in a hospital's plan."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    MISSING = "missing"


#: Credit of each status (dimensionless); a project choice, see the module docstring.
STATUS_CREDIT: Mapping[ItemStatus, float] = {ItemStatus.DONE: 1.0, ItemStatus.IN_PROGRESS: 0.5,
                                             ItemStatus.MISSING: 0.0}


@dataclass(frozen=True)
class PlanCompleteness:
    """Completeness per component code and overall, fractions in [0, 1]."""

    components: Mapping[str, float]
    overall: float


def plan_completeness(components: Sequence[tuple[str, Sequence[str]]],
                      statuses: Mapping[str, ItemStatus]) -> PlanCompleteness:
    """Score a plan.

    Args:
        components: (component code, its item codes) in checklist order; a component without items is skipped.
        statuses: item code → status; an item not named counts as missing.

    Returns:
        The completeness of each component with items, and their unweighted mean (0 when there is none).
    """
    scores = {}
    for code, items in components:
        if items:
            scores[code] = math.fsum(STATUS_CREDIT[statuses.get(i, ItemStatus.MISSING)] for i in items) / len(items)
    overall = math.fsum(scores.values()) / len(scores) if scores else 0.0
    return PlanCompleteness(components=scores, overall=overall)

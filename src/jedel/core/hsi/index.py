"""WHO Hospital Safety Index (2nd edition, 2015): module scores, overall index and safety category.

Source: WHO & PAHO, *Hospital safety index: guide for evaluators*, 2nd ed., Geneva 2015 (ISBN 978 92 4 154898 4),
and the WHO/PAHO "HSI Calculator" workbook that implements it (page 3, "Step 4-10: calculation of the
module-specific index and overall Hospital Safety Index"). What was read in which source is recorded in
``jedel/preparedness/data/instruments/sources/who-hsi-2015.json``; the summary:

* Step 4 (confirmed, calculator p. 3): per module, the percentage of the module's *weighted* items rated
  low / average / high; the row sums to 100. Each item carries a "weighted contribution to its module (%)"
  (calculator sheet "Item Weighting Information", confirmed).
* Step 5 (confirmed): horizontal weights low 0.25, average 0.50, high 1.00 (relative safety 1 : 2 : 4).
* Step 6 (confirmed): crude module safety index = (pct_low·0.25 + pct_average·0.50 + pct_high·1.00) / 100.
  The calculator's worked example prints 0.38 / 0.47 / 0.77 for the structural / non-structural /
  emergency-and-disaster-management modules (tested in ``tests/core/hsi``).
* Step 7 (confirmed): the index range is taken from 0.25 (every item low) to 1 (every item high).
* Steps 8-10 (NOT confirmed in a primary source; reconstructed from step 7 and the 2008 model):
  bias-adjusted module index = (crude − 0.25) / (1 − 0.25); vulnerability = 1 − safety; overall index =
  weighted sum of the adjusted module indexes with module weights structural 0.50, non-structural 0.30,
  emergency and disaster management 0.20 (the weights are data, see :class:`ModuleSpec`).
* Not applicable: the checklist says for item 1 "if such an event has not occurred in the vicinity of the
  hospital, leave boxes blank". A blank (not applicable) item is left out and the step-4 percentages are
  taken over the weights of the rated items only (renormalisation; how the calculator re-normalises blanks
  is NOT confirmed — this is the presumed rule recorded with the instrument).
* Categories (secondary sources, to two decimals): A 0.66-1, B 0.36-0.65, C 0-0.35. An unrounded index is
  first rounded to two decimals half away from zero (as the calculator's spreadsheet ROUND does), then
  banded, so 0.655 is A and 0.355 is B.

All indexes are fractions in [0, 1] (not percent); all percentages are in percent [0, 100].
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum


class SafetyLevel(str, Enum):
    """An item's rating on the checklist's three-level scale (the calculator's yellow-cell choices)."""

    LOW = "low"            # calculator: "Unlikely to function"
    AVERAGE = "average"    # "Likely to function"
    HIGH = "high"          # "Highly likely to function"


#: Step 5 horizontal weights (dimensionless), HSI Calculator p. 3; ratio 1 : 2 : 4.
HORIZONTAL_WEIGHTS: Mapping[SafetyLevel, float] = {SafetyLevel.LOW: 0.25, SafetyLevel.AVERAGE: 0.50,
                                                   SafetyLevel.HIGH: 1.00}
#: Step 7: the lowest crude index (every item low) and the highest (every item high).
INDEX_FLOOR = 0.25
INDEX_CEILING = 1.0


class SafetyCategory(str, Enum):
    """The overall index's category (guide for evaluators, 2015; band limits from secondary sources)."""

    A = "A"
    B = "B"
    C = "C"


#: Meaning of each category (paraphrase; the official wording is not confirmed).
CATEGORY_MEANING: Mapping[SafetyCategory, str] = {
    SafetyCategory.A: "The hospital is likely to function in emergencies and disasters; continue improvement "
                      "measures in the medium and long term.",
    SafetyCategory.B: "Patients, staff and the hospital's ability to function during and after an emergency are "
                      "potentially at risk; interventions are needed in the short term.",
    SafetyCategory.C: "Safety levels are inadequate to protect the lives of patients and staff during and after "
                      "an emergency or disaster; urgent interventions are needed.",
}


class HsiInputError(ValueError):
    """A rating names no item of the module set, or a module cannot be scored. ``code`` is stable."""

    def __init__(self, code: str, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.code = code
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class ScoredItem:
    """One checklist item of a scored module.

    Attributes:
        code: the item number on the checklist ("1", "2", ...), unique within the instrument.
        weight_pct: its weighted contribution to its module, percent (the module's items sum to 100 when the
            instrument is complete).
    """

    code: str
    weight_pct: float


@dataclass(frozen=True)
class ModuleSpec:
    """A scored module (2 structural, 3 non-structural, 4 emergency and disaster management).

    Attributes:
        code: module number as text ("2").
        weight: the module's share of the overall index, a fraction (0.50 / 0.30 / 0.20).
        items: its items with their weights.
    """

    code: str
    weight: float
    items: tuple[ScoredItem, ...]


@dataclass(frozen=True)
class ModuleTabulation:
    """Step 4: share of the module's rated weight at each level, percent (sums to 100 when anything is rated)."""

    low_pct: float
    average_pct: float
    high_pct: float


@dataclass(frozen=True)
class ModuleResult:
    """One module's scores. The indexes are None when no item of the module is rated.

    Attributes:
        rated_weight_pct: the summed weight of the rated items, percent of the module.
        not_applicable: codes of items marked not applicable (left out and renormalised over).
        unrated: codes of items with no answer yet.
    """

    code: str
    tabulation: ModuleTabulation | None
    crude_index: float | None
    safety_index: float | None
    vulnerability_index: float | None
    rated_weight_pct: float
    not_applicable: tuple[str, ...]
    unrated: tuple[str, ...]


@dataclass(frozen=True)
class HsiResult:
    """The whole calculation: module results and, when every module is scored, the overall index."""

    modules: tuple[ModuleResult, ...]
    safety_index: float | None
    vulnerability_index: float | None
    category: SafetyCategory | None


NOT_APPLICABLE = "not_applicable"
Rating = SafetyLevel | str  # a SafetyLevel, or NOT_APPLICABLE


def tabulate(items: Sequence[ScoredItem], ratings: Mapping[str, Rating]) -> ModuleTabulation | None:
    """Step 4 over the rated items of one module; None when none is rated.

    Args:
        items: the module's items.
        ratings: item code → SafetyLevel or NOT_APPLICABLE; items absent or not applicable are left out.
    """
    by_level = {level: math.fsum(i.weight_pct for i in items if ratings.get(i.code) == level)
                for level in SafetyLevel}
    total = math.fsum(by_level.values())
    if total <= 0:
        return None
    return ModuleTabulation(low_pct=100 * by_level[SafetyLevel.LOW] / total,
                            average_pct=100 * by_level[SafetyLevel.AVERAGE] / total,
                            high_pct=100 * by_level[SafetyLevel.HIGH] / total)


def crude_index(tabulation: ModuleTabulation) -> float:
    """Step 6: (pct_low·0.25 + pct_average·0.50 + pct_high·1.00) / 100, a fraction in [0.25, 1]."""
    return math.fsum((tabulation.low_pct * HORIZONTAL_WEIGHTS[SafetyLevel.LOW],
                      tabulation.average_pct * HORIZONTAL_WEIGHTS[SafetyLevel.AVERAGE],
                      tabulation.high_pct * HORIZONTAL_WEIGHTS[SafetyLevel.HIGH])) / 100


def adjusted_index(crude: float) -> float:
    """Step 8 (reconstructed): rescale [0.25, 1] onto [0, 1] so that an all-low module scores 0."""
    return (crude - INDEX_FLOOR) / (INDEX_CEILING - INDEX_FLOOR)


def round_half_up(value: float, places: int = 2) -> float:
    """Round half away from zero to `places` decimals, as the calculator's spreadsheet ROUND does."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def category_for(safety_index: float) -> SafetyCategory:
    """The category of an overall safety index (fraction): rounded to 2 decimals, then A ≥ 0.66, B ≥ 0.36, C."""
    if not 0.0 <= safety_index <= 1.0:
        raise HsiInputError("index_out_of_range", "safety_index", f"{safety_index} is not within [0, 1]")
    rounded = round_half_up(safety_index)
    if rounded >= 0.66:
        return SafetyCategory.A
    if rounded >= 0.36:
        return SafetyCategory.B
    return SafetyCategory.C


def module_result(module: ModuleSpec, ratings: Mapping[str, Rating]) -> ModuleResult:
    """Steps 4-9 for one module."""
    tab = tabulate(module.items, ratings)
    crude = crude_index(tab) if tab is not None else None
    adjusted = adjusted_index(crude) if crude is not None else None
    return ModuleResult(
        code=module.code, tabulation=tab, crude_index=crude, safety_index=adjusted,
        vulnerability_index=(1 - adjusted) if adjusted is not None else None,
        rated_weight_pct=math.fsum(i.weight_pct for i in module.items if isinstance(ratings.get(i.code), SafetyLevel)),
        not_applicable=tuple(i.code for i in module.items if ratings.get(i.code) == NOT_APPLICABLE),
        unrated=tuple(i.code for i in module.items if i.code not in ratings))


def compute_index(modules: Sequence[ModuleSpec], ratings: Mapping[str, Rating]) -> HsiResult:
    """The Hospital Safety Index of one assessment.

    Args:
        modules: the scored modules with their weights (their weights should sum to 1; the overall index is
            divided by their sum, so a partial set still yields a fraction).
        ratings: item code → SafetyLevel or NOT_APPLICABLE.

    Returns:
        Module results; the overall safety index (step 10, fraction), its vulnerability (1 − safety) and
        category only when every module has at least one rated item, else None.

    Raises:
        HsiInputError: a rating names an item of none of the modules (code ``unknown_item``), or a rating
            value is neither a SafetyLevel nor NOT_APPLICABLE (``bad_rating``).
    """
    known = {item.code for m in modules for item in m.items}
    for code, value in ratings.items():
        if code not in known:
            raise HsiInputError("unknown_item", f"ratings.{code}", "no such item in the assessed modules")
        if not isinstance(value, SafetyLevel) and value != NOT_APPLICABLE:
            raise HsiInputError("bad_rating", f"ratings.{code}", f"{value!r} is not low, average, high or "
                                                                 "not applicable")
    results = tuple(module_result(m, ratings) for m in modules)
    weight_sum = math.fsum(m.weight for m in modules)
    if not results or weight_sum <= 0 or any(r.safety_index is None for r in results):
        return HsiResult(modules=results, safety_index=None, vulnerability_index=None, category=None)
    overall = math.fsum(m.weight * (r.safety_index or 0.0) for m, r in zip(modules, results)) / weight_sum
    overall = min(1.0, max(0.0, overall))
    return HsiResult(modules=results, safety_index=overall, vulnerability_index=1 - overall,
                     category=category_for(overall))

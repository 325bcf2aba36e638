"""WHO Hospital Safety Index (2015): the index calculation as pure functions (see :mod:`jedel.core.hsi.index`)."""

from jedel.core.hsi.index import (
    CATEGORY_MEANING,
    HORIZONTAL_WEIGHTS,
    NOT_APPLICABLE,
    HsiInputError,
    HsiResult,
    ModuleResult,
    ModuleSpec,
    ModuleTabulation,
    SafetyCategory,
    SafetyLevel,
    ScoredItem,
    adjusted_index,
    category_for,
    compute_index,
    crude_index,
    module_result,
    round_half_up,
    tabulate,
)

__all__ = ["CATEGORY_MEANING", "HORIZONTAL_WEIGHTS", "NOT_APPLICABLE", "HsiInputError", "HsiResult", "ModuleResult",
           "ModuleSpec", "ModuleTabulation", "SafetyCategory", "SafetyLevel", "ScoredItem", "adjusted_index",
           "category_for", "compute_index", "crude_index", "module_result", "round_half_up", "tabulate"]

"""Supplies: burn rate and days of supply (CDC 2020), reorder ((s, S) policy), kit feedback and next version.

See :mod:`.burn_rate` and :mod:`.kit_feedback` for the sources; every function is pure and raises
:class:`SupplyInputError` (a :class:`jedel.core.errors.FieldError`) with a stable code on bad input.
"""

from jedel.core.supplies.burn_rate import (
    Reorder,
    ReorderReason,
    StockCount,
    average_daily_use,
    days_of_supply,
    forecast_use,
    reorder_recommendation,
    run_out_day,
    units_used,
    use_per_patient_day,
)
from jedel.core.supplies.errors import SupplyErrorCode, SupplyInputError
from jedel.core.supplies.reorder_many import reorder_recommendations
from jedel.core.supplies.kit_feedback import (
    Z_95,
    ComponentDecision,
    ComponentFeedback,
    ComponentSummary,
    DecisionReason,
    KitAction,
    KitProposal,
    Verdict,
    aggregate,
    propose_next_version,
    wilson_interval,
)

__all__ = [
    "Z_95",
    "ComponentDecision",
    "ComponentFeedback",
    "ComponentSummary",
    "DecisionReason",
    "KitAction",
    "KitProposal",
    "Reorder",
    "ReorderReason",
    "StockCount",
    "SupplyErrorCode",
    "SupplyInputError",
    "Verdict",
    "aggregate",
    "average_daily_use",
    "days_of_supply",
    "forecast_use",
    "propose_next_version",
    "reorder_recommendation",
    "reorder_recommendations",
    "run_out_day",
    "units_used",
    "use_per_patient_day",
    "wilson_interval",
]

"""Hospital emergency response plans: completeness against the WHO/Europe checklist (see `completeness`)."""

from jedel.core.plans.completeness import STATUS_CREDIT, ItemStatus, PlanCompleteness, plan_completeness

__all__ = ["STATUS_CREDIT", "ItemStatus", "PlanCompleteness", "plan_completeness"]

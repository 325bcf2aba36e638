"""Probability of survival vs minutes to definitive care (Sacco RPM model and a derived category model)."""

from jedel.core.survival.models import (
    DEFAULT_CATEGORY_RPM_BANDS,
    StepTableSurvivalModel,
    SurvivalModel,
    category_survival_model,
    parse_category,
    rpm_at,
    rpm_category,
    rpm_survival_model,
    step_column_index,
)
from jedel.core.survival.parameters import (
    RPM_MAX,
    RpmSurvivalParameters,
    default_rpm_parameters,
    load_parameters_json,
)
from jedel.core.vocabulary import CareCategory

__all__ = [
    "DEFAULT_CATEGORY_RPM_BANDS",
    "RPM_MAX",
    "CareCategory",
    "RpmSurvivalParameters",
    "StepTableSurvivalModel",
    "SurvivalModel",
    "category_survival_model",
    "default_rpm_parameters",
    "load_parameters_json",
    "parse_category",
    "rpm_at",
    "rpm_category",
    "rpm_survival_model",
    "step_column_index",
]

"""Casualty -> hospital distribution over hour slots: exact expected-survivor maximisation and baselines."""

from jedel.core.distribution.baselines import SERVICE_ORDER
from jedel.core.distribution.evaluate import care_time_min
from jedel.core.distribution.groups import CATEGORIES, CasualtyGroup, GroupedProblem, group_problem
from jedel.core.distribution.model import (
    MAX_PLANNING_HORIZON_H,
    SLOT_MIN,
    Casualty,
    DistributionProblem,
    Hospital,
    Need,
    parse_needs,
)
from jedel.core.distribution.optimal import COST_SCALE, TIME_BUCKETS, rounding_bound
from jedel.core.distribution.reasons import Policy, Reason
from jedel.core.distribution.solve import Allocation, Assignment, GroupResult, solve

__all__ = [
    "CATEGORIES",
    "COST_SCALE",
    "MAX_PLANNING_HORIZON_H",
    "SERVICE_ORDER",
    "SLOT_MIN",
    "TIME_BUCKETS",
    "Allocation",
    "Assignment",
    "Casualty",
    "CasualtyGroup",
    "DistributionProblem",
    "GroupResult",
    "GroupedProblem",
    "Hospital",
    "Need",
    "Policy",
    "Reason",
    "care_time_min",
    "group_problem",
    "parse_needs",
    "rounding_bound",
    "solve",
]

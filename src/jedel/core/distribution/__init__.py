"""Casualty -> hospital distribution: exact expected-survivor maximisation and today's baselines."""

from jedel.core.distribution.baselines import SERVICE_ORDER
from jedel.core.distribution.groups import CATEGORIES, CasualtyGroup, GroupedProblem, group_problem
from jedel.core.distribution.model import Casualty, DistributionProblem, Hospital, Need, parse_needs
from jedel.core.distribution.optimal import COST_SCALE, TIME_BUCKETS, rounding_bound
from jedel.core.distribution.solve import Allocation, Assignment, GroupResult, Policy, Reason, solve

__all__ = [
    "CATEGORIES",
    "COST_SCALE",
    "SERVICE_ORDER",
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
    "group_problem",
    "parse_needs",
    "rounding_bound",
    "solve",
]

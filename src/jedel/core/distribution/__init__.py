"""Casualty -> hospital distribution over hour slots: exact expected-survivor maximisation and baselines.

JSON in and out (the seam for the CLI and the web apps): :func:`parse_problem` (format
:class:`ProblemIn`) and :func:`plan_to_json` (format :class:`PlanOut`).
"""

from jedel.core.distribution.baselines import SERVICE_ORDER
from jedel.core.distribution.evaluate import care_time_min
from jedel.core.distribution.groups import CATEGORIES, CasualtyGroup, GroupedProblem, group_problem
from jedel.core.distribution.model import (
    MAX_PLANNING_HORIZON_H,
    SLOT_MIN,
    Casualty,
    DistributionProblem,
    Hospital,
    parse_needs,
)
from jedel.core.distribution.io import build_problem, parse_problem, plan_json_schema, problem_json_schema
from jedel.core.distribution.optimal import COST_SCALE, TIME_BUCKETS, rounding_bound
from jedel.core.distribution.plan import PlanOut, plan_to_json
from jedel.core.distribution.reasons import Policy, Reason
from jedel.core.distribution.schema import ProblemIn
from jedel.core.distribution.solve import Allocation, Assignment, GroupResult, solve
from jedel.core.vocabulary import Need

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
    "PlanOut",
    "Policy",
    "ProblemIn",
    "Reason",
    "build_problem",
    "care_time_min",
    "group_problem",
    "parse_needs",
    "parse_problem",
    "plan_json_schema",
    "plan_to_json",
    "problem_json_schema",
    "rounding_bound",
    "solve",
]

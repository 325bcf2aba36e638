"""The JSON plan format: a solved :class:`~jedel.core.distribution.Allocation` as :class:`PlanOut`.

Published as JSON Schema in ``docs/schemas/distribution-plan.schema.json`` (a test keeps it equal to
``PlanOut.model_json_schema(mode="serialization")``). Minutes that are not finite (unreachable) are
``null``; every per-category object has the four care categories in the order immediate, delayed,
minimal, expectant.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jedel.core.distribution.reasons import Policy, Reason
from jedel.core.distribution.solve import Allocation, Assignment, GroupResult
from jedel.core.vocabulary import Capability, CareCategory


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CategoryCounts(_Out):
    """Casualties per care category."""

    immediate: int
    delayed: int
    minimal: int
    expectant: int


class AssignmentOut(_Out):
    """The decision for one casualty (:class:`~jedel.core.distribution.Assignment`)."""

    casualty: str
    hospital: str | None = Field(description="null = sent nowhere")
    travel_time_min: float | None = Field(description="null when sent nowhere")
    slot: int | None = Field(description="hour slot of admission 0..H-1; null = not admitted in time")
    time_to_care_min: float | None = Field(description="max(travel, 60 * slot); null = not admitted")
    death_probability: float = Field(description="model death probability at time to care (or horizon)")
    reason_code: Reason
    reason: str


class FlowOut(_Out):
    """Casualties of a group admitted at one hospital in one hour slot."""

    hospital: str
    slot: int
    count: int


class GroupOut(_Out):
    """One group of interchangeable casualties and where it went."""

    site: str
    kind: str = Field(description="survival-model kind: the RPM as text, or the category")
    category: CareCategory
    needs: list[Capability]
    count: int
    flows: list[FlowOut]
    unassigned: int
    expected_deaths: float


class PlanOut(_Out):
    """A distribution plan (format in the module docstring)."""

    model_config = ConfigDict(title="Jedel casualty distribution plan")

    policy: Policy
    planning_horizon_h: int
    expected_deaths: float
    expected_survivors: float
    n_casualties: int
    n_unassigned: int = Field(description="casualties not admitted within the usable slots")
    n_overflow: int = Field(description="sent to a hospital that could not admit them in time (nearest)")
    assignments: list[AssignmentOut] = Field(description="one per casualty, in input order")
    loads: dict[str, CategoryCounts] = Field(description="admitted per hospital over all slots")
    slot_loads: dict[str, list[CategoryCounts]] = Field(description="admitted per hospital and hour slot")
    overflow: dict[str, CategoryCounts] = Field(description="hospitals with overflow only")
    groups: list[GroupOut]

    @classmethod
    def from_allocation(cls, allocation: Allocation) -> PlanOut:
        """The plan of a solved :class:`~jedel.core.distribution.Allocation`."""
        return cls(
            policy=allocation.policy,
            planning_horizon_h=allocation.planning_horizon_h,
            expected_deaths=allocation.expected_deaths,
            expected_survivors=allocation.expected_survivors,
            n_casualties=len(allocation.assignments),
            n_unassigned=allocation.n_unassigned,
            n_overflow=allocation.n_overflow,
            assignments=[_assignment(a) for a in allocation.assignments],
            loads={h: CategoryCounts(**v) for h, v in allocation.loads.items()},
            slot_loads={h: [CategoryCounts(**s) for s in v] for h, v in allocation.slot_loads.items()},
            overflow={h: CategoryCounts(**v) for h, v in allocation.overflow.items() if any(v.values())},
            groups=[_group(g) for g in allocation.groups],
        )


def plan_to_json(allocation: Allocation) -> dict[str, Any]:
    """JSON-ready dict of an allocation (``json.dumps`` it as is): ``PlanOut`` in JSON mode."""
    return PlanOut.from_allocation(allocation).model_dump(mode="json")


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _assignment(a: Assignment) -> AssignmentOut:
    return AssignmentOut(
        casualty=a.casualty_id,
        hospital=a.hospital_id,
        travel_time_min=_finite(a.travel_time_min),
        slot=a.slot,
        time_to_care_min=_finite(a.time_to_care_min),
        death_probability=a.death_probability,
        reason_code=a.reason_code,
        reason=a.reason,
    )


def _group(g: GroupResult) -> GroupOut:
    return GroupOut(
        site=g.group.site_id,
        kind=g.group.kind,
        category=g.group.category,
        needs=sorted(g.group.needs, key=lambda n: n.value),
        count=g.group.count,
        flows=[FlowOut(hospital=h, slot=k, count=n) for h, k, n in g.flows],
        unassigned=g.unassigned,
        expected_deaths=g.expected_deaths,
    )

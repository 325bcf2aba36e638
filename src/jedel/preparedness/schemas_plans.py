"""API schemas of hospital emergency response plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from jedel.preparedness.models import PlanVersion
from jedel.preparedness.plan_selectors import PlanPage

Count = Annotated[StrictInt, Field(ge=0, le=100_000)]


class PlanItemIn(Schema):
    item: str = Field(min_length=1, max_length=16)
    status: Literal["done", "in_progress", "missing"]
    evidence: str = Field("", max_length=4000, description="required when done: the document, order or record")


class ActivationLevel(Schema):
    level: str = Field(min_length=1, max_length=16)
    name: str = Field(min_length=1, max_length=150)
    trigger: str = Field("", max_length=1000)


class CommandRole(Schema):
    role: str = Field(min_length=1, max_length=150, description="e.g. incident commander, safety officer")
    name: str = Field(min_length=1, max_length=150)
    phone: str = Field("", max_length=40)
    deputy: str = Field("", max_length=150)
    deputy_phone: str = Field("", max_length=40)
    action_card: str = Field("", max_length=4000)


class Surge(Schema):
    beds_2h: Count | None = Field(None, description="beds that can be freed within 2 h (early discharge, elective)")
    beds_24h: Count | None = Field(None, description="beds that can be freed within 24 h")


class ResponsePlanIn(Schema):
    version: Annotated[StrictInt, Field(ge=0, le=1_000_000)] = Field(description="the version read; 0 for a new plan")
    review_due_on: date
    items: list[PlanItemIn] = Field(max_length=500)
    activation_levels: list[ActivationLevel] = Field(default_factory=list, max_length=10)
    command_roles: list[CommandRole] = Field(default_factory=list, max_length=100,
                                             description="in call-down order")
    surge: Surge = Field(default_factory=Surge)
    note: str = Field("", max_length=500)


class PlanItemOut(Schema):
    code: str
    title: str
    status: str
    evidence: str
    evidence_required: bool


class ComponentOut(Schema):
    code: str
    key: str
    title: str
    completeness: float
    items: list[PlanItemOut]


class ResponsePlanOut(Schema):
    facility: int
    version: int
    instrument: str
    review_due_on: date
    review_overdue: bool
    completeness: float
    components: list[ComponentOut]
    activation_levels: list[dict[str, Any]]
    command_roles: list[dict[str, Any]]
    surge: dict[str, Any]
    updated_by: str

    @staticmethod
    def of(page: PlanPage, components: dict[str, float], today: date) -> ResponsePlanOut:
        plan = page.plan
        by_section: dict[str, ComponentOut] = {}
        for item, state in page.rows:
            section = item.section
            out = by_section.setdefault(section.code, ComponentOut(code=section.code, key=section.key,
                                                                   title=section.title,
                                                                   completeness=components.get(section.code, 0.0),
                                                                   items=[]))
            out.items.append(PlanItemOut(code=item.code, title=item.title, status=state.status if state else "missing",
                                         evidence=state.evidence if state else "",
                                         evidence_required=item.evidence_required))
        return ResponsePlanOut(facility=plan.facility_id, version=plan.version,
                       instrument=f"{plan.instrument.code} {plan.instrument.version}",
                       review_due_on=plan.review_due_on, review_overdue=plan.review_due_on < today,
                       completeness=plan.completeness, components=list(by_section.values()),
                       activation_levels=plan.activation_levels, command_roles=plan.command_roles, surge=plan.surge,
                       updated_by=plan.updated_by)


class ResponsePlanVersionOut(Schema):
    number: int
    saved_by: str
    saved_at: datetime
    note: str
    completeness: float

    @staticmethod
    def of(v: PlanVersion) -> ResponsePlanVersionOut:
        return ResponsePlanVersionOut(number=v.number, saved_by=v.saved_by, saved_at=v.saved_at, note=v.note,
                              completeness=float(v.snapshot.get("completeness", {}).get("overall", 0.0)))

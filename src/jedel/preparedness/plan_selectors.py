"""Reads of hospital emergency response plans: a facility's plan with its checklist, and its versions."""

from __future__ import annotations

from dataclasses import dataclass

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.common.errors import NotFound
from jedel.facilities.models import Facility
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import EmergencyPlan, InstrumentItem, PlanItemState, PlanVersion
from jedel.preparedness.permissions import VIEW_PREPAREDNESS


@dataclass(frozen=True)
class PlanPage:
    plan: EmergencyPlan
    rows: list[tuple[InstrumentItem, PlanItemState | None]]


def plan_get(viewer: Principal, facility_id: int) -> PlanPage:
    """The facility's plan with every checklist item and its state (None: missing), in checklist order."""
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise NotFound(PrepError.FACILITY_NOT_FOUND, field="facility")
    require(viewer, VIEW_PREPAREDNESS, facility, object_type="emergency_plan", object_id=facility_id)
    plan = EmergencyPlan.objects.filter(facility=facility).select_related("instrument", "facility").first()
    if plan is None:
        raise NotFound(PrepError.NO_PLAN)
    states = {s.item_id: s for s in PlanItemState.objects.filter(plan=plan)}
    items = InstrumentItem.objects.filter(instrument_id=plan.instrument_id).select_related("section")
    return PlanPage(plan, [(i, states.get(i.pk)) for i in items])


def plan_versions(viewer: Principal, facility_id: int) -> list[PlanVersion]:
    """The plan's saved versions, newest first."""
    page = plan_get(viewer, facility_id)
    return list(page.plan.versions.all()[:200])

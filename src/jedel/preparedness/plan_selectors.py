"""Reads of hospital emergency response plans: a facility's plan with its checklist, its versions, the plans of a
region (complete / incomplete / outdated / missing), and the surge figures the capacity board offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal, Target, allowed
from jedel.accounts.services import require
from jedel.capacity.selectors.status import facility_status
from jedel.common.errors import NotFound
from jedel.facilities.models import Facility
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import EmergencyPlan, InstrumentItem, PlanItemState, PlanVersion
from jedel.preparedness.permissions import VIEW_PLAN_ACTIVATION, VIEW_PREPAREDNESS

# A plan's standing on a date: missing (none), outdated (review date passed), complete (every action done),
# incomplete (anything else). Outdated wins over complete: an unreviewed plan is not to be trusted.
PLAN_STANDINGS = ("complete", "incomplete", "outdated", "missing")


def plan_standing(plan: EmergencyPlan | None, today: date) -> str:
    if plan is None:
        return "missing"
    if plan.review_due_on < today:
        return "outdated"
    return "complete" if plan.completeness >= 1.0 - 1e-9 else "incomplete"


@dataclass(frozen=True)
class PlanPage:
    plan: EmergencyPlan
    rows: list[tuple[InstrumentItem, PlanItemState | None]]


def _facility(viewer: Principal, facility_id: int, action=VIEW_PREPAREDNESS) -> Facility:
    facility = Facility.objects.select_related("region").filter(pk=facility_id).first()
    if facility is None:
        raise NotFound(PrepError.FACILITY_NOT_FOUND, field="facility")
    require(viewer, action, facility, object_type="emergency_plan", object_id=facility_id)
    return facility


def plan_facility(viewer: Principal, facility_id: int) -> Facility:
    """The facility whose plan the viewer may read (a page shows 'no plan yet' for it)."""
    return _facility(viewer, facility_id)


def plan_get(viewer: Principal, facility_id: int) -> PlanPage:
    """The facility's plan with every checklist item and its state (None: missing), in checklist order."""
    facility = _facility(viewer, facility_id)
    return _page(facility)


def _page(facility: Facility) -> PlanPage:
    plan = EmergencyPlan.objects.filter(facility=facility).select_related("instrument", "facility").first()
    if plan is None:
        raise NotFound(PrepError.NO_PLAN)
    states = {s.item_id: s for s in PlanItemState.objects.filter(plan=plan)}
    items = InstrumentItem.objects.filter(instrument_id=plan.instrument_id).select_related("section")
    return PlanPage(plan, [(i, states.get(i.pk)) for i in items])


def plan_activation_get(viewer: Principal, facility_id: int) -> EmergencyPlan:
    """The plan for its activation page (levels, call-down list, action cards): any person of the facility."""
    facility = _facility(viewer, facility_id, VIEW_PLAN_ACTIVATION)
    plan = EmergencyPlan.objects.filter(facility=facility).select_related("facility").first()
    if plan is None:
        raise NotFound(PrepError.NO_PLAN)
    return plan


def plan_versions(viewer: Principal, facility_id: int) -> list[PlanVersion]:
    """The plan's saved versions, newest first."""
    page = plan_get(viewer, facility_id)
    return list(page.plan.versions.all()[:200])


def plan_version_get(viewer: Principal, facility_id: int, number: int) -> PlanVersion:
    page = plan_get(viewer, facility_id)
    version = page.plan.versions.filter(number=number).first()
    if version is None:
        raise NotFound(PrepError.NO_PLAN, field="number")
    return version


@dataclass(frozen=True)
class PlanRow:
    facility: Facility
    plan: EmergencyPlan | None
    standing: str


def plan_list(viewer: Principal, today: date, *, region_ids: list[int] | None = None,
              facility_ids: list[int] | None = None) -> list[PlanRow]:
    """Every active facility in the viewer's scope (narrowed to the regions / facilities asked for) and its plan."""
    require(viewer, VIEW_PREPAREDNESS, Target(region_id=viewer.region_id, facility_id=viewer.facility_id))
    rows = Facility.objects.filter(active=True).select_related("region").order_by("region__iso_code", "name_en")
    if viewer.scope_level == ScopeLevel.REGION:
        rows = rows.filter(region_id=viewer.region_id)
    elif viewer.scope_level == ScopeLevel.FACILITY:
        rows = rows.filter(pk=viewer.facility_id)
    if region_ids:
        rows = rows.filter(region_id__in=region_ids)
    if facility_ids:
        rows = rows.filter(pk__in=facility_ids)
    facilities = [f for f in rows[:2000] if allowed(viewer, VIEW_PREPAREDNESS, f)]
    plans = {p.facility_id: p for p in EmergencyPlan.objects.filter(facility__in=facilities)}
    return [PlanRow(f, plans.get(f.pk), plan_standing(plans.get(f.pk), today)) for f in facilities]


@dataclass(frozen=True)
class BoardSurge:
    """What the capacity board says now: vacant staffed beds and beds that can be staffed within 24 h."""

    reported_at: datetime | None
    available_now: int | None
    surge_24h: int | None
    overdue: bool


def board_surge(facility: Facility, now: datetime) -> BoardSurge:
    """The facility's current capacity report reduced to the plan's surge figures (None where not reported)."""
    row = facility_status(facility, now=now)
    if row.current is None:
        return BoardSurge(None, None, None, row.overdue)
    surge = [b.surge_24h for b in row.beds.values() if b.surge_24h is not None]
    return BoardSurge(row.reported_at, row.available_total, sum(surge) if surge else None, row.overdue)

"""Readiness per region (reads): each facility's latest HSI category, coverage, overdue remediation, plans by
standing (complete / incomplete / outdated / missing), trained staff; and the facilities of one region (drill-down).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.preparedness.models import EmergencyPlan, HsiAssessment, RemediationTask
from jedel.preparedness.permissions import VIEW_PREPAREDNESS
from jedel.preparedness.plan_selectors import plan_standing
from jedel.preparedness.selectors_training import certified_people


@dataclass
class RegionReadiness:
    iso_code: str
    name: str
    region_id: int = 0
    facilities: int = 0
    assessed: int = 0
    categories: dict[str, int] = field(default_factory=lambda: {"A": 0, "B": 0, "C": 0})
    mean_index: float | None = None
    open_tasks: int = 0
    overdue_tasks: int = 0
    plans: int = 0           # facilities with an emergency response plan
    plans_overdue: int = 0   # of which the review date has passed ("outdated")
    plans_complete: int = 0  # of which every action is done and the review is not overdue
    trained: int = 0         # people holding a valid certificate, counted once per facility

    @property
    def coverage(self) -> float:
        """Share of the region's facilities with an assessment that has an index (fraction)."""
        return self.assessed / self.facilities if self.facilities else 0.0

    @property
    def plans_missing(self) -> int:
        return self.facilities - self.plans


@dataclass
class FacilityReadiness:
    facility: Facility
    assessment: HsiAssessment | None = None
    plan: EmergencyPlan | None = None
    standing: str = "missing"
    trained: int = 0
    open_tasks: int = 0
    overdue_tasks: int = 0


def _scope(viewer: Principal) -> tuple[Q, Q]:
    """(filter on facilities, filter on rows with a `facility`) for the viewer's own scope."""
    if viewer.scope_level == ScopeLevel.REGION:
        return Q(region_id=viewer.region_id), Q(facility__region_id=viewer.region_id)
    if viewer.scope_level == ScopeLevel.FACILITY:
        return Q(pk=viewer.facility_id), Q(facility_id=viewer.facility_id)
    return Q(), Q()


def readiness_facilities(viewer: Principal, today: date, *, region_id: int | None = None) -> list[FacilityReadiness]:
    """Every active facility in the viewer's scope (of one region when asked) with its readiness figures."""
    if region_id is not None:
        require(viewer, VIEW_PREPAREDNESS, Target(region_id=region_id, facilities=frozenset(
            [viewer.facility_id] if viewer.facility_id and Facility.objects.filter(
                pk=viewer.facility_id, region_id=region_id).exists() else [])), object_type="region",
            object_id=region_id)
    else:
        require(viewer, VIEW_PREPAREDNESS, Target(region_id=viewer.region_id, facility_id=viewer.facility_id))
    on_facility, on_rows = _scope(viewer)
    facilities = Facility.objects.filter(on_facility, active=True).select_related("region")
    rows_q = on_rows
    if region_id is not None:
        facilities, rows_q = facilities.filter(region_id=region_id), rows_q & Q(facility__region_id=region_id)
    out = {f.pk: FacilityReadiness(f) for f in facilities.order_by("region__iso_code", "name_en")[:5000]}
    for a in (HsiAssessment.objects.filter(rows_q, safety_index__isnull=False, facility_id__in=list(out))
              .order_by("facility_id", "-assessed_on", "-pk")):
        if out[a.facility_id].assessment is None:
            out[a.facility_id].assessment = a
    for task in RemediationTask.objects.filter(rows_q, facility_id__in=list(out)).exclude(
            status=RemediationTask.Status.DONE).only("facility_id", "due_on"):
        out[task.facility_id].open_tasks += 1
        out[task.facility_id].overdue_tasks += task.due_on < today
    for plan in EmergencyPlan.objects.filter(rows_q, facility_id__in=list(out)):
        out[plan.facility_id].plan = plan
    people, _skills = certified_people(list(out), today)
    for row in out.values():
        row.standing = plan_standing(row.plan, today)
        row.trained = len(people.get(row.facility.pk, ()))
    return list(out.values())


def readiness_by_region(viewer: Principal, today: date) -> list[RegionReadiness]:
    """One row per region the viewer may read (national: all 20), by ISO code."""
    facilities = readiness_facilities(viewer, today)
    regions = Region.objects.order_by("iso_code")
    if viewer.scope_level == ScopeLevel.REGION:
        regions = regions.filter(pk=viewer.region_id)
    elif viewer.scope_level == ScopeLevel.FACILITY:
        regions = regions.filter(pk__in=[r.facility.region_id for r in facilities])
    rows = {r.pk: RegionReadiness(r.iso_code, r.name, r.pk) for r in regions}
    sums: dict[int, float] = {}
    for f in facilities:
        row = rows.get(f.facility.region_id)
        if row is None:
            continue
        row.facilities += 1
        row.open_tasks += f.open_tasks
        row.overdue_tasks += f.overdue_tasks
        row.trained += f.trained
        if f.assessment is not None:
            row.assessed += 1
            row.categories[f.assessment.category] = row.categories.get(f.assessment.category, 0) + 1
            sums[row.region_id] = sums.get(row.region_id, 0.0) + (f.assessment.safety_index or 0.0)
        if f.plan is not None:
            row.plans += 1
            row.plans_overdue += f.standing == "outdated"
            row.plans_complete += f.standing == "complete"
    for region_id, total in sums.items():
        rows[region_id].mean_index = total / rows[region_id].assessed
    return list(rows.values())

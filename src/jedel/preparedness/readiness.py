"""Readiness per region (reads): each facility's latest HSI category, coverage, overdue remediation, plans."""

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


@dataclass
class RegionReadiness:
    iso_code: str
    name: str
    facilities: int = 0
    assessed: int = 0
    categories: dict[str, int] = field(default_factory=lambda: {"A": 0, "B": 0, "C": 0})
    mean_index: float | None = None
    open_tasks: int = 0
    overdue_tasks: int = 0
    plans: int = 0           # facilities with an emergency response plan
    plans_overdue: int = 0   # of which the review date has passed

    @property
    def coverage(self) -> float:
        """Share of the region's facilities with an assessment that has an index (fraction)."""
        return self.assessed / self.facilities if self.facilities else 0.0


def readiness_by_region(viewer: Principal, today: date) -> list[RegionReadiness]:
    """One row per region the viewer may read (national: all 20), by ISO code."""
    require(viewer, VIEW_PREPAREDNESS, Target(region_id=viewer.region_id, facility_id=viewer.facility_id))
    regions = Region.objects.order_by("iso_code")
    facilities = Facility.objects.filter(active=True)
    scope = Q()
    if viewer.scope_level == ScopeLevel.REGION:
        regions, scope = regions.filter(pk=viewer.region_id), Q(facility__region_id=viewer.region_id)
        facilities = facilities.filter(region_id=viewer.region_id)
    elif viewer.scope_level == ScopeLevel.FACILITY:
        facility = Facility.objects.filter(pk=viewer.facility_id).first()
        regions = regions.filter(pk=facility.region_id if facility else None)
        facilities, scope = facilities.filter(pk=viewer.facility_id), Q(facility_id=viewer.facility_id)
    rows = {r.pk: RegionReadiness(r.iso_code, r.name) for r in regions}
    for region_id in facilities.values_list("region_id", flat=True):
        if region_id in rows:
            rows[region_id].facilities += 1
    latest: dict[int, HsiAssessment] = {}
    for a in (HsiAssessment.objects.filter(scope, safety_index__isnull=False, facility__active=True)
              .select_related("facility").order_by("facility_id", "-assessed_on", "-pk")):
        latest.setdefault(a.facility_id, a)
    sums: dict[int, float] = {}
    for a in latest.values():
        row = rows.get(a.facility.region_id)
        if row is None:
            continue
        row.assessed += 1
        row.categories[a.category] = row.categories.get(a.category, 0) + 1
        sums[a.facility.region_id] = sums.get(a.facility.region_id, 0.0) + (a.safety_index or 0.0)
    for region_id, total in sums.items():
        rows[region_id].mean_index = total / rows[region_id].assessed
    for task in (RemediationTask.objects.filter(scope).exclude(status=RemediationTask.Status.DONE)
                 .select_related("facility")):
        row = rows.get(task.facility.region_id)
        if row is not None:
            row.open_tasks += 1
            row.overdue_tasks += task.due_on < today
    for plan in EmergencyPlan.objects.filter(scope, facility__active=True).select_related("facility"):
        row = rows.get(plan.facility.region_id)
        if row is not None:
            row.plans += 1
            row.plans_overdue += plan.review_due_on < today
    return list(rows.values())

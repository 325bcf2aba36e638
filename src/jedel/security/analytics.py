"""Violence analytics: anonymised counts over time by region, facility kind, department, victim role and type,
and rates per 100 staff where a facility's staffing is known. No names ever leave this module.

Counts are of incidents, except by victim role, which counts victims (one incident may hurt a nurse and a doctor).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth

from jedel.accounts.policy import Principal
from jedel.security.models import SecurityPosture
from jedel.security.models_registry import Victim, ViolenceIncident
from jedel.security.selectors import scoped_facilities

GROUPINGS = {"region": "facility__region__iso_code", "facility_kind": "facility__kind", "department": "department",
             "kind": "kind", "severity": "severity"}
BY = (*GROUPINGS, "victim_role")


@dataclass(frozen=True)
class CountRow:
    month: str   # YYYY-MM, in the local time of settings.TIME_ZONE (Asia/Almaty)
    group: str
    count: int


def _incidents(viewer: Principal | None, since: datetime, until: datetime, region_id: int | None):  # type: ignore[no-untyped-def]
    facilities = scoped_facilities(viewer, region_id=region_id)
    return ViolenceIncident.objects.filter(facility__in=facilities, occurred_at__gte=since, occurred_at__lt=until)


def violence_counts(viewer: Principal | None, *, by: str, since: datetime, until: datetime,
                    region_id: int | None = None) -> list[CountRow]:
    """Counts per month and group in [since, until), within the viewer's scope, ordered by month then group."""
    if by not in BY:
        raise ValueError(by)
    incidents = _incidents(viewer, since, until, region_id)
    if by == "victim_role":
        rows = (Victim.objects.filter(incident__in=incidents).annotate(month=TruncMonth("incident__occurred_at"))
                .values("month", "staff_role").annotate(n=Count("pk")).values_list("month", "staff_role", "n"))
    else:
        field = GROUPINGS[by]
        rows = (incidents.annotate(month=TruncMonth("occurred_at")).values("month", field).annotate(n=Count("pk"))
                .values_list("month", field, "n"))
    return sorted((CountRow(m.strftime("%Y-%m"), str(g), n) for m, g, n in rows), key=lambda r: (r.month, r.group))


def totals(rows: list[CountRow]) -> list[tuple[str, int]]:
    """Total per group over the period, largest first (ties by name)."""
    counter: Counter[str] = Counter()
    for row in rows:
        counter[row.group] += row.count
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class RateRow:
    region: str
    incidents: int          # at facilities whose staff count is known
    staff: int
    per_100_staff: float


def rates_per_100_staff(viewer: Principal | None, *, since: datetime, until: datetime,
                        region_id: int | None = None) -> list[RateRow]:
    """Incidents per 100 staff by region, over the facilities whose staffing is recorded (others left out)."""
    facilities = scoped_facilities(viewer, region_id=region_id)
    staffed = dict(SecurityPosture.objects.filter(facility__in=facilities, staff_count__gt=0)
                   .values_list("facility_id", "staff_count"))
    regions = dict(facilities.filter(pk__in=staffed).values_list("pk", "region__iso_code"))
    counts = Counter(_incidents(viewer, since, until, region_id).filter(facility_id__in=staffed)
                     .values_list("facility_id", flat=True))
    staff_by_region: Counter[str] = Counter()
    incidents_by_region: Counter[str] = Counter()
    for fid, staff in staffed.items():
        staff_by_region[regions[fid]] += staff
        incidents_by_region[regions[fid]] += counts.get(fid, 0)
    return [RateRow(iso, incidents_by_region[iso], staff, round(100 * incidents_by_region[iso] / staff, 2))
            for iso, staff in sorted(staff_by_region.items())]

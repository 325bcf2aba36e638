"""Reads of walk-in casualties: what they take of a hospital's receiving capacity now, and an incident's summary.

A hospital declares its MCI receiving capacity per hour, and a plan is one hour slot (see `engines.py`), so a
walk-in takes one of its places for `walkin_window_min()` minutes (setting JEDEL_WALKIN_WINDOW_MIN, default 60)
from arrival, whether registered one by one or only counted. Like casualties on their way, walk-ins are counted
across every incident of one kind (real incidents, or exercises: never mixed), since they share the same beds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Sum

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.facilities.models import Facility
from jedel.incidents.engines import PLAN_CATEGORIES
from jedel.incidents.models import Incident, WalkIn, WalkInCount
from jedel.incidents.permissions import VIEW_INCIDENT

# The categories a receiving hospital chooses from at the door: red, yellow, green, black (the glossary's terms).
WALKIN_CATEGORIES = ("immediate", "delayed", "minimal", "dead")
DEFAULT_WINDOW_MIN = 60


def walkin_window_min() -> int:
    """Minutes a walk-in takes one of its hospital's hourly places (setting JEDEL_WALKIN_WINDOW_MIN)."""
    return int(getattr(settings, "JEDEL_WALKIN_WINDOW_MIN", DEFAULT_WINDOW_MIN))


def walkin_load(*, exercise: bool, now: datetime, facility_id: int | None = None) -> dict[str, dict[str, int]]:
    """{facility code: {category: walk-ins arrived in the last window}}, individual and counted together."""
    since = now - timedelta(minutes=walkin_window_min())
    out: dict[str, dict[str, int]] = defaultdict(dict)
    people = WalkIn.objects.filter(incident__is_exercise=exercise, arrived_at__gt=since, arrived_at__lte=now,
                                   casualty__category__in=PLAN_CATEGORIES)
    counts = WalkInCount.objects.filter(incident__is_exercise=exercise, at__gt=since, at__lte=now,
                                        category__in=PLAN_CATEGORIES)
    if facility_id is not None:
        people, counts = people.filter(facility_id=facility_id), counts.filter(facility_id=facility_id)
    for row in people.values("facility__code", "casualty__category").annotate(n=Count("pk")):
        code, category = row["facility__code"], row["casualty__category"]
        out[code][category] = out[code].get(category, 0) + row["n"]
    for row in counts.values("facility__code", "category").annotate(n=Sum("delta")):
        code, category = row["facility__code"], row["category"]
        out[code][category] = out[code].get(category, 0) + int(row["n"] or 0)
    return {code: {c: n for c, n in by.items() if n} for code, by in out.items() if any(by.values())}


def with_walkins(pending: dict[str, dict[str, int]], walkins: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Casualties on their way plus walk-ins, per hospital and category: what takes a hospital's places now."""
    out = {code: dict(by) for code, by in pending.items()}
    for code, by in walkins.items():
        for category, n in by.items():
            out.setdefault(code, {})[category] = out.get(code, {}).get(category, 0) + n
    return out


def counted_outstanding(*, incident: Incident, facility_id: int, category: str) -> int:
    """Walk-ins of the category counted at the hospital in this incident and not yet turned into records."""
    total = WalkInCount.objects.filter(incident=incident, facility_id=facility_id, category=category).aggregate(
        n=Sum("delta"))["n"]
    return int(total or 0)


@dataclass
class WalkInRow:
    """One hospital's walk-ins in an incident: registered one by one and only counted, by category."""

    code: str
    name: str
    individual: dict[str, int] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> dict[str, int]:
        return {c: self.individual.get(c, 0) + self.counted.get(c, 0)
                for c in sorted({*self.individual, *self.counted})}


def walkin_summary(*, viewer: Principal | None, incident: Incident) -> list[WalkInRow]:
    """Every hospital's walk-ins in the incident since it was declared (counts only, no personal data)."""
    require(viewer, VIEW_INCIDENT, incident, object_type="incident", object_id=incident.pk)
    individual = (WalkIn.objects.filter(incident=incident).values("facility_id", "casualty__category")
                  .annotate(n=Count("pk")).values_list("facility_id", "casualty__category", "n"))
    counted = (WalkInCount.objects.filter(incident=incident).values("facility_id", "category")
               .annotate(n=Sum("delta")).values_list("facility_id", "category", "n"))
    individual, counted = list(individual), [(f, c, int(n)) for f, c, n in counted if n]
    facilities = Facility.objects.in_bulk({f for f, _, _ in [*individual, *counted]})
    rows: dict[int, WalkInRow] = {pk: WalkInRow(f.code, f.name) for pk, f in facilities.items()}
    for pk, category, n in individual:
        rows[pk].individual[category] = n
    for pk, category, n in counted:
        rows[pk].counted[category] = n
    return sorted(rows.values(), key=lambda r: r.code)

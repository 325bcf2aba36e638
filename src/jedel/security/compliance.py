"""Security-posture compliance: which mandated facilities lack a 24/7 post, CCTV over the ER, or panic buttons.

Mandated (Ministries of Health and Internal Affairs, 2025): facilities with an emergency department, children's
hospitals and perinatal centres. Facilities carry no "has an ER" flag, so the inpatient kinds that receive
emergencies stand for it: national centres, regional multi-profile, city, central district and trauma hospitals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from jedel.accounts.policy import Principal
from jedel.facilities.models import Facility, FacilityKind
from jedel.security.models import PanicButton, SecurityPosture
from jedel.security.selectors import scoped_facilities

MANDATED_KINDS = frozenset({FacilityKind.NATIONAL_CENTRE, FacilityKind.REGIONAL_MULTIPROFILE,
                            FacilityKind.CITY_HOSPITAL, FacilityKind.CENTRAL_DISTRICT, FacilityKind.TRAUMA,
                            FacilityKind.CHILDRENS, FacilityKind.PERINATAL})
BUTTON_TEST_DAYS = 90
GAPS = ("no_posture", "no_post", "no_cctv", "no_buttons", "buttons_untested")


@dataclass(frozen=True)
class FacilityCompliance:
    facility: Facility
    posture: SecurityPosture | None
    live_buttons: int
    last_tested_at: datetime | None
    gaps: tuple[str, ...]

    @property
    def compliant(self) -> bool:
        return not self.gaps


@dataclass
class RegionCompliance:
    iso_code: str
    name: str
    mandated: int = 0
    compliant: int = 0
    gaps: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GAPS, 0))

    @property
    def share(self) -> float | None:
        return round(self.compliant / self.mandated, 3) if self.mandated else None


def _gaps(posture: SecurityPosture | None, buttons: int, tested: datetime | None, now: datetime) -> tuple[str, ...]:
    gaps = []
    if posture is None:
        gaps.append("no_posture")
    else:
        if not posture.post_24_7:
            gaps.append("no_post")
        if posture.cctv_cameras == 0 or not posture.er_cctv_covered:
            gaps.append("no_cctv")
    if buttons == 0:
        gaps.append("no_buttons")
    elif tested is None or tested < now - timedelta(days=BUTTON_TEST_DAYS):
        gaps.append("buttons_untested")
    return tuple(gaps)


def compliance_facilities(viewer: Principal | None, *, now: datetime, region_id: int | None = None) -> list[FacilityCompliance]:
    """Every mandated facility in reach with its gaps (posture missing counts as a gap of its own)."""
    facilities = list(scoped_facilities(viewer, region_id=region_id).filter(kind__in=MANDATED_KINDS, active=True)
                      .select_related("region").order_by("region__iso_code", "code"))
    ids = [f.pk for f in facilities]
    postures = {p.facility_id: p for p in SecurityPosture.objects.filter(facility_id__in=ids)}
    buttons: dict[int, list[PanicButton]] = {}
    for b in PanicButton.objects.filter(facility_id__in=ids, revoked_at__isnull=True):
        buttons.setdefault(b.facility_id, []).append(b)
    rows = []
    for f in facilities:
        live = buttons.get(f.pk, [])
        tested = [b.last_tested_at for b in live if b.last_tested_at is not None]
        # A facility's buttons count as tested when the least recently tested one is within the period.
        oldest = min(tested) if live and len(tested) == len(live) else None
        rows.append(FacilityCompliance(f, postures.get(f.pk), len(live), oldest,
                                       _gaps(postures.get(f.pk), len(live), oldest, now)))
    return rows


def compliance_by_region(rows: list[FacilityCompliance]) -> tuple[list[RegionCompliance], RegionCompliance]:
    """Per region and the total over them."""
    regions: dict[str, RegionCompliance] = {}
    total = RegionCompliance(iso_code="", name="")
    for row in rows:
        region = regions.setdefault(row.facility.region.iso_code,
                                    RegionCompliance(row.facility.region.iso_code, row.facility.region.name))
        for bucket in (region, total):
            bucket.mandated += 1
            bucket.compliant += row.compliant
            for gap in row.gaps:
                bucket.gaps[gap] += 1
    return sorted(regions.values(), key=lambda r: r.iso_code), total


@dataclass(frozen=True)
class TrendPoint:
    on_date: object  # datetime.date
    mandated: int
    compliant: int

    @property
    def share(self) -> float | None:
        return round(self.compliant / self.mandated, 3) if self.mandated else None


def compliance_trend(viewer: Principal | None, *, limit: int = 12) -> list[TrendPoint]:
    """The last snapshot of each month (newest `limit` months), summed over the regions in the viewer's scope."""
    from jedel.security.models import ComplianceSnapshot

    regions = set(scoped_facilities(viewer).values_list("region_id", flat=True).distinct())
    per_month: dict[str, object] = {}
    for day in ComplianceSnapshot.objects.filter(region_id__in=regions).values_list("on_date", flat=True).distinct():
        key = day.strftime("%Y-%m")
        per_month[key] = max(day, per_month.get(key, day))  # type: ignore[type-var]
    days = sorted(per_month.values())[-limit:]  # type: ignore[type-var]
    points = []
    for day in days:
        rows = ComplianceSnapshot.objects.filter(region_id__in=regions, on_date=day).values_list("mandated",
                                                                                                 "compliant")
        points.append(TrendPoint(day, sum(m for m, _c in rows), sum(c for _m, c in rows)))
    return points

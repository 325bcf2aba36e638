"""Analytics pages: counts by grouping over time, rates per 100 staff, CSV export, the printable monthly
report (a page and an A4 PDF)."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal, principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.facilities.models import Facility, FacilityKind
from jedel.geo.models import Region
from jedel.security.analytics import BY, rates_per_100_staff, totals, violence_counts
from jedel.security.compliance import compliance_by_region, compliance_facilities
from jedel.security.models_registry import StaffRole, ViolenceKind
from jedel.security.report_pdf import report_pdf


def _labels() -> dict[str, str]:
    return {"region": _("Region"), "facility_kind": _("Facility kind"), "department": _("Department"),
            "kind": _("Type"), "severity": _("Severity"), "victim_role": _("Victim's role")}


def _period(request: HttpRequest) -> tuple[datetime, datetime]:
    """?months=N (1..36, default 12) back from the start of next month, local time."""
    raw = request.GET.get("months", "12")
    months = min(max(int(raw), 1), 36) if raw.isdigit() else 12
    now = timezone.localtime(utcnow())
    until = (now.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + timedelta(days=32)).replace(day=1)
    since = until
    for _i in range(months):
        since = (since - timedelta(days=1)).replace(day=1)
    return since, until


@login_required
def analytics_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    by = request.GET.get("by", "region")
    by = by if by in BY else "region"
    since, until = _period(request)
    try:
        rows = violence_counts(viewer, by=by, since=since, until=until)
        rates = rates_per_100_staff(viewer, since=since, until=until)
    except DomainError as exc:
        return domain_error_page(request, exc)
    months = sorted({r.month for r in rows})
    groups = [g for g, _n in totals(rows)]
    cell = {(r.month, r.group): r.count for r in rows}
    table = [{"month": m, "counts": [cell.get((m, g), 0) for g in groups]} for m in months]
    return render(request, "security/analytics.html", {
        "by": by, "by_choices": list(_labels().items()), "by_label": _labels()[by], "groups": groups,
        "table": table, "totals": totals(rows), "rates": rates, "since": since, "until": until,
        "query": request.GET.urlencode()})


@login_required
def analytics_csv(request: HttpRequest) -> HttpResponse:
    """month,group,count for the same grouping and period as the page (anonymised counts only)."""
    viewer = principal_for_user(request.user)
    by = request.GET.get("by", "region")
    by = by if by in BY else "region"
    since, until = _period(request)
    try:
        rows = violence_counts(viewer, by=by, since=since, until=until)
    except DomainError as exc:
        return domain_error_page(request, exc)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="violence-{by}-{since:%Y%m}-{until:%Y%m}.csv"'
    writer = csv.writer(response)
    writer.writerow(["month", by, "count"])
    for row in rows:
        writer.writerow([row.month, row.group, row.count])
    return response


def _month(year: int, month: int) -> tuple[datetime, datetime] | None:
    """[first day, first day of the next month) in local time; None for a month outside 2000..2100."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    tz = timezone.get_current_timezone()
    return datetime(year, month, 1, tzinfo=tz), datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)


def _no_month(request: HttpRequest) -> HttpResponse:
    return render(request, "common/error.html", {"error": _("No such month.")}, status=404)


def _report(viewer: Principal | None, since: datetime, until: datetime) -> dict[str, Any]:
    """What the monthly report shows, page and PDF alike; raises DomainError outside the viewer's rights."""
    regions_named = {r.iso_code: r.name for r in Region.objects.all()}
    sections, month_totals = [], {}
    for by in ("kind", "victim_role", "region", "facility_kind", "department"):
        rows = totals(violence_counts(viewer, by=by, since=since, until=until))
        month_totals[by] = sum(n for _g, n in rows)
        top = max((n for _g, n in rows), default=0)
        sections.append({"label": _labels()[by], "by": by,
                         "rows": [(_display(by, g, regions_named), n, round(100 * n / top) if top else 0)
                                  for g, n in rows]})
    rates = rates_per_100_staff(viewer, since=since, until=until)
    regions, total = compliance_by_region(compliance_facilities(viewer, now=until))
    return {"since": since, "scope": _scope(viewer), "sections": sections,
            # every incident has one type and each victim one role: their sums are the month's totals
            "incidents": month_totals["kind"], "victims": month_totals["victim_role"],
            "rates": [(regions_named.get(r.region, r.region), r.incidents, r.staff, r.per_100_staff)
                      for r in rates],
            "regions": regions, "total": total}


@login_required
def monthly_report(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The printable monthly report for the Ministry: totals by type, victim role, region, facility kind and
    department, rates per 100 staff, compliance."""
    viewer = principal_for_user(request.user)
    period = _month(year, month)
    if period is None:
        return _no_month(request)
    try:
        context = _report(viewer, *period)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "security/report.html", context)


@login_required
def monthly_report_pdf(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The same report as an A4 PDF, under the same checks as the page."""
    viewer = principal_for_user(request.user)
    period = _month(year, month)
    if period is None:
        return _no_month(request)
    try:
        context = _report(viewer, *period)
    except DomainError as exc:
        return domain_error_page(request, exc)
    response = HttpResponse(report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="violence-report-{year:04d}-{month:02d}.pdf"'
    return response


def _scope(viewer: Principal | None) -> str:
    """Whose facilities the figures cover, in words (the viewer's own scope: the report takes no other)."""
    if viewer is not None and viewer.scope_level == ScopeLevel.FACILITY:
        facility = Facility.objects.filter(pk=viewer.facility_id).first()
        return facility.name if facility else ""
    if viewer is not None and viewer.scope_level == ScopeLevel.REGION:
        region = Region.objects.filter(pk=viewer.region_id).first()
        return region.name if region else ""
    return _("Whole country")


def _display(by: str, value: str, regions_named: dict[str, str]) -> str:
    if by == "kind":
        return str(dict(ViolenceKind.choices).get(value, value))
    if by == "victim_role":
        return str(dict(StaffRole.choices).get(value, value))
    if by == "facility_kind":
        return str(dict(FacilityKind.choices).get(value, value))
    if by == "region":
        return regions_named.get(value, value)
    return value

"""NCCEM's pages: the dispatcher's queue and assets, the national picture (map and list, live) and statistics."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jedel.accounts.policy import principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.common.realtime.selectors import stream_head
from jedel.common.views import domain_error_page
from jedel.geo.selectors import region_list
from jedel.transfers import selectors
from jedel.transfers.clocks import waiting_min
from jedel.transfers.models import Transfer, Urgency
from jedel.transfers.stats import declines_by_facility, stats_csv as stats_text, transfer_stats
from jedel.transfers.stats_chart import stage_chart

MOVING = ("transport_arranged", "departed")


@login_required
def dispatch_page(request: HttpRequest) -> HttpResponse:
    """Requests to route (NCCEM decides, declined), accepted ones waiting for transport, missions under way."""
    viewer = principal_for_user(request.user)
    try:
        rows = selectors.transfer_list(viewer=viewer, open_only=True)
        assets = selectors.asset_list(viewer=viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    now = utcnow()
    groups = {"route": [], "transport": [], "moving": []}  # type: dict[str, list[Any]]
    for t in rows:
        key = ("route" if t.state == "rejected" or (t.state == "requested" and t.destination is None)
               else "transport" if t.state == "accepted" else "moving" if t.state in MOVING else None)
        if key:
            groups[key].append((t, waiting_min(t, now)))
    return render(request, "transfers/dispatch.html", {"groups": groups, "assets": assets})


def _position(t: Transfer, now: Any) -> list[float]:
    """Where a patient under way is now: along the straight line, by the share of the planned time elapsed."""
    o, d = t.origin, t.destination
    if d is None or t.state != "departed" or t.departed_at is None or t.eta is None or t.eta <= t.departed_at:
        return [o.lat, o.lon]
    share = min(1.0, max(0.0, (now - t.departed_at) / (t.eta - t.departed_at)))
    return [o.lat + (d.lat - o.lat) * share, o.lon + (d.lon - o.lon) * share]


def _national_context(request: HttpRequest) -> dict[str, Any]:
    viewer = principal_for_user(request.user)
    region = request.GET.get("region", "")
    urgency = request.GET.get("urgency", "")
    regions = list(region_list())
    region_id = next((r.pk for r in regions if r.iso_code == region), None)
    rows = selectors.transfer_list(viewer=viewer, open_only=True, region_id=region_id)
    if urgency:
        rows = [t for t in rows if t.urgency == urgency]
    now = utcnow()
    moving = [t for t in rows if t.state in MOVING]
    waiting = [t for t in rows if t.state not in MOVING]
    points = [{"id": t.pk, "ref": t.reference, "state": t.state, "urgency": t.urgency, "mode": t.mode,
               "label": t.get_state_display(), "at": _position(t, now),
               "from": [t.origin.lat, t.origin.lon],
               "to": [t.destination.lat, t.destination.lon] if t.destination else None} for t in rows]
    return {"moving": [(t, waiting_min(t, now)) for t in moving], "waiting": [(t, waiting_min(t, now)) for t in waiting],
            "points": points, "regions": regions, "region": region, "urgency": urgency,
            "urgencies": Urgency.choices}


@login_required
def national_page(request: HttpRequest) -> HttpResponse:
    """Patients in motion and waiting requests on a map and in a list, by region and urgency, live."""
    head = stream_head("transfers")  # read before the state: nothing between is lost
    try:
        context = _national_context(request)
    except DomainError as exc:
        return domain_error_page(request, exc)
    if request.GET.get("partial") == "1":
        return render(request, "transfers/partials/national_live.html", context)
    context["config"] = {"head": head, "partialUrl": request.path + "?partial=1&" + request.GET.urlencode(),
                         "boundariesUrl": reverse("board:regions_geojson"),
                         "labels": {"live": _("Live"), "connecting": _("Connecting…"),
                                    "offline": _("Offline: reconnecting")}}
    return render(request, "transfers/national.html", context)


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    """Statistics by region and month, declines per facility, share by air as bars; CSV export."""
    viewer = principal_for_user(request.user)
    try:
        rows = transfer_stats(viewer=viewer)
        chart = stage_chart(transfer_stats(viewer=viewer, by_region=False))
        declines = declines_by_facility(viewer=viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    names = {r.iso_code: r.name for r in region_list(viewer=viewer)}  # people read names; the CSV keeps codes
    named = [(names.get(r.region, r.region), r) for r in rows]
    return render(request, "transfers/stats.html", {"rows": named, "declines": declines, "chart": chart})


@login_required
def stats_csv(request: HttpRequest) -> HttpResponse:
    try:
        text = stats_text(transfer_stats(viewer=principal_for_user(request.user)))
    except DomainError as exc:
        return domain_error_page(request, exc)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transfers-stats.csv"'
    return response

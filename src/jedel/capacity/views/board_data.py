"""JSON for the board's map: region boundaries (static reference data) and the live layer (polled)."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.timezone import localtime

from jedel.accounts.policy import Action, principal_for_user
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.capacity.selectors import status as selectors
from jedel.capacity.selectors.totals import region_totals
from jedel.capacity.templatetags.board_tags import ago
from jedel.geo.selectors import regions_geojson

GEOJSON_CACHE_KEY = "board:regions-geojson"


def _denied(exc: DomainError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


@login_required
def regions_geojson_data(request: HttpRequest) -> HttpResponse:
    """The 20 region boundaries as GeoJSON; cached, with an ETag, because they change only on a data reload."""
    try:
        require(principal_for_user(request.user), Action.VIEW_BOARD)
    except DomainError as exc:
        return _denied(exc)
    cached = cache.get(GEOJSON_CACHE_KEY)
    if cached is None:
        body = json.dumps(regions_geojson(), separators=(",", ":"), ensure_ascii=False)
        cached = (body, hashlib.sha256(body.encode()).hexdigest()[:32])
        cache.set(GEOJSON_CACHE_KEY, cached, 3600)
    body, etag = cached
    if request.headers.get("If-None-Match") == f'"{etag}"':
        return HttpResponse(status=304)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def map_data(request: HttpRequest) -> HttpResponse:
    """Region occupancy and one marker per facility, in the viewer's language (re-read on every poll)."""
    viewer = principal_for_user(request.user)
    try:
        rows = selectors.current_status_list(viewer=viewer, now=utcnow())
    except DomainError as exc:
        return _denied(exc)
    regions = {t.iso: {"name": t.name, "occupancy_pct": t.occupancy_pct, "available": t.all_beds.available,
                       "staffed": t.all_beds.staffed, "facilities": t.facilities, "overdue": t.overdue,
                       "on_diversion": t.on_diversion} for t in region_totals(utcnow())}
    facilities = [{
        "code": r.code, "name": r.name, "lat": round(r.lat, 4), "lon": round(r.lon, 4), "kind": r.kind_label,
        "status": r.marker_status, "ed_status": r.ed_status, "inpatient": r.is_inpatient,
        "available": r.available_total if r.beds else None, "icu": r.icu_available,
        "occupancy_pct": r.occupancy_pct, "minutes_ago": r.minutes_ago, "updated": ago(r.minutes_ago), "synthetic": r.synthetic}
        for r in rows]
    now = utcnow()
    response = JsonResponse({"generated_at": now.isoformat(), "generated_local": localtime(now).strftime("%H:%M:%S"),
                             "regions": regions, "facilities": facilities})
    response["Cache-Control"] = "no-store"
    return response

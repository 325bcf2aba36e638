"""JSON for the board's map: region boundaries (static reference data) and the live layer (polled)."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

from jedel.accounts.policy import principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.capacity.selectors import status as selectors
from jedel.capacity.selectors.status_model import MAP_FIELDS, dumps_json, with_freshness
from jedel.capacity.selectors.totals import region_totals_at, region_totals_cached
from jedel.geo.selectors import regions_geojson

GEOJSON_CACHE_KEY = "board:regions-geojson"
OCCUPANCY_CLASSES = 5


def occupancy_classes(values: list[float], k: int = OCCUPANCY_CLASSES) -> list[float]:
    """Edges of up to `k` quantile classes of the regions' occupancy: [min, break…, max].

    Why quantiles: regional occupancy sits in a narrow band (the 20 demo regions between 76 and 88 %), so the
    fixed clinical bins put every region in one colour; equal-count classes always separate them. A value
    belongs to the class of the highest break not above it; equal breaks collapse, so no class is empty.
    """
    if not values:
        return []
    ordered = sorted(values)
    n = len(ordered)
    edges = [ordered[0]]
    for i in range(1, k):
        candidate = ordered[n * i // k]
        if candidate > edges[-1]:
            edges.append(candidate)
    return [*edges, ordered[-1]]


def _denied(exc: DomainError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


@login_required
def regions_geojson_data(request: HttpRequest) -> HttpResponse:
    """The 20 region boundaries as GeoJSON; cached, with an ETag, because they change only on a data reload."""
    try:
        geojson = regions_geojson(viewer=principal_for_user(request.user))
    except DomainError as exc:
        return _denied(exc)
    cached = cache.get(GEOJSON_CACHE_KEY)
    if cached is None:
        body = json.dumps(geojson, separators=(",", ":"), ensure_ascii=False)
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
    now = utcnow()
    try:
        dumps = selectors.status_dumps(viewer=viewer, query=selectors.StatusQuery())
        totals = region_totals_at(region_totals_cached(viewer=viewer), now)
    except DomainError as exc:
        return _denied(exc)
    regions = {t.iso: {"name": t.name, "occupancy_pct": t.occupancy_pct, "available": t.all_beds.available,
                       "staffed": t.all_beds.staffed, "facilities": t.facilities, "overdue": t.overdue,
                       "on_diversion": t.on_diversion} for t in totals}
    # The status model's own dump, cut to the fields the map draws (MAP_FIELDS): the numbers cannot differ
    # from the API's or the table's.
    facilities = [{k: v for k, v in with_freshness(d, now).items() if k in MAP_FIELDS} for d in dumps]
    classes = occupancy_classes([t.occupancy_pct for t in totals if t.occupancy_pct is not None])
    response = HttpResponse(dumps_json({"regions": regions, "occupancy_classes": classes, "facilities": facilities}),
                            content_type="application/json")
    # Polled: no-cache (not no-store) so the browser revalidates with If-None-Match and gets a 304 when
    # nothing changed (ConditionalGetMiddleware computes the ETag).
    response["Cache-Control"] = "private, no-cache"
    return response

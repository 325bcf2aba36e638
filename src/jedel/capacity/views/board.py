"""The national capacity board: map, national and regional totals, a sortable table, the overdue list.

Live updates are pushed: report_submit stores a `status.changed` event on the "capacity" stream
(capacity/realtime.py) and the page's socket (common/static/common/realtime.js) receives it; the map redraws
the facility at once, and the htmx partials and the map's figures (views/board_data.py) are re-read on the next
tick of JEDEL_BOARD_POLL_SECONDS only if something changed. When the socket is down the same ticks poll
unconditionally, so a board behind a proxy that blocks websockets still works; every poll is revalidated with
an ETag and answered 304 when nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import cache_control
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jedel.accounts.models import Role
from jedel.accounts.policy import Principal, principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.common.realtime.selectors import stream_head
from jedel.capacity.forms import BoardFilterForm
from jedel.capacity.realtime import STREAM
from jedel.capacity.selectors import status as selectors
from jedel.capacity.selectors.totals import national_totals, region_totals_at, region_totals_cached
from jedel.common.views import domain_error_page
from jedel.geo.selectors import region_get, region_list

PAGE_SIZE = 100
ED_RANK = {"closed": 0, "diversion": 1, "overdue": 2, "open": 3, "none": 4}
COLUMNS = (("name", _("Facility")), ("region", _("Region")), ("kind", _("Kind")), ("ed", _("Emergency dept.")),
           ("available", _("Available beds")), ("icu", _("ICU available")), ("occupancy", _("Occupancy")),
           ("ventilators", _("Ventilators free")), ("updated", _("Last update")))
# Figures people look for the most of: the first click on their header sorts descending.
MOST_FIRST = frozenset({"available", "icu", "occupancy", "ventilators"})


def board_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; the view gets the viewer's Principal, and a refusal by a selector becomes the
    refusal page. The permission itself is checked in the selectors the view calls, nowhere here.

    Responses may be kept by the browser but are revalidated on every poll (ETag → 304 when unchanged)."""

    @login_required
    @cache_control(private=True, no_cache=True)
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, principal_for_user(request.user), *args, **kwargs)
        except DomainError as exc:
            return domain_error_page(request, exc)

    return wrapper


def _sort_key(column: str, bed_type: str | None) -> Any:
    def available(r: selectors.StatusRow) -> int | None:
        if bed_type:
            return r.beds[bed_type].available if bed_type in r.beds else None
        return r.available_total if r.beds else None

    return {"name": lambda r: r.name.lower(), "region": lambda r: (r.region_name, r.name.lower()),
            "kind": lambda r: (r.kind_label, r.name.lower()), "ed": lambda r: ED_RANK.get(r.marker_status, 9),
            "available": available, "icu": lambda r: r.icu_available, "occupancy": lambda r: r.occupancy_pct,
            "ventilators": lambda r: r.ventilators_free, "updated": lambda r: r.minutes_ago}[column]


def sort_rows(rows: list[selectors.StatusRow], sort: str, bed_type: str | None) -> list[selectors.StatusRow]:
    """Sort by a column ("-" prefix = descending); rows without the figure always go last."""
    key = _sort_key(sort.lstrip("-"), bed_type)
    known = [r for r in rows if key(r) is not None]
    return sorted(known, key=key, reverse=sort.startswith("-")) + [r for r in rows if key(r) is None]


def _table_context(request: HttpRequest, viewer: Principal) -> dict[str, Any]:
    form = BoardFilterForm(request.GET, regions=[(r.iso_code, r.name) for r in region_list(viewer=viewer).defer("boundary")])
    form.is_valid()  # invalid fields are shown on the form and ignored; the valid ones still filter
    f = form.cleaned_data
    bed_type, sort = f.get("bed_type") or None, f.get("sort") or "region"
    rows = selectors.current_status_list(
        viewer=viewer, now=utcnow(), region_iso=f.get("region") or None, kind=f.get("kind") or None,
        capability=f.get("capability") or None, bed_type=bed_type, min_available=f.get("min_available"),
        overdue_only=bool(f.get("overdue")))
    page = Paginator(sort_rows(rows, sort, bed_type), PAGE_SIZE).get_page(f.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    headers = []
    for key, label in COLUMNS:
        first = f"-{key}" if key in MOST_FIRST else key
        query["sort"] = (key if sort == f"-{key}" else f"-{key}") if sort.lstrip("-") == key else first
        headers.append({"key": key, "label": label, "query": query.urlencode(),
                        "order": "asc" if sort == key else "desc" if sort == f"-{key}" else ""})
    query["sort"] = sort
    base_query = query.urlencode()
    if page.number > 1:
        query["page"] = str(page.number)
    return {"form": form, "page": page, "rows": page.object_list, "headers": headers, "sort": sort,
            "bed_type": bed_type, "count": len(rows), "base_query": base_query, "page_query": query.urlencode(),
            "table_url": f"{reverse('board:table')}?{request.GET.urlencode()}"}


def _totals_context(viewer: Principal) -> dict[str, Any]:
    regions = region_totals_at(region_totals_cached(viewer=viewer), utcnow())
    national = national_totals(utcnow(), regions=regions)
    icu = sum(national.beds[bt].available for bt in selectors.ICU_BED_TYPES if bt in national.beds)
    return {"regions": regions, "national": national, "icu_available": icu}


def _overdue_context(viewer: Principal) -> dict[str, Any]:
    if viewer.role != Role.REGIONAL_COORDINATOR or viewer.region_id is None:
        return {"overdue_rows": None}
    return {"overdue_rows": selectors.overdue_list(viewer.region_id, utcnow(), viewer=viewer)}


@board_view
def board_page(request: HttpRequest, viewer: Principal) -> HttpResponse:
    """The whole board; its parts refresh themselves through the partials below."""
    # The stream's head is read before the state, so replaying from it can repeat a change but never miss one.
    after = stream_head(STREAM)
    context = {**_table_context(request, viewer), **_totals_context(viewer), **_overdue_context(viewer),
               "board_config": {**_map_config(), "stream": STREAM, "after": after}}
    return render(request, "capacity/board.html", context)


def _map_config() -> dict[str, Any]:
    """What board.js needs: endpoints, the refresh clock, the optional basemap and its translated strings."""
    return {
        "dataUrl": reverse("board:map_data"), "geojsonUrl": reverse("board:regions_geojson"),
        "regionUrl": reverse("board:region", args=["__ISO__"]),
        "facilityUrl": reverse("facilities:detail", args=["__CODE__"]), "pollSeconds": settings.JEDEL_BOARD_POLL_SECONDS,
        "tileUrl": settings.JEDEL_TILE_URL, "tileAttribution": settings.JEDEL_TILE_ATTRIBUTION,
        "lang": (get_language() or "en")[:2],
        "timeZone": settings.TIME_ZONE,  # the page says "times are Almaty time", the map's stamp too
        "i18n": {k: str(v) for k, v in {
            "occupancy": _("Occupancy"), "available": _("Available beds"), "icu": _("ICU available"),
            "facilities": _("Facilities"), "overdue": _("Overdue"), "onDiversion": _("On diversion"),
            "open": _("Open"), "diversion": _("On diversion"), "closed": _("Closed"), "noData": _("No data"),
            "none": _("Not reporting (no beds)"), "synthetic": _("Synthetic demo data"), "details": _("Full status and history"),
            "updated": _("Updated"), "legendRegions": _("Bed occupancy"), "legendFacilities": _("Emergency dept."),
            "boundaries": _("Boundaries © OpenStreetMap contributors (ODbL)"), "mapUpdated": _("Map updated"),
            "neverReported": _("never reported"), "live": _("Live"), "offline": _("Reconnecting…"),
            "connecting": _("Connecting…"), "legend": _("Legend"), "wholeCountry": _("Whole country"),
            "legendClasses": _("Each colour holds about a fifth of the regions."),
            "cluster": _("Several facilities: click to zoom in"),
        }.items()},
    }


@board_view
def board_table_partial(request: HttpRequest, viewer: Principal) -> HttpResponse:
    """The filtered, sorted facility table (polled; also the target of filter and sort changes)."""
    context = _table_context(request, viewer)
    response = render(request, "capacity/partials/board_table.html", {**context, "oob": True})
    if request.headers.get("HX-Request") and request.headers.get("HX-Trigger") != "board-table":
        # Keep the address bar on the board page with the same filters, sort and page, so a reload, a shared
        # link or the Back button shows the same table.
        response["HX-Push-Url"] = f"{reverse('board:board')}?{context['page_query']}"
    return response


@board_view
def board_totals_partial(request: HttpRequest, viewer: Principal) -> HttpResponse:
    """National figures strip and per-region totals (polled)."""
    return render(request, "capacity/partials/board_totals.html", _totals_context(viewer))


@board_view
def board_regions_partial(request: HttpRequest, viewer: Principal) -> HttpResponse:
    """Totals per region and per bed type nationally (polled)."""
    return render(request, "capacity/partials/board_regions.html", _totals_context(viewer))


@board_view
def region_facilities_partial(request: HttpRequest, viewer: Principal, iso: str) -> HttpResponse:
    """The facilities of one region, shown when its shape is clicked on the map; 404 for an unknown code."""
    try:
        region_get(iso_code=iso)
    except ObjectDoesNotExist as exc:
        raise Http404(iso) from exc
    rows = sort_rows(selectors.current_status_list(viewer=viewer, now=utcnow(), region_iso=iso), "name", None)
    totals = next((t for t in _totals_context(viewer)["regions"] if t.iso == iso), None)
    return render(request, "capacity/partials/region_facilities.html", {"rows": rows, "totals": totals})


@board_view
def overdue_partial(request: HttpRequest, viewer: Principal) -> HttpResponse:
    """The regional coordinator's list of facilities that have not reported in time (polled)."""
    return render(request, "capacity/partials/overdue_list.html", _overdue_context(viewer))


def about_page(request: HttpRequest) -> HttpResponse:
    """What Jedel is, whose data it shows and under which licences."""
    return render(request, "capacity/about.html")

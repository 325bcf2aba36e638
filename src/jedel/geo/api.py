"""Reference geography endpoints (read-only, for everyone signed in)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jedel.geo import selectors
from jedel.geo.schemas import RegionOut, TownOut

router = Router(tags=["geography"])


@router.get("/regions", response=list[RegionOut])
def list_regions(request: HttpRequest) -> Any:
    return selectors.region_list(viewer=request.auth)  # type: ignore[attr-defined]


@router.get("/regions/{iso_code}/boundary", response=dict[str, Any])
def get_region_boundary(request: HttpRequest, iso_code: str) -> Any:
    return selectors.region_boundary(iso_code=iso_code, viewer=request.auth)  # type: ignore[attr-defined]


@router.get("/towns", response=list[TownOut])
def list_towns(request: HttpRequest, region: str | None = None) -> Any:
    towns = selectors.town_list(region_iso=region, viewer=request.auth)  # type: ignore[attr-defined]
    return [TownOut(geonameid=t.geonameid, name=t.name, lat=t.lat, lon=t.lon, population=t.population,
                    region_iso=t.region.iso_code) for t in towns]

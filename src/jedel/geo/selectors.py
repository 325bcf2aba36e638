"""Reads of reference geography. A read for a person passes `viewer`; the policy is asked here."""

from __future__ import annotations

from django.db.models import QuerySet

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.geo.models import Region, Town
from jedel.geo.permissions import VIEW_GEOGRAPHY


def _check(viewer: Principal | None) -> None:
    if viewer is not None:
        require(viewer, VIEW_GEOGRAPHY)


def region_list(*, viewer: Principal | None = None) -> QuerySet[Region]:
    """All first-level units, by ISO code."""
    _check(viewer)
    return Region.objects.order_by("iso_code")


def region_get(*, iso_code: str) -> Region:
    """One unit by ISO 3166-2 code; raises Region.DoesNotExist."""
    return Region.objects.get(iso_code=iso_code)


def town_list(*, region_iso: str | None = None, viewer: Principal | None = None) -> QuerySet[Town]:
    """Towns, largest first, optionally in one region."""
    _check(viewer)
    qs = Town.objects.select_related("region")
    return qs.filter(region__iso_code=region_iso) if region_iso else qs


def region_boundary(*, iso_code: str, viewer: Principal | None = None) -> dict[str, object]:
    """A region's boundary as a GeoJSON Feature; NotFound if the code is unknown."""
    _check(viewer)
    from jedel.common.errors import NotFound
    from jedel.geo.errors import GeoError

    region = Region.objects.filter(iso_code=iso_code).first()
    if region is None:
        raise NotFound(GeoError.UNKNOWN_REGION, field="iso_code")
    return {"type": "Feature", "geometry": region.boundary,
            "properties": {"iso_code": region.iso_code, "name": region.name}}


def regions_geojson(*, viewer: Principal | None = None) -> dict[str, object]:
    """All boundaries as one FeatureCollection (drawn by the board without any tile server)."""
    _check(viewer)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": r.boundary,
         "properties": {"iso_code": r.iso_code, "name_en": r.name_en, "name_kk": r.name_kk, "name_ru": r.name_ru}}
        for r in region_list()]}

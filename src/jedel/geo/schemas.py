"""API schemas of reference geography."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class RegionOut(Schema):
    iso_code: str
    kato: str
    kind: str
    name_en: str
    name_kk: str
    name_ru: str
    admin_center_name: str
    population: int | None
    population_date: date | None
    population_source: str
    area_km2: float


class TownOut(Schema):
    geonameid: int
    name: str
    lat: float
    lon: float
    population: int | None
    region_iso: str

"""Loading the shipped reference geography, idempotently."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from django.db import transaction

from jedel.geo.models import Region, Town

DATA_PACKAGE = "jedel.geo.data"


@dataclass(frozen=True)
class LoadResult:
    regions: int
    towns: int


def _rows(filename: str) -> Iterator[dict[str, str]]:
    with resources.files(DATA_PACKAGE).joinpath(filename).open(encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _boundaries() -> dict[str, Any]:
    text = resources.files(DATA_PACKAGE).joinpath("kz_adm1_boundaries.geojson").read_text(encoding="utf-8")
    return {f["properties"]["iso_3166_2"]: f["geometry"] for f in json.loads(text)["features"]}


def _population(row: dict[str, str], updates: dict[str, dict[str, str]]) -> tuple[int | None, date | None, str]:
    """The newest official figure: kz_adm1.csv, else the 'latest_found' update; else unknown (None)."""
    if row["population"]:
        return int(row["population"]), date.fromisoformat(row["population_date"]), row["population_source"]
    upd = updates.get(row["iso_3166_2"])
    if upd:
        return int(upd["population"]), date.fromisoformat(upd["date"]), upd["source"]
    return None, None, ""


@transaction.atomic
def reference_geography_load() -> LoadResult:
    """Create or update the 20 units and 351 towns from the shipped files. Safe to run repeatedly."""
    boundaries = _boundaries()
    updates = {r["iso_3166_2"]: r for r in _rows("kz_population_update.csv") if r["series"] == "latest_found"}
    regions: dict[str, Region] = {}
    for row in _rows("kz_adm1.csv"):
        population, pop_date, pop_source = _population(row, updates)
        region, _ = Region.objects.update_or_create(
            iso_code=row["iso_3166_2"],
            defaults={
                "iso_code_legacy": row["iso_3166_2_legacy"], "kato": row["kato"], "kind": row["type"],
                "name_en": row["name_en"], "name_kk": row["name_kk"], "name_ru": row["name_ru"],
                "admin_center_name": row["admin_center_en"],
                "admin_center_lat": float(row["admin_center_lat"]),
                "admin_center_lon": float(row["admin_center_lon"]),
                "population": population, "population_date": pop_date, "population_source": pop_source,
                "area_km2": float(row["area_km2"]), "boundary": boundaries[row["iso_3166_2"]],
            },
        )
        regions[region.iso_code] = region
    towns = 0
    for row in _rows("kz_cities_geonames.csv"):
        Town.objects.update_or_create(
            geonameid=int(row["geonameid"]),
            defaults={
                "name": row["name"], "names_cyrillic": row["names_cyrillic"],
                "lat": float(row["lat"]), "lon": float(row["lon"]),
                "population": int(row["population"]) or None, "timezone": row["timezone"],
                "region": regions[row["iso_3166_2"]],
            },
        )
        towns += 1
    return LoadResult(regions=len(regions), towns=towns)

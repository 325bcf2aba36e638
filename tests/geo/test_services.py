"""Reference geography: exact counts, codes, names, and populations that are unknown stay unknown."""

from __future__ import annotations

from datetime import date

import pytest

from jedel.geo.models import Region, Town
from jedel.geo.services import reference_geography_load


@pytest.mark.django_db
def test_load_is_idempotent_and_complete():
    first = reference_geography_load()
    second = reference_geography_load()
    assert (first.regions, first.towns) == (second.regions, second.towns) == (20, 351)
    assert Region.objects.count() == 20 and Town.objects.count() == 351
    assert Region.objects.filter(kind="city").count() == 3
    assert Region.objects.filter(kind="region").count() == 17


@pytest.mark.django_db
def test_almaty_city_fields(kz):
    almaty = kz["KZ-75"]
    assert (almaty.kato, almaty.name_kk, almaty.name_ru, almaty.kind) == ("750000000", "Алматы", "Алматы", "city")
    assert almaty.population_date == date(2026, 1, 1)
    assert almaty.boundary["type"] in {"Polygon", "MultiPolygon"}


@pytest.mark.django_db
def test_missing_2026_populations_use_latest_official_figure_with_its_date(kz):
    akmola = kz["KZ-11"]
    assert (akmola.population, akmola.population_date) == (787971, date(2023, 1, 1))
    assert "Bureau of National Statistics" in akmola.population_source


@pytest.mark.django_db
def test_towns_take_the_point_in_polygon_region_and_unknown_population_is_null(kz):
    urzhar = Town.objects.get(name="Urzhar")
    assert urzhar.region.iso_code == "KZ-10"  # Abai, not East Kazakhstan as GeoNames' admin1 says
    assert Town.objects.get(name="Almaty").population == 1977011
    assert not Town.objects.filter(population=0).exists()

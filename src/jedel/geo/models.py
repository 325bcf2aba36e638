"""Kazakhstan's 20 first-level units and its towns (reference data, loaded from the shipped files)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jedel.common.models import TrilingualNameModel


class Region(TrilingualNameModel):
    """A first-level unit: one of 17 regions (oblys) or the cities Astana, Almaty, Shymkent."""

    class Kind(models.TextChoices):
        REGION = "region", pgettext_lazy("region kind", "Region")
        CITY = "city", _("City of republican significance")

    iso_code = models.CharField(max_length=8, unique=True, help_text="ISO 3166-2, e.g. KZ-75")
    iso_code_legacy = models.CharField(max_length=8, blank=True)
    kato = models.CharField(max_length=9, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    admin_center_name = models.CharField(max_length=100)
    admin_center_lat = models.FloatField()
    admin_center_lon = models.FloatField()
    # Unknown populations stay NULL and are shown as unknown: never invented.
    population = models.PositiveIntegerField(null=True, blank=True)
    population_date = models.DateField(null=True, blank=True)
    population_source = models.TextField(blank=True)
    area_km2 = models.FloatField()
    boundary = models.JSONField(help_text="GeoJSON geometry (WGS84, lon/lat), simplified ~500 m")

    class Meta:
        ordering = ["iso_code"]


class Town(models.Model):
    """A populated place from GeoNames (CC BY 4.0)."""

    geonameid = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    names_cyrillic = models.TextField(blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    population = models.PositiveIntegerField(null=True, blank=True)
    timezone = models.CharField(max_length=40)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="towns")

    class Meta:
        ordering = ["-population", "name"]

    def __str__(self) -> str:
        return self.name

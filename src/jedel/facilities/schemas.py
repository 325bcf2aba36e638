"""API schemas of the facility registry.

Values are checked by the registry rules in the service (one answer for API, CSV and FHIR), so inputs are
plain types here and a bad value comes back with its specific error code.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from jedel.facilities.models import Facility
from jedel.facilities.services.registry_rules import FacilitySpec


class FacilityIn(Schema):
    code: str = Field(max_length=32, description="1–32 letters, digits, '.', '_' or '-'")
    name_en: str
    name_kk: str = ""
    name_ru: str = ""
    kind: str = Field(description="FacilityKind value, e.g. city_hospital")
    ownership: str = "public"
    region_iso: str = Field(description="ISO 3166-2, e.g. KZ-75")
    town_geonameid: int | None = None
    lat: float
    lon: float
    trauma_level: int | None = Field(None, description="1 (highest) to 3")
    capabilities: list[str] = Field(default_factory=list, description="Capability values, e.g. ct, helipad")
    reporting_interval_min: int = 240
    synthetic: bool = False

    def to_spec(self) -> FacilitySpec:
        """The registry's record shape."""
        return FacilitySpec(**{**self.model_dump(), "capabilities": tuple(self.capabilities)})


class FacilityPatch(Schema):
    version: int = Field(description="the version you read; a stale one is rejected with 409 stale_version")
    name_en: str | None = None
    name_kk: str | None = None
    name_ru: str | None = None
    kind: str | None = None
    ownership: str | None = None
    region_iso: str | None = None
    town_geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    trauma_level: int | None = None
    capabilities: list[str] | None = None
    reporting_interval_min: int | None = None
    synthetic: bool | None = None

    def changes(self) -> dict[str, Any]:
        """Only the fields the caller sent (the service rejects null where a field needs a value)."""
        sent = self.model_dump(exclude_unset=True, exclude={"version"})
        if isinstance(sent.get("capabilities"), list):
            sent["capabilities"] = tuple(sent["capabilities"])
        return sent


class FacilityOut(Schema):
    code: str
    name: str
    name_en: str
    name_kk: str
    name_ru: str
    kind: str
    ownership: str
    region_iso: str
    town_geonameid: int | None
    lat: float
    lon: float
    trauma_level: int | None
    capabilities: list[str]
    reporting_interval_min: int
    active: bool
    synthetic: bool
    version: int

    @staticmethod
    def resolve_region_iso(obj: Facility) -> str:
        return obj.region.iso_code

    @staticmethod
    def resolve_town_geonameid(obj: Facility) -> int | None:
        return obj.town.geonameid if obj.town_id else None


class ReferralIn(Schema):
    target: str = Field(description="code of the facility patients are referred to")
    specialty: str


class ReferralOut(Schema):
    source: str
    target: str
    specialty: str
    direction: str = Field(description="out: this facility refers; in: it receives")


class NodeOut(Schema):
    code: str
    name: str
    kind: str
    region_iso: str
    lat: float
    lon: float
    trauma_level: int | None


class EdgeOut(Schema):
    source: str
    target: str
    specialty: str


class NetworkOut(Schema):
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class ImportOut(Schema):
    format: str
    created: int
    updated: int
    unchanged: int
    dry_run: bool

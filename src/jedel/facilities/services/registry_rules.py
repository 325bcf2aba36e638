"""The registry's record shape (`FacilitySpec`) and the rules every path checks it against.

The API, the CSV and FHIR imports and the demo all build a FacilitySpec, so one set of rules decides what a
valid facility is, and each path only translates the problems into its own locations (field, line, entry).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from jedel.facilities.errors import FacilityError
from jedel.facilities.models import Capability, Facility, FacilityKind, Ownership
from jedel.geo.models import Region, Town

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
LAT_RANGE = (40.0, 56.0)
LON_RANGE = (46.0, 88.0)
INTERVAL_RANGE = (5, 10080)
NAME_MAX = 200
COORD_DECIMALS = 6  # ~0.1 m: more digits are noise, and rounding makes export → import → export exact
CAPABILITY_ORDER = [c.value for c in Capability]


@dataclass(frozen=True)
class FacilitySpec:
    """One facility as the outside world describes it (codes instead of database ids)."""

    code: str
    name_en: str
    kind: str
    region_iso: str
    lat: float
    lon: float
    name_kk: str = ""
    name_ru: str = ""
    ownership: str = Ownership.PUBLIC.value
    town_geonameid: int | None = None
    trauma_level: int | None = None
    capabilities: tuple[str, ...] = ()
    reporting_interval_min: int = 240
    synthetic: bool = False


SPEC_FIELDS = tuple(f.name for f in fields(FacilitySpec))
NULLABLE_FIELDS = frozenset({"town_geonameid", "trauma_level"})
# Fields stored one-to-one on Facility; region, town and capabilities are translated.
_PLAIN_FIELDS = ("name_en", "name_kk", "name_ru", "kind", "ownership", "lat", "lon", "trauma_level",
                 "reporting_interval_min", "synthetic")


class Problem(NamedTuple):
    """One broken rule: the spec field, the error code and a human message."""

    field: str
    code: FacilityError
    message: str


class Reference(NamedTuple):
    """Reference data the rules need, loaded once per batch."""

    regions: dict[str, Region]
    towns: dict[int, Town]


def reference_load() -> Reference:
    """Regions by ISO code and towns by GeoNames id."""
    return Reference(regions={r.iso_code: r for r in Region.objects.all()},
                     towns={t.geonameid: t for t in Town.objects.all()})


def canonical(spec: FacilitySpec) -> FacilitySpec:
    """The stored form: rounded coordinates, capabilities deduplicated in the documented order."""
    caps = tuple(c for c in CAPABILITY_ORDER if c in set(spec.capabilities))
    unknown = tuple(sorted({c for c in spec.capabilities if c not in CAPABILITY_ORDER}))
    lat = round(spec.lat, COORD_DECIMALS) if math.isfinite(spec.lat) else spec.lat
    lon = round(spec.lon, COORD_DECIMALS) if math.isfinite(spec.lon) else spec.lon
    return replace(spec, capabilities=caps + unknown, lat=lat, lon=lon)


def _between(value: float, bounds: tuple[float, float]) -> bool:
    return math.isfinite(value) and bounds[0] <= value <= bounds[1]


def spec_problems(spec: FacilitySpec, ref: Reference) -> list[Problem]:
    """Every rule `spec` breaks (empty when valid); needs no database beyond `ref`."""
    out: list[Problem] = []

    def add(field: str, code: FacilityError, message: str) -> None:
        out.append(Problem(field, code, message))

    if not spec.code:
        add("code", FacilityError.REQUIRED, _("required"))
    elif not CODE_RE.match(spec.code):
        add("code", FacilityError.BAD_CODE,
            _("must be 1–32 letters, digits, '.', '_' or '-', starting with a letter or digit"))
    if not spec.name_en.strip():
        add("name_en", FacilityError.REQUIRED, _("required"))
    for name in ("name_en", "name_kk", "name_ru"):
        if len(getattr(spec, name)) > NAME_MAX:
            add(name, FacilityError.BAD_VALUE, _("at most %(n)d characters") % {"n": NAME_MAX})
        elif "\x00" in getattr(spec, name):  # PostgreSQL cannot store NUL in text
            add(name, FacilityError.BAD_VALUE, _("must not contain NUL characters"))
    if spec.kind not in FacilityKind.values:
        add("kind", FacilityError.UNKNOWN_KIND, _("unknown kind %(v)r; one of: %(all)s")
            % {"v": spec.kind, "all": ", ".join(FacilityKind.values)})
    if spec.ownership not in Ownership.values:
        add("ownership", FacilityError.UNKNOWN_OWNERSHIP, _("unknown ownership %(v)r; one of: %(all)s")
            % {"v": spec.ownership, "all": ", ".join(Ownership.values)})
    region = ref.regions.get(spec.region_iso)
    if region is None:
        add("region_iso", FacilityError.UNKNOWN_REGION,
            _("unknown region %(v)r (ISO 3166-2, e.g. KZ-75)") % {"v": spec.region_iso})
    town = ref.towns.get(spec.town_geonameid) if spec.town_geonameid is not None else None
    if spec.town_geonameid is not None and town is None:
        add("town_geonameid", FacilityError.UNKNOWN_TOWN,
            _("unknown GeoNames id %(v)s") % {"v": spec.town_geonameid})
    elif town is not None and region is not None and town.region_id != region.pk:
        add("town_geonameid", FacilityError.TOWN_NOT_IN_REGION,
            _("%(town)s is not in %(region)s") % {"town": town.name, "region": spec.region_iso})
    for name, bounds in (("lat", LAT_RANGE), ("lon", LON_RANGE)):
        if not _between(getattr(spec, name), bounds):
            add(name, FacilityError.BAD_VALUE,
                _("must be between %(lo)g and %(hi)g") % {"lo": bounds[0], "hi": bounds[1]})
    if spec.trauma_level is not None and spec.trauma_level not in (1, 2, 3):
        add("trauma_level", FacilityError.BAD_VALUE, _("must be 1, 2, 3 or empty"))
    unknown = [c for c in spec.capabilities if c not in CAPABILITY_ORDER]
    if unknown:
        add("capabilities", FacilityError.UNKNOWN_CAPABILITY, _("unknown %(v)s; known: %(all)s")
            % {"v": ", ".join(unknown), "all": ", ".join(CAPABILITY_ORDER)})
    if not INTERVAL_RANGE[0] <= spec.reporting_interval_min <= INTERVAL_RANGE[1]:
        add("reporting_interval_min", FacilityError.BAD_VALUE, _("must be between %(lo)d and %(hi)d minutes")
            % {"lo": INTERVAL_RANGE[0], "hi": INTERVAL_RANGE[1]})
    return out


def spec_from_facility(f: Facility) -> FacilitySpec:
    """The spec of a stored facility (expects region and town selected)."""
    return FacilitySpec(
        code=f.code, name_en=f.name_en, name_kk=f.name_kk, name_ru=f.name_ru, kind=f.kind,
        ownership=f.ownership, region_iso=f.region.iso_code,
        town_geonameid=f.town.geonameid if f.town_id else None, lat=f.lat, lon=f.lon,
        trauma_level=f.trauma_level, capabilities=tuple(f.capabilities),
        reporting_interval_min=f.reporting_interval_min, synthetic=f.synthetic)


def spec_apply(f: Facility, spec: FacilitySpec, ref: Reference) -> None:
    """Copy a valid spec onto a (new or existing) facility without saving."""
    f.code = spec.code
    for name in _PLAIN_FIELDS:
        setattr(f, name, getattr(spec, name))
    f.region = ref.regions[spec.region_iso]
    f.town = ref.towns[spec.town_geonameid] if spec.town_geonameid is not None else None
    for cap in CAPABILITY_ORDER:
        setattr(f, f"has_{cap}", cap in spec.capabilities)


def spec_diff(old: FacilitySpec | None, new: FacilitySpec) -> dict[str, Any]:
    """Field-level changes for the audit trail: {field: [old, new]} (all fields when creating)."""
    out: dict[str, Any] = {}
    for name in SPEC_FIELDS:
        before = getattr(old, name) if old is not None else None
        after = getattr(new, name)
        if before != after:
            out[name] = [list(before) if isinstance(before, tuple) else before,
                         list(after) if isinstance(after, tuple) else after]
    return out

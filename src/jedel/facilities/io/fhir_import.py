"""Import of FHIR R4 Bundles of Location (+ Organization) resources: Jedel's own export and ordinary foreign
bundles.

Read from every Location entry (validated with fhir.resources R4B; other resource types are an error):

- code: the identifier in Jedel's facility system (today's `{base}/sid/facility-code` or an earlier one);
  failing that, the first identifier of another system whose value is a valid facility code — kept as the
  code, so re-importing the same foreign bundle updates the same facilities rather than adding new ones
- kind: Jedel's facility-kind coding, else the v3-RoleCode facility type (ROLE_KINDS: HOSP → city hospital,
  BURN → burns centre, …; unit codes such as ER or ICU say the place is a hospital)
- region: address.state as an ISO 3166-2 code or a region's name (English, Russian or Kazakh)
- managingOrganization: an absolute fullUrl, or a relative reference `Organization/<id>` resolved within the
  Bundle (by the entry's resource id or a fullUrl ending in it); optional, but when given it must resolve
- everything else as fhir_bundle.py writes it; what a foreign bundle lacks takes the registry defaults
  (ownership public, reporting every 240 min)

Errors name the entry index (0-based, as `Bundle.entry[i]`) and the field.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.organization import Organization
from pydantic import ValidationError

from jedel.accounts.policy import Principal
from jedel.facilities.errors import FacilityError
from jedel.facilities.io import ImportFailed, ImportIssue, ParsedItem, decode, facilities_import_run
from jedel.facilities.io.fhir_bundle import (
    ROLE_CODE_CS,
    SYNTHETIC_TAG,
    TRANSLATION_EXT,
    capability_cs,
    geonames_ext,
    interval_ext,
    kind_cs,
    ownership_cs,
    trauma_cs,
)
from jedel.facilities.io.fhir_ids import facility_system, is_facility_system
from jedel.facilities.services.registry import UpsertResult
from jedel.facilities.services.registry_rules import FacilitySpec
from jedel.geo.models import Region

_LEGACY_CS = "https://jedel.kz/fhir/CodeSystem/"  # what exports before the configurable base wrote
_CODE = re.compile(r"[A-Za-z0-9._-]{1,32}")
# v3-RoleCode (ServiceDeliveryLocationRoleType) → registry kind. A unit code (ER, ICU, HU) on a Location says
# the place is a hospital; a specialised code wins over a general one.
ROLE_KINDS: dict[str, str] = {
    "HOSP": "city_hospital", "GACH": "city_hospital", "MHSP": "city_hospital", "RH": "city_hospital",
    "CHR": "city_hospital", "HU": "city_hospital", "ER": "city_hospital", "ICU": "city_hospital",
    "ETU": "trauma", "BURN": "burns", "PEDU": "childrens", "PEDICU": "childrens", "PEDC": "childrens",
    "PSYCHF": "psychiatric", "PSY": "psychiatric", "INFD": "infectious", "OF": "polyclinic",
    "PC": "polyclinic", "AMB": "ambulance_station",
}
_GENERAL = "city_hospital"
FIELD_NAMES = {
    "code": "Location.identifier", "name_en": "Location.name", "name_kk": "Location.name.translation(kk)",
    "name_ru": "Location.name.translation(ru)", "kind": "Location.type(facility-kind)",
    "ownership": "Organization.type(facility-ownership)", "region_iso": "Location.address.state",
    "town_geonameid": "Location.address.extension(geonames-id)", "lat": "Location.position.latitude",
    "lon": "Location.position.longitude", "trauma_level": "Location.type(trauma-level)",
    "capabilities": "Location.type(facility-capability)",
    "reporting_interval_min": "Location.extension(reporting-interval)", "synthetic": "Location.meta.tag",
}


def _doc_issue(message: str, field: str = "bundle") -> ImportFailed:
    return ImportFailed([ImportIssue("document", 0, field, FacilityError.FHIR_INVALID, message)])


def _path(loc: tuple[Any, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")


def _validation_issues(exc: ValidationError, raw: dict[str, Any]) -> list[ImportIssue]:
    """pydantic errors as issues: `entry 3: Location.position.latitude: …`, or document-level ones."""
    issues = []
    entries: list[Any] = raw["entry"] if isinstance(raw.get("entry"), list) else []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if len(loc) >= 2 and loc[0] == "entry" and isinstance(loc[1], int):
            entry = entries[loc[1]] if loc[1] < len(entries) else {}
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if len(loc) >= 3 and loc[2] == "resource":
                rtype = resource.get("resourceType", "resource") if isinstance(resource, dict) else "resource"
                field = _path((rtype, *loc[3:]))
            else:
                field = _path(("entry", *loc[2:]))
            issues.append(ImportIssue("entry", loc[1], field, FacilityError.BAD_ENTRY, err["msg"]))
        else:
            issues.append(ImportIssue("document", 0, _path(loc) or "bundle", FacilityError.FHIR_INVALID,
                                      err["msg"]))
    return issues


def _codes(resource: Any, name: str) -> list[str]:
    """Codes of one of Jedel's CodeSystems on a resource's type, under today's base or the earlier one."""
    systems = {codesystem_url_of(name), _LEGACY_CS + name}
    return [c.code for cc in resource.type or [] for c in cc.coding or [] if c.system in systems and c.code]


def codesystem_url_of(name: str) -> str:
    return {"facility-kind": kind_cs, "facility-capability": capability_cs, "trauma-level": trauma_cs,
            "facility-ownership": ownership_cs}[name]()


def _ext(extensions: Any, *urls: str) -> Any:
    return next((e for e in extensions or [] if e.url in urls), None)


def _translation(resource: Any, lang: str) -> str:
    holder = resource.name__ext
    for ext in (holder.extension if holder is not None else None) or []:
        code, content = _ext(ext.extension, "lang"), _ext(ext.extension, "content")
        if ext.url == TRANSLATION_EXT and code is not None and code.valueCode == lang and content is not None:
            return str(content.valueString or "")
    return ""


def _code(loc: Location) -> str | None:
    idents = [i for i in loc.identifier or [] if i.value]
    own = next((i.value for i in idents if is_facility_system(i.system)), None)
    return own or next((i.value for i in idents if _CODE.fullmatch(i.value or "")), None)


def _kind(loc: Location) -> list[str]:
    own = _codes(loc, "facility-kind")
    if own:
        return own
    roles = [ROLE_KINDS.get(c.code or "") for cc in loc.type or [] for c in cc.coding or [] if c.system == ROLE_CODE_CS]
    kinds = sorted({k for k in roles if k}, key=lambda k: k == _GENERAL)  # the specialised kind first
    return kinds[:1]


def _region(state: str | None, regions: dict[str, str]) -> str:
    text = (state or "").strip()
    return regions.get(text.casefold(), text)


def _organization(ref: str | None, orgs: dict[str, Organization]) -> Organization | None:
    if not ref:
        return None
    if ref in orgs:
        return orgs[ref]
    parts = ref.rsplit("/", 2)  # an absolute URL "…/Organization/x" also names the entry Organization/x
    return orgs.get("/".join(parts[-2:])) if len(parts) >= 2 else None


def _spec(index: int, loc: Location, orgs: dict[str, Organization], regions: dict[str, str],
          issues: list[ImportIssue]) -> FacilitySpec | None:
    def bad(field: str, message: str) -> None:
        issues.append(ImportIssue("entry", index, field, FacilityError.BAD_ENTRY, message))

    before = len(issues)
    code = _code(loc)
    if code is None:
        bad(FIELD_NAMES["code"], _("needs an identifier with system %(s)s, or another system's identifier that "
                                   "is a valid facility code") % {"s": facility_system()})
    kinds = _kind(loc)
    if len(kinds) != 1:
        bad(FIELD_NAMES["kind"], _("needs exactly one coding from %(s)s or a v3-RoleCode facility type (%(codes)s)")
            % {"s": kind_cs(), "codes": ", ".join(sorted(ROLE_KINDS))})
    position = loc.position
    if position is None or position.latitude is None or position.longitude is None:
        bad("Location.position", _("needs latitude and longitude"))
    if not loc.name:
        bad("Location.name", _("required"))
    ref = loc.managingOrganization.reference if loc.managingOrganization else None
    org = _organization(ref, orgs)
    if ref and org is None:
        bad("Location.managingOrganization", _("must refer to an Organization entry of this Bundle"))
    trauma = _codes(loc, "trauma-level")
    if trauma and not trauma[0].isdigit():
        bad(FIELD_NAMES["trauma_level"], _("must be 1, 2 or 3"))
    interval = _ext(loc.extension, interval_ext(), _LEGACY_CS.replace("CodeSystem/", "StructureDefinition/")
                    + "reporting-interval")
    minutes = interval.valueDuration.value if interval is not None and interval.valueDuration else None
    if interval is not None and minutes is None:
        bad(FIELD_NAMES["reporting_interval_min"], _("needs valueDuration.value in minutes"))
    if len(issues) > before or position is None:
        return None
    geo = _ext(loc.address.extension if loc.address else None, geonames_ext(),
               _LEGACY_CS.replace("CodeSystem/", "StructureDefinition/") + "geonames-id")
    ownership = _codes(org, "facility-ownership") if org is not None else []
    tags = loc.meta.tag if loc.meta and loc.meta.tag else []
    return FacilitySpec(
        code=code or "", name_en=loc.name or "", name_kk=_translation(loc, "kk"), name_ru=_translation(loc, "ru"),
        kind=kinds[0], ownership=ownership[0] if ownership else "public",
        region_iso=_region(loc.address.state if loc.address else None, regions),
        town_geonameid=geo.valueInteger if geo is not None else None,
        lat=float(position.latitude or 0), lon=float(position.longitude or 0),  # both checked above
        trauma_level=int(trauma[0]) if trauma else None, capabilities=tuple(_codes(loc, "facility-capability")),
        reporting_interval_min=int(minutes) if minutes is not None else 240,
        synthetic=any(t.system == SYNTHETIC_TAG["system"] and t.code == "HTEST" for t in tags))


def _organizations(bundle: Bundle) -> dict[str, Organization]:
    """Organization entries by fullUrl and by `Organization/<id>` (relative references resolve to either)."""
    orgs: dict[str, Organization] = {}
    for entry in bundle.entry or []:
        if isinstance(entry.resource, Organization):
            if entry.fullUrl:
                orgs[entry.fullUrl] = entry.resource
                if "/Organization/" in entry.fullUrl:
                    orgs["Organization/" + entry.fullUrl.rsplit("/", 1)[-1]] = entry.resource
            if entry.resource.id:
                orgs.setdefault(f"Organization/{entry.resource.id}", entry.resource)
    return orgs


def _region_names() -> dict[str, str]:
    regions: dict[str, str] = {}
    for iso, *names in Region.objects.values_list("iso_code", "name_en", "name_ru", "name_kk"):
        regions.update({n.casefold(): iso for n in names if n})
    return regions


def facilities_parse_fhir(text: str) -> tuple[list[ParsedItem], list[ImportIssue]]:
    """Parse and FHIR-validate a Bundle into specs (no registry rules; reads region names)."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise _doc_issue(_("invalid JSON: %(e)s") % {"e": exc}, "json") from None
    if not isinstance(raw, dict) or raw.get("resourceType") != "Bundle":
        raise _doc_issue(_("must be a FHIR Bundle (resourceType Bundle)"), "resourceType")
    try:
        bundle = Bundle.model_validate(raw)
    except ValidationError as exc:
        raise ImportFailed(_validation_issues(exc, raw)) from None
    issues: list[ImportIssue] = []
    orgs, regions = _organizations(bundle), _region_names()
    items = []
    for index, entry in enumerate(bundle.entry or []):
        resource = entry.resource
        if isinstance(resource, Location):
            spec = _spec(index, resource, orgs, regions, issues)
            if spec is not None:
                items.append(ParsedItem("entry", index, spec, FIELD_NAMES))
        elif not isinstance(resource, Organization):
            issues.append(ImportIssue("entry", index, "resourceType", FacilityError.BAD_ENTRY,
                                      _("only Organization and Location entries are read")))
    return items, issues


def facilities_import_fhir(data: bytes | str, *, actor: Principal, dry_run: bool = False) -> UpsertResult:
    """Validate the whole Bundle, then create/update every facility in one transaction (or ImportFailed)."""
    items, issues = facilities_parse_fhir(decode(data))
    return facilities_import_run(items, issues, actor=actor, source="fhir", dry_run=dry_run)

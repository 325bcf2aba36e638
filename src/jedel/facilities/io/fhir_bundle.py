"""Facilities as a FHIR R4 Bundle (type `collection`): one Organization + one Location per facility.

Validated with fhir.resources' R4B models (`fhir.resources.R4B`: R4B is R4 with fixes and the same
Organization/Location/Bundle structure; fhir.resources 8's top-level package is R5). Mapping, using
standard fields wherever one exists:

- identifier (both resources): system `urn:jedel:facility-code`, value = facility code
- Organization.type: HL7 organization-type `prov`, plus ownership in CodeSystem
  `https://jedel.kz/fhir/CodeSystem/facility-ownership` (public, private, departmental)
- name (both): English; Kazakh and Russian as the standard translation extension on `_name`
- Location.type: one CodeableConcept each for the kind (`https://jedel.kz/fhir/CodeSystem/facility-kind`),
  the trauma level (`…/trauma-level`, codes 1–3) and every capability (`…/facility-capability`)
- Location.address: state = region ISO 3166-2 code, country KZ, city = town name (informative), and the
  town's GeoNames id in extension `https://jedel.kz/fhir/StructureDefinition/geonames-id` (valueInteger)
- Location.position: WGS84 latitude/longitude; Location.managingOrganization → the Organization entry
- Location.extension `https://jedel.kz/fhir/StructureDefinition/reporting-interval`: valueDuration (min)
- synthetic facilities: meta.tag HTEST (v3-ActReason "test health data") on both resources

fullUrls are `urn:uuid:` UUIDv5s derived from the code, and the Bundle carries no timestamp, so an export
is reproducible and export → import → export is byte-identical. Import reads every Location entry (its
Organization is found through managingOrganization); other resource types are an error. Errors name
the entry index (0-based, as `Bundle.entry[i]`) and the field.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.organization import Organization
from pydantic import ValidationError

from jedel.accounts.policy import Principal
from jedel.facilities.errors import FacilityError
from jedel.facilities.io import ImportFailed, ImportIssue, ParsedItem, decode, facilities_import_run
from jedel.facilities.models import Facility, FacilityKind
from jedel.facilities.services.registry import UpsertResult
from jedel.facilities.services.registry_rules import FacilitySpec, spec_from_facility

CODE_SYSTEM = "urn:jedel:facility-code"
CS = "https://jedel.kz/fhir/CodeSystem/"
KIND_CS, CAPABILITY_CS, TRAUMA_CS, OWNERSHIP_CS = (CS + n for n in (
    "facility-kind", "facility-capability", "trauma-level", "facility-ownership"))
GEONAMES_EXT = "https://jedel.kz/fhir/StructureDefinition/geonames-id"
INTERVAL_EXT = "https://jedel.kz/fhir/StructureDefinition/reporting-interval"
TRANSLATION_EXT = "http://hl7.org/fhir/StructureDefinition/translation"
ORG_TYPE_CS = "http://terminology.hl7.org/CodeSystem/organization-type"
SYNTHETIC_TAG = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST",
                 "display": "test health data"}
_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://jedel.kz/fhir/facility")
FIELD_NAMES = {
    "code": "Location.identifier", "name_en": "Location.name", "name_kk": "Location.name.translation(kk)",
    "name_ru": "Location.name.translation(ru)", "kind": "Location.type(facility-kind)",
    "ownership": "Organization.type(facility-ownership)", "region_iso": "Location.address.state",
    "town_geonameid": "Location.address.extension(geonames-id)", "lat": "Location.position.latitude",
    "lon": "Location.position.longitude", "trauma_level": "Location.type(trauma-level)",
    "capabilities": "Location.type(facility-capability)",
    "reporting_interval_min": "Location.extension(reporting-interval)", "synthetic": "Location.meta.tag",
}


def _url(code: str, what: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{code}/{what}')}"


def _names(spec: FacilitySpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": spec.name_en}
    translations = [{"url": TRANSLATION_EXT, "extension": [{"url": "lang", "valueCode": lang},
                                                           {"url": "content", "valueString": text}]}
                    for lang, text in (("kk", spec.name_kk), ("ru", spec.name_ru)) if text]
    if translations:
        out["_name"] = {"extension": translations}
    return out


def _concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    return {"coding": [coding | {"display": display}] if display else [coding]}


def _entries(spec: FacilitySpec, town_name: str | None) -> list[dict[str, Any]]:
    ident = [{"system": CODE_SYSTEM, "value": spec.code}]
    meta = {"meta": {"tag": [SYNTHETIC_TAG]}} if spec.synthetic else {}
    org = {"resourceType": "Organization", **meta, "identifier": ident, "active": True,
           "type": [_concept(ORG_TYPE_CS, "prov", "Healthcare Provider"),
                    _concept(OWNERSHIP_CS, spec.ownership)],
           **_names(spec)}
    types = [_concept(KIND_CS, spec.kind, str(FacilityKind(spec.kind).label))]
    if spec.trauma_level is not None:
        types.append(_concept(TRAUMA_CS, str(spec.trauma_level)))
    types += [_concept(CAPABILITY_CS, c) for c in spec.capabilities]
    address: dict[str, Any] = {"state": spec.region_iso, "country": "KZ"}
    if spec.town_geonameid is not None:
        address = {"extension": [{"url": GEONAMES_EXT, "valueInteger": spec.town_geonameid}],
                   "city": town_name, **address}
    loc = {"resourceType": "Location", **meta,
           "extension": [{"url": INTERVAL_EXT, "valueDuration": {
               "value": spec.reporting_interval_min, "unit": "min", "system": "http://unitsofmeasure.org",
               "code": "min"}}],
           "identifier": ident, "status": "active", **_names(spec), "mode": "instance", "type": types,
           "address": address, "position": {"longitude": spec.lon, "latitude": spec.lat},
           "managingOrganization": {"reference": _url(spec.code, "organization")}}
    return [{"fullUrl": _url(spec.code, "organization"), "resource": org},
            {"fullUrl": _url(spec.code, "location"), "resource": loc}]


def facilities_export_fhir(facilities: Iterable[Facility]) -> str:
    """The facilities (expects region and town selected) as a validated FHIR R4 collection Bundle (JSON)."""
    with translation.override("en"):
        rows = sorted(((spec_from_facility(f), f.town.name if f.town_id else None) for f in facilities),
                      key=lambda r: r[0].code)
        entries = [e for spec, town in rows for e in _entries(spec, town)]
    bundle = Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
    return json.dumps(bundle.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"


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


def _codes(loc: Location, system: str) -> list[str]:
    return [c.code for cc in loc.type or [] for c in cc.coding or [] if c.system == system and c.code]


def _ext(extensions: Any, url: str) -> Any:
    return next((e for e in extensions or [] if e.url == url), None)


def _translation(resource: Any, lang: str) -> str:
    holder = resource.name__ext
    for ext in (holder.extension if holder is not None else None) or []:
        code, content = _ext(ext.extension, "lang"), _ext(ext.extension, "content")
        if ext.url == TRANSLATION_EXT and code is not None and code.valueCode == lang and content is not None:
            return str(content.valueString or "")
    return ""


def _spec(index: int, loc: Location, orgs: dict[str, Organization],
          issues: list[ImportIssue]) -> FacilitySpec | None:
    def bad(field: str, message: str) -> None:
        issues.append(ImportIssue("entry", index, field, FacilityError.BAD_ENTRY, message))

    before = len(issues)
    code = next((i.value for i in loc.identifier or [] if i.system == CODE_SYSTEM and i.value), None)
    if code is None:
        bad(FIELD_NAMES["code"], _("needs an identifier with system %(s)s") % {"s": CODE_SYSTEM})
    kinds = _codes(loc, KIND_CS)
    if len(kinds) != 1:
        bad(FIELD_NAMES["kind"], _("needs exactly one coding from %(s)s") % {"s": KIND_CS})
    position = loc.position
    if position is None or position.latitude is None or position.longitude is None:
        bad("Location.position", _("needs latitude and longitude"))
    if not loc.name:
        bad("Location.name", _("required"))
    ref = loc.managingOrganization.reference if loc.managingOrganization else None
    org = orgs.get(ref or "")
    if org is None:
        bad("Location.managingOrganization", _("must refer to an Organization entry of this Bundle"))
    trauma = _codes(loc, TRAUMA_CS)
    if trauma and not trauma[0].isdigit():
        bad(FIELD_NAMES["trauma_level"], _("must be 1, 2 or 3"))
    interval = _ext(loc.extension, INTERVAL_EXT)
    minutes = interval.valueDuration.value if interval is not None and interval.valueDuration else None
    if interval is not None and minutes is None:
        bad(FIELD_NAMES["reporting_interval_min"], _("needs valueDuration.value in minutes"))
    if len(issues) > before or org is None or position is None:
        return None
    geo = _ext(loc.address.extension if loc.address else None, GEONAMES_EXT)
    ownership = [str(c.code) for cc in org.type or [] for c in cc.coding or [] if c.system == OWNERSHIP_CS]
    tags = loc.meta.tag if loc.meta and loc.meta.tag else []
    return FacilitySpec(
        code=code or "", name_en=loc.name or "", name_kk=_translation(loc, "kk"),
        name_ru=_translation(loc, "ru"),
        kind=kinds[0], ownership=ownership[0] if ownership else "public",
        region_iso=(loc.address.state or "") if loc.address else "",
        town_geonameid=geo.valueInteger if geo is not None else None,
        lat=float(position.latitude or 0), lon=float(position.longitude or 0),  # both checked above
        trauma_level=int(trauma[0]) if trauma else None, capabilities=tuple(_codes(loc, CAPABILITY_CS)),
        reporting_interval_min=int(minutes) if minutes is not None else 240,
        synthetic=any(t.system == SYNTHETIC_TAG["system"] and t.code == "HTEST" for t in tags))


def facilities_parse_fhir(text: str) -> tuple[list[ParsedItem], list[ImportIssue]]:
    """Parse and FHIR-validate a Bundle into specs (no registry rules, no database)."""
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
    orgs = {e.fullUrl: e.resource for e in bundle.entry or []
            if isinstance(e.resource, Organization) and e.fullUrl}
    items = []
    for index, entry in enumerate(bundle.entry or []):
        resource = entry.resource
        if isinstance(resource, Location):
            spec = _spec(index, resource, orgs, issues)
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

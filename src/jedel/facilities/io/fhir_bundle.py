"""Facilities as a FHIR R4 Bundle (type `collection`): one Organization + one Location per facility.

Mapping, using standard fields wherever one exists (URLs start with the canonical base, fhir_ids.py):

- id (both resources): the facility code (fhir_ids.facility_resource_id); identifier: system
  `{base}/sid/facility-code`, value = facility code — the same identifier the SANER MeasureReports give their
  subject, so a consumer joins the two
- Organization.type: HL7 organization-type `prov`, plus ownership in CodeSystem `{base}/CodeSystem/facility-ownership`
- name (both): English; Kazakh and Russian as the standard translation extension on `_name`
- Location.type: v3-RoleCode (HOSP, or the kind's closest code), then one CodeableConcept each for the kind
  (`{base}/CodeSystem/facility-kind`), the trauma level (`…/trauma-level`, 1–3) and every capability
  (`…/facility-capability`)
- Location.address: state = region ISO 3166-2 code, country KZ, city = town name (informative), and the
  town's GeoNames id in extension `{base}/StructureDefinition/geonames-id` (valueInteger)
- Location.position: WGS84; Location.managingOrganization → the Organization entry
- Location.extension `{base}/StructureDefinition/reporting-interval`: valueDuration (min)
- synthetic facilities: meta.tag HTEST (v3-ActReason "test health data") on both resources

fullUrls are `urn:uuid:` UUIDv5s derived from the code, and the Bundle carries no timestamp, so an export
is reproducible and export → import → export is byte-identical. The dicts are built in the order the FHIR
models serialise them and checked against fhir.resources (R4B) in the tests, not per request: validating
855 facilities took seconds. Import: fhir_import.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from django.utils import translation

from jedel.facilities.io.fhir_ids import (
    codesystem_url,
    extension_url,
    facility_resource_id,
    facility_system,
)
from jedel.facilities.models import Facility, FacilityKind
from jedel.facilities.services.registry_rules import FacilitySpec, spec_from_facility

TRANSLATION_EXT = "http://hl7.org/fhir/StructureDefinition/translation"
ORG_TYPE_CS = "http://terminology.hl7.org/CodeSystem/organization-type"
ROLE_CODE_CS = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
UCUM = "http://unitsofmeasure.org"
SYNTHETIC_TAG = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST",
                 "display": "test health data"}
# Each kind's closest v3-RoleCode (ServiceDeliveryLocationRoleType), for consumers that know no Jedel codes.
KIND_ROLE_CODES: dict[str, tuple[str, str]] = {
    "polyclinic": ("OF", "Outpatient facility"), "ambulance_station": ("AMB", "Ambulance"),
    "air_ambulance_base": ("AMB", "Ambulance"), "psychiatric": ("PSYCHF", "Psychiatric Care Facility"),
    "burns": ("BURN", "Burn unit"), "trauma": ("ETU", "Emergency trauma unit"),
    "childrens": ("PEDU", "Pediatric unit"), "infectious": ("INFD", "Infectious disease clinic"),
}
_HOSPITAL = ("HOSP", "Hospital")
_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://jedel.kz/fhir/facility")  # fixed: fullUrls never change


def kind_cs() -> str:
    return codesystem_url("facility-kind")


def capability_cs() -> str:
    return codesystem_url("facility-capability")


def trauma_cs() -> str:
    return codesystem_url("trauma-level")


def ownership_cs() -> str:
    return codesystem_url("facility-ownership")


def geonames_ext() -> str:
    return extension_url("geonames-id")


def interval_ext() -> str:
    return extension_url("reporting-interval")


def bundle_url(code: str, what: str) -> str:
    """The fullUrl of a facility's Organization or Location entry in an exported Bundle."""
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


def organization_resource(spec: FacilitySpec) -> dict[str, Any]:
    """A facility's Organization (the legal provider), keys in FHIR serialisation order."""
    meta = {"meta": {"tag": [SYNTHETIC_TAG]}} if spec.synthetic else {}
    return {"resourceType": "Organization", "id": facility_resource_id(spec.code), **meta,
            "identifier": [{"system": facility_system(), "value": spec.code}], "active": True,
            "type": [_concept(ORG_TYPE_CS, "prov", "Healthcare Provider"), _concept(ownership_cs(), spec.ownership)],
            **_names(spec)}


def location_resource(spec: FacilitySpec, town_name: str | None, managing_org: str) -> dict[str, Any]:
    """A facility's Location (the place patients go), keys in FHIR serialisation order."""
    meta = {"meta": {"tag": [SYNTHETIC_TAG]}} if spec.synthetic else {}
    role, role_display = KIND_ROLE_CODES.get(spec.kind, _HOSPITAL)
    types = [_concept(ROLE_CODE_CS, role, role_display), _concept(kind_cs(), spec.kind, str(FacilityKind(spec.kind).label))]
    if spec.trauma_level is not None:
        types.append(_concept(trauma_cs(), str(spec.trauma_level)))
    types += [_concept(capability_cs(), c) for c in spec.capabilities]
    address: dict[str, Any] = {"state": spec.region_iso, "country": "KZ"}
    if spec.town_geonameid is not None:
        address = {"extension": [{"url": geonames_ext(), "valueInteger": spec.town_geonameid}],
                   "city": town_name, **address}
    return {"resourceType": "Location", "id": facility_resource_id(spec.code), **meta,
            "extension": [{"url": interval_ext(), "valueDuration": {
                "value": spec.reporting_interval_min, "unit": "min", "system": UCUM, "code": "min"}}],
            "identifier": [{"system": facility_system(), "value": spec.code}], "status": "active",
            **_names(spec), "mode": "instance", "type": types, "address": address,
            "position": {"longitude": spec.lon, "latitude": spec.lat},
            "managingOrganization": {"reference": managing_org}}


def _entries(spec: FacilitySpec, town_name: str | None) -> list[dict[str, Any]]:
    org_url = bundle_url(spec.code, "organization")
    return [{"fullUrl": org_url, "resource": organization_resource(spec)},
            {"fullUrl": bundle_url(spec.code, "location"), "resource": location_resource(spec, town_name, org_url)}]


def facility_specs(facilities: Iterable[Facility]) -> list[tuple[FacilitySpec, str | None]]:
    """(spec, town name) per facility, by code; expects region and town selected."""
    return sorted(((spec_from_facility(f), f.town.name if f.town_id else None) for f in facilities),
                  key=lambda r: r[0].code)


def facilities_export_fhir_chunks(facilities: Iterable[Facility]) -> Iterator[str]:
    """The export as text chunks, one facility at a time (for a streamed response); joined = the export."""
    with translation.override("en"):
        rows = facility_specs(facilities)
    yield '{\n  "resourceType": "Bundle",\n  "type": "collection"'
    if not rows:
        yield "\n}\n"
        return
    yield ',\n  "entry": [\n'
    for i, (spec, town) in enumerate(rows):
        with translation.override("en"):
            entries = _entries(spec, town)
        # orjson's two-space indentation is json.dumps(indent=2, ensure_ascii=False), ~20 times faster.
        text = ",\n".join(orjson.dumps(e, option=orjson.OPT_INDENT_2).decode() for e in entries)
        yield ("" if i == 0 else ",\n") + "    " + text.replace("\n", "\n    ")
    yield "\n  ]\n}\n"


def facilities_export_fhir(facilities: Iterable[Facility]) -> str:
    """The facilities (expects region and town selected) as a FHIR R4 collection Bundle (JSON)."""
    return "".join(facilities_export_fhir_chunks(facilities))

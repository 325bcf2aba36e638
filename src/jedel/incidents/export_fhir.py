"""Casualty tracking as a FHIR R4 Bundle (type `collection`): a Patient and an Encounter per casualty, and the
Locations its Encounter went through. URLs start with the canonical base (facilities/io/fhir_ids.py).

Mapping (standard elements wherever the base specification has one):

- Patient: identifier = the triage tag (system `{base}/sid/triage-tag/{incident id}`: tags are unique within
  an incident); name.text when known; gender (female / male / unknown); the age band as extension
  `{base}/StructureDefinition/age-band` (valueCoding in `{base}/CodeSystem/age-band`: no birth date is known)
  and the description (clothing, marks) as extension `…/casualty-description` (valueString).
- Encounter: the incident's tracking episode of the casualty, from registration at the scene to its
  disposition. identifier = the tag; extension `…/incident` (valueIdentifier, system `{base}/sid/incident`);
  class v3-ActCode EMER; subject → the Patient; period.start = registration, period.end = the disposition.
- Encounter.status from the casualty state machine (core/tracking/casualty.py): at_scene, awaiting_transport,
  in_transport, arrived → `in-progress` (the episode is running; R4's `arrived`/`triaged` describe a facility's
  front door, not a scene); admitted, treated_released, transferred, deceased → `finished`.
  hospitalization.dischargeDisposition (HL7 discharge-disposition): admitted and transferred → `other-hcf`
  (handed on to a hospital's own record), treated_released → `home`, deceased → `exp`;
  hospitalization.destination → the destination facility.
- Triage category → **Encounter.priority**. It is the base element for "the urgency of the encounter", and its
  binding (v3-ActPriority) is only an *example* binding, so a CodeableConcept with Jedel's own codes is
  conformant without an extension: coding 1 in `{base}/CodeSystem/triage-category` (immediate, delayed,
  minimal, expectant, dead — the exact category), coding 2 the nearest v3-ActPriority code for consumers that
  know no Jedel codes (immediate → EM, delayed → UR, minimal → R; expectant and dead have none). An
  Observation per assessment would carry the history of triage too; the export keeps the current category, the
  history stays in Jedel (the CSV has every move).
- Encounter.location: the location history (CasualtyLocation rows) folded into stays, oldest first: the scene
  while at_scene / awaiting_transport, the vehicle while in_transport (Location, physicalType `ve`), the
  destination facility from arrival; a disposition ends the stay it happens in. Each stay has its period; the
  stay a casualty is in now is `active`, earlier ones `completed`. Scene and vehicle Locations are entries of
  the Bundle; a facility is referenced by its identifier and its absolute URL on this server (the facilities
  export's Location).
- Exercise incidents: every resource carries meta.tag HTEST (v3-ActReason "test health data"), as synthetic
  facilities do; real incidents and exercises are never in one Bundle (services/exports.py).

fullUrls are `urn:uuid:` UUIDv5s of the database ids and the Bundle has no timestamp, so exporting the same data
twice gives the same bytes. The output is checked against fhir.resources (R4B) in the tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from jedel.facilities.io.fhir_bundle import SYNTHETIC_TAG
from jedel.facilities.io.fhir_ids import codesystem_url, extension_url, facility_reference, facility_system, fhir_base
from jedel.incidents.engines import FINAL_STATUSES, CasualtyStatus
from jedel.incidents.models import Casualty, CasualtyLocation, Incident
from jedel.incidents.selectors_reunification import location_rows

_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://jedel.kz/fhir/incidents")  # fixed: fullUrls never change
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_PRIORITY = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
DISPOSITION = "http://terminology.hl7.org/CodeSystem/discharge-disposition"
PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
ENCOUNTER_STATUS = {s.value: ("finished" if s in FINAL_STATUSES else "in-progress") for s in CasualtyStatus}
DISPOSITIONS = {"admitted": ("other-hcf", "Other healthcare facility"),
                "transferred": ("other-hcf", "Other healthcare facility"),
                "treated_released": ("home", "Home"), "deceased": ("exp", "Expired")}
PRIORITIES = {"immediate": ("EM", "emergency"), "delayed": ("UR", "urgent"), "minimal": ("R", "routine")}
CATEGORY_NAMES = {"immediate": "Immediate (red)", "delayed": "Delayed (yellow)", "minimal": "Minimal (green)",
                  "expectant": "Expectant (grey)", "dead": "Dead (black)"}
AGE_BANDS = {"infant": "Under 1 year", "child": "1–7 years", "adolescent": "8–17 years", "adult": "18–64 years",
             "older": "65 years and over", "unknown": "Unknown age"}
_AT_SCENE = {"at_scene", "awaiting_transport"}


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, ':'.join(str(p) for p in parts))}"


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def tag_system(incident_id: int) -> str:
    return f"{fhir_base()}/sid/triage-tag/{incident_id}"


def _meta(incident: Incident) -> dict[str, Any]:
    return {"meta": {"tag": [SYNTHETIC_TAG]}} if incident.is_exercise else {}


def _stays(rows: list[CasualtyLocation]) -> list[tuple[tuple[str, str], datetime, datetime | None]]:
    """(place, start, end) from the location history; place = ("scene", "") | ("vehicle", name) | ("facility", code)."""
    stays: list[tuple[tuple[str, str], datetime, datetime | None]] = []
    for row in rows:
        if row.status in _AT_SCENE:
            place = ("scene", "")
        elif row.status == "in_transport":
            place = ("vehicle", row.vehicle)
        elif row.status == "arrived" and row.destination is not None:
            place = ("facility", row.destination.code)
        else:  # a disposition (or arrival nowhere known) ends the stay it happens in
            if stays and stays[-1][2] is None:
                stays[-1] = (stays[-1][0], stays[-1][1], row.at)
            continue
        if stays and stays[-1][2] is None and stays[-1][0] == place:
            continue  # still there (a re-route in the same vehicle, a move within the scene)
        if stays and stays[-1][2] is None:
            stays[-1] = (stays[-1][0], stays[-1][1], row.at)
        stays.append((place, row.at, None))
    return stays


class _Places:
    """The Location entries of one incident (scene, vehicles) and the references to facilities."""

    def __init__(self, incident: Incident) -> None:
        self.incident = incident
        self.entries: dict[str, dict[str, Any]] = {}
        self.facility_names: dict[str, str] = {}

    def reference(self, place: tuple[str, str]) -> dict[str, Any]:
        kind, key = place
        if kind == "facility":
            return {"reference": facility_reference(key),
                    "identifier": {"system": facility_system(), "value": key},
                    "display": self.facility_names.get(key, key)}
        url = _urn("incident", self.incident.pk, kind, key)
        if url not in self.entries:
            if kind == "scene":
                resource = {"resourceType": "Location", **_meta(self.incident),
                            "status": "active", "name": f"Scene: {self.incident.title}", "mode": "instance",
                            "physicalType": {"coding": [{"system": PHYSICAL_TYPE, "code": "area", "display": "Area"}]},
                            "position": {"longitude": self.incident.scene_lon, "latitude": self.incident.scene_lat}}
            else:
                resource = {"resourceType": "Location", **_meta(self.incident),
                            "status": "active", "name": key or "Transport (vehicle not recorded)", "mode": "instance",
                            "physicalType": {"coding": [{"system": PHYSICAL_TYPE, "code": "ve",
                                                         "display": "Vehicle"}]}}
            self.entries[url] = resource
        return {"reference": url, "display": self.entries[url]["name"]}


def _patient(c: Casualty) -> dict[str, Any]:
    extension: list[dict[str, Any]] = [{"url": extension_url("age-band"), "valueCoding": {
        "system": codesystem_url("age-band"), "code": c.age_band, "display": AGE_BANDS[c.age_band]}}]
    if c.description:
        extension.append({"url": extension_url("casualty-description"), "valueString": c.description})
    patient: dict[str, Any] = {"resourceType": "Patient", **_meta(c.incident), "extension": extension,
                               "identifier": [{"system": tag_system(c.incident_id), "value": c.tag}]}
    if c.name:
        patient["name"] = [{"text": c.name}]
    patient["gender"] = c.sex
    return patient


def _encounter(c: Casualty, patient_url: str, places: _Places) -> dict[str, Any]:
    rows = location_rows(c)
    for row in rows:
        if row.destination is not None:
            places.facility_names[row.destination.code] = row.destination.name_en
    if c.destination is not None:
        places.facility_names[c.destination.code] = c.destination.name_en
    final = c.status in {s.value for s in FINAL_STATUSES}
    encounter: dict[str, Any] = {
        "resourceType": "Encounter", **_meta(c.incident),
        "extension": [{"url": extension_url("incident"),
                       "valueIdentifier": {"system": f"{fhir_base()}/sid/incident", "value": str(c.incident_id)}}],
        "identifier": [{"system": tag_system(c.incident_id), "value": c.tag}],
        "status": ENCOUNTER_STATUS[c.status],
        "class": {"system": ACT_CODE, "code": "EMER", "display": "emergency"},
    }
    if c.category:
        coding = [{"system": codesystem_url("triage-category"), "code": c.category,
                   "display": CATEGORY_NAMES[c.category]}]
        if c.category in PRIORITIES:
            code, display = PRIORITIES[c.category]
            coding.append({"system": ACT_PRIORITY, "code": code, "display": display})
        encounter["priority"] = {"coding": coding}
    encounter["subject"] = {"reference": patient_url}
    period: dict[str, str] = {"start": _instant(c.registered_at)}
    if final and rows:
        period["end"] = _instant(rows[-1].at)
    encounter["period"] = period
    hospitalization: dict[str, Any] = {}
    if c.destination is not None:
        hospitalization["destination"] = places.reference(("facility", c.destination.code))
    if c.status in DISPOSITIONS:
        code, display = DISPOSITIONS[c.status]
        hospitalization["dischargeDisposition"] = {"coding": [{"system": DISPOSITION, "code": code,
                                                               "display": display}]}
    if hospitalization:
        encounter["hospitalization"] = hospitalization
    stays = []
    for place, start, end in _stays(rows):
        stay_period = {"start": _instant(start)} | ({"end": _instant(end)} if end is not None else {})
        stays.append({"location": places.reference(place), "status": "completed" if end is not None else "active",
                      "period": stay_period})
    if stays:
        encounter["location"] = stays
    return encounter


def casualties_bundle(casualties: Iterable[Casualty]) -> dict[str, Any]:
    """The Bundle (a dict) of the casualties (incident, destination and locations loaded), in the order given."""
    entries: list[dict[str, Any]] = []
    places_of: dict[int, _Places] = {}
    for c in casualties:
        places = places_of.setdefault(c.incident_id, _Places(c.incident))
        patient_url = _urn("patient", c.pk)
        entries.append({"fullUrl": patient_url, "resource": _patient(c)})
        entries.append({"fullUrl": _urn("encounter", c.pk), "resource": _encounter(c, patient_url, places)})
    for places in places_of.values():
        entries.extend({"fullUrl": url, "resource": resource} for url, resource in places.entries.items())
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    if any(p.incident.is_exercise for p in places_of.values()):
        bundle["meta"] = {"tag": [SYNTHETIC_TAG]}
    bundle["entry"] = entries
    return bundle


def casualties_bundle_json(casualties: Iterable[Casualty]) -> bytes:
    return orjson.dumps(casualties_bundle(casualties), option=orjson.OPT_INDENT_2)

"""The conformance resources Jedel's FHIR output refers to: the Measure its MeasureReports name and the
CodeSystems of its own codes, served at /fhir/Measure and /fhir/CodeSystem (their canonical URLs start with the
configurable base, so where the base is this server's address the URLs resolve).

Built from the code's own enumerations (bed types, kinds, capabilities, …), so a new value is published the
moment it exists. Checked against fhir.resources R4B in the tests.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from jedel.capacity.interop import saner
from jedel.capacity.models import BedType
from jedel.facilities.io.fhir_ids import codesystem_url
from jedel.facilities.models import Capability, FacilityKind, Ownership

VERSION = "0.1.0"
PUBLISHER = "Jedel"
MEASURE_ID = "HospitalBedCapacity"
MEASURE_POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population"


def _concepts(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"code": code, "display": display} for code, display in pairs]


def _codesystem_table() -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """id → (title, description, [(code, display)])."""
    return {
        "havbed-bed-type": ("Bed types", "Bed types as EDXL-HAVE 1.0 names them (BedType).",
                            [(b.value, str(b.label)) for b in BedType]),
        "bed-population": ("Bed populations", "What a bed count counts.",
                           [("staffed", "Staffed beds"), ("occupied", "Occupied staffed beds"),
                            ("available", "Vacant staffed beds"),
                            ("surge24h", "Beds that could be staffed within 24 hours")]),
        "reporting": ("Reporting coverage", "Inpatient facilities of an area by reporting state.",
                      [("facilities", "Inpatient facilities"), ("reporting", "Reported within their interval"),
                       ("overdue", "Overdue or never reported")]),
        "facility-kind": ("Facility kinds", "Kinds of facility in the Kazakh emergency network.",
                          [(k.value, str(k.label)) for k in FacilityKind]),
        "facility-capability": ("Facility capabilities", "Services and equipment a facility has.",
                                [(c.value, str(c.label)) for c in Capability]),
        "trauma-level": ("Trauma levels", "Trauma centre level, 1 the highest.",
                         [("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3")]),
        "facility-ownership": ("Facility ownership", "Who owns a facility.",
                               [(o.value, str(o.label)) for o in Ownership]),
    }


def codesystem_ids() -> list[str]:
    """The ids of every CodeSystem served."""
    return sorted(_codesystem_table())


def codesystem(cs_id: str) -> dict[str, Any] | None:
    """One CodeSystem (English displays), or None for an unknown id."""
    with translation.override("en"):
        entry = _codesystem_table().get(cs_id)
        if entry is None:
            return None
        title, description, pairs = entry
        return {"resourceType": "CodeSystem", "id": cs_id, "url": codesystem_url(cs_id), "version": VERSION,
                "name": "".join(w.capitalize() for w in cs_id.split("-")), "title": title, "status": "active",
                "experimental": False, "publisher": PUBLISHER, "description": description, "caseSensitive": True,
                "content": "complete", "count": len(pairs), "concept": _concepts(pairs)}


def _population(system: str, code: str, basis: str | None, description: str) -> dict[str, Any]:
    coding = [{"system": system, "code": code}]
    if basis:
        coding.append({"system": MEASURE_POPULATION, "code": basis})
    return {"code": {"coding": coding}, "description": description,
            "criteria": {"language": "text/plain", "expression": description}}


def measure() -> dict[str, Any]:
    """The Measure every Jedel MeasureReport names (MeasureReport.measure)."""
    with translation.override("en"):
        bed_pop = saner.bed_population_system()
        groups = [{"code": {"coding": [{"system": saner.bed_type_system(), "code": b.value, "display": str(b.label)}]},
                   "description": f"{b.label} beds; score: vacant staffed beds.",
                   "population": [_population(bed_pop, name.replace("_", ""), basis, f"{name} {b.value} beds")
                                  for name, basis in saner.BED_POPULATIONS]} for b in BedType]
    groups.append({"code": {"coding": [{"system": saner.SANER_GROUP_SYSTEM, "code": "Beds"}]},
                   "description": "SANER beds: staffed beds of every type but operating rooms, and of ICU types.",
                   "population": [_population(saner.SANER_POPULATION_SYSTEM, code, basis, code)
                                  for code, basis in saner.SANER_BED_POPULATIONS]})
    groups.append({"code": {"coding": [{"system": saner.SANER_GROUP_SYSTEM, "code": "Ventilators"}]},
                   "description": "Mechanical ventilators; score: ventilators not in use.",
                   "population": [_population(saner.SANER_POPULATION_SYSTEM, "numVent", "initial-population",
                                              "Mechanical ventilators"),
                                  _population(saner.SANER_POPULATION_SYSTEM, "numVentUse", "measure-population",
                                              "Mechanical ventilators in use")]})
    reporting = saner.reporting_system()
    groups.append({"code": {"coding": [{"system": reporting, "code": "facilities"}]},
                   "description": "Region reports only: how many inpatient facilities the figures cover.",
                   "population": [_population(reporting, c, b, d) for c, b, d in (
                       ("facilities", "initial-population", "Inpatient facilities"),
                       ("reporting", "measure-population", "Reported within their interval"),
                       ("overdue", "measure-population", "Overdue or never reported"))]})
    return {"resourceType": "Measure", "id": MEASURE_ID, "url": saner.measure_url(), "version": VERSION,
            "name": MEASURE_ID, "title": "Hospital bed capacity (Kazakhstan)", "status": "active",
            "experimental": False, "publisher": PUBLISHER,
            "description": "Current bed capacity by bed type, ventilators and reporting coverage, per facility "
                           "or per region, in the style of the HL7 SANER implementation guide.",
            "scoring": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-scoring",
                                    "code": "cohort"}]},
            "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-type",
                                  "code": "structure"}]}],
            "group": groups}

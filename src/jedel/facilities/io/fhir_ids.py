"""The names Jedel gives things in FHIR: one canonical base, one facility identifier system, resource ids.

Every FHIR output (the facility Bundle, the SANER MeasureReports, the /fhir/ REST server) takes its URLs from
here, so a consumer joins a MeasureReport's subject to a Location by the same identifier
(`{base}/sid/facility-code` | facility code). The base is the setting JEDEL_FHIR_BASE (see README, FHIR).
Functions, not constants: the base is read per call, so a test or a deployment can change it.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings

# Identifier systems earlier versions wrote; still recognised on import so old files keep matching.
LEGACY_FACILITY_SYSTEMS = ("urn:jedel:facility-code", "https://jedel.kz/fhir/sid/facility-code")
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_ID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "jedel:fhir:facility")


def fhir_base() -> str:
    """The canonical base, without a trailing slash, e.g. https://jedel.example.org/fhir."""
    return str(settings.JEDEL_FHIR_BASE).rstrip("/")


def facility_system() -> str:
    """The identifier system of facility codes (Location, Organization, MeasureReport.subject)."""
    return f"{fhir_base()}/sid/facility-code"


def codesystem_url(name: str) -> str:
    """The canonical URL of one of Jedel's CodeSystems (served at /fhir/CodeSystem/<name>)."""
    return f"{fhir_base()}/CodeSystem/{name}"


def extension_url(name: str) -> str:
    """The canonical URL of one of Jedel's extensions."""
    return f"{fhir_base()}/StructureDefinition/{name}"


def is_facility_system(system: str | None) -> bool:
    """Whether an identifier system names Jedel facility codes (today's or an earlier one)."""
    return system is not None and (system == facility_system() or system in LEGACY_FACILITY_SYSTEMS)


def facility_resource_id(code: str) -> str:
    """The Location/Organization id of a facility: its code where FHIR allows it as an id, else a UUIDv5.

    FHIR ids are [A-Za-z0-9-.]{1,64}; facility codes may also hold '_' (then the UUID stands in)."""
    return code if _FHIR_ID.fullmatch(code) else str(uuid.uuid5(_ID_NS, code))


def facility_reference(code: str, resource: str = "Location") -> str:
    """An absolute reference to a facility's Location (or Organization) on this server."""
    return f"{fhir_base()}/{resource}/{facility_resource_id(code)}"

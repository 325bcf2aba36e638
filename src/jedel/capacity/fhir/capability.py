"""The server's CapabilityStatement (GET /fhir/metadata)."""

from __future__ import annotations

from typing import Any

from jedel.capacity.fhir import definitions
from jedel.facilities.io.fhir_ids import fhir_base

_RELEASED = "2026-12-02"


def _param(name: str, kind: str, doc: str) -> dict[str, str]:
    return {"name": name, "type": kind, "documentation": doc}


def _resource(kind: str, read: bool, params: list[dict[str, str]]) -> dict[str, Any]:
    interactions = ([{"code": "read"}] if read else []) + [{"code": "search-type"}]
    out: dict[str, Any] = {"type": kind, "interaction": interactions}
    if params:
        out["searchParam"] = params
    return out


def capability_statement() -> dict[str, Any]:
    """What this read-only server answers: resource types, interactions and search parameters."""
    paging = [_param("_count", "number", "page size, 1–500 (default 50)"),
              _param("_offset", "number", "entries to skip (the next link sets it)")]
    ident = _param("identifier", "token", "facility code, optionally system|code ({base}/sid/facility-code)")
    return {
        "resourceType": "CapabilityStatement", "id": "jedel", "url": f"{fhir_base()}/CapabilityStatement/jedel",
        "version": definitions.VERSION, "name": "JedelFhirServer", "title": "Jedel FHIR server", "status": "active",
        "experimental": False, "date": _RELEASED, "publisher": definitions.PUBLISHER,
        "description": "Read-only FHIR R4 server of the Kazakh health-emergency platform Jedel: facilities "
                       "(Location, Organization) and capacity reports (MeasureReport, SANER style).",
        "kind": "instance",
        "software": {"name": "Jedel", "version": definitions.VERSION},
        "implementation": {"description": "Jedel", "url": fhir_base()},
        "fhirVersion": "4.0.1", "format": ["json"],
        "rest": [{
            "mode": "server",
            "documentation": "Location, Organization and MeasureReport need a signed-in session or "
                             "Authorization: Bearer <API token>; metadata, Measure and CodeSystem are public.",
            "security": {"cors": False, "description": "Session cookie or bearer API token (jedel token create)."},
            "resource": [
                _resource("Location", True, [_param("_id", "token", "resource id (the facility code)"), ident,
                                             _param("address-state", "string", "region ISO 3166-2 code"),
                                             *paging]),
                _resource("Organization", True, [_param("_id", "token", "resource id (the facility code)"), ident,
                                                 *paging]),
                _resource("MeasureReport", False, [
                    _param("subject", "reference", "Location/<id> of a facility"),
                    _param("date", "date", "when the figures were true; prefixes eq, ge, le, gt, lt, sa, eb"),
                    *paging]),
                _resource("Measure", True, [_param("url", "uri", "canonical url")]),
                _resource("CodeSystem", True, [_param("url", "uri", "canonical url")]),
            ],
        }],
    }

"""A transfer as a FHIR R4 Bundle (type `collection`): ServiceRequest (the request), Task (its workflow state)
and Encounter (the movement of the patient).

Mapping:
- ServiceRequest: code SNOMED CT 107724000 "Patient transfer (procedure)"; intent `order`; priority from the
  urgency (emergency → stat, urgent → urgent, planned → routine); status `active` while open, `completed` on
  arrival, `revoked` when cancelled or expired; requester = the sending facility's Organization, performer = the
  receiving one (when named); reasonCode.text = the diagnosis summary; subject = the sending hospital's case
  number as an identifier (no patient name is held); the required capabilities, bed type and transport needs as
  `orderDetail` codings in Jedel's code systems.
- Task: status from the state machine (requested, accepted, rejected, in-progress while transport is arranged or
  under way, completed, cancelled; expired → failed); businessStatus.text = Jedel's state; focus → the
  ServiceRequest; statusReason = the decline or cancellation reason.
- Encounter: class v3-ActCode EMER for emergencies, ACUTE otherwise; status planned → in-progress (departed) →
  finished (arrived), cancelled when the transfer ends otherwise; hospitalization.origin / destination the two
  facilities' Locations; period = departure to arrival.
fullUrls are UUIDv5s of the transfer id, so exporting twice gives the same document. Checked with fhir.resources
(R4B) in the tests.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from jedel.facilities.io.fhir_ids import codesystem_url, facility_reference, fhir_base
from jedel.transfers.models import Transfer

_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://jedel.kz/fhir/transfers")
SNOMED = "http://snomed.info/sct"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PRIORITY = {"emergency": "stat", "urgent": "urgent", "planned": "routine"}
REQUEST_STATUS = {"arrived": "completed", "cancelled": "revoked", "expired": "revoked"}
TASK_STATUS = {"requested": "requested", "accepted": "accepted", "rejected": "rejected",
               "transport_arranged": "in-progress", "departed": "in-progress", "arrived": "completed",
               "cancelled": "cancelled", "expired": "failed"}
ENCOUNTER_STATUS = {"departed": "in-progress", "arrived": "finished", "cancelled": "cancelled",
                    "expired": "cancelled"}


def _urn(kind: str, transfer_id: int) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{kind}/{transfer_id}')}"


def _instant(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z") if at else None


def _org(code: str) -> dict[str, Any]:
    return {"reference": facility_reference(code, "Organization")}


def _subject(t: Transfer) -> dict[str, Any]:
    return {"identifier": {"system": f"{fhir_base()}/sid/case-number/{t.origin.code}", "value": t.reference},
            "display": t.reference}


def _service_request(t: Transfer) -> dict[str, Any]:
    details = ([{"coding": [{"system": codesystem_url("capability"), "code": c}]} for c in t.capabilities]
               + [{"coding": [{"system": codesystem_url("havbed-bed-type"), "code": t.bed_type}]}]
               + [{"coding": [{"system": codesystem_url("transport-need"), "code": n}]} for n in t.needs])
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": f"{fhir_base()}/sid/transfer", "value": str(t.pk)}],
        "status": "revoked" if t.state in ("cancelled", "expired") else REQUEST_STATUS.get(t.state, "active"),
        "intent": "order", "priority": PRIORITY[t.urgency],
        "code": {"coding": [{"system": SNOMED, "code": "107724000", "display": "Patient transfer (procedure)"}],
                 "text": "Inter-facility transfer"},
        "orderDetail": details, "subject": _subject(t), "authoredOn": _instant(t.requested_at),
        "requester": _org(t.origin.code), "reasonCode": [{"text": t.diagnosis}]}
    if t.destination is not None:
        resource["performer"] = [_org(t.destination.code)]
    return resource


def _task(t: Transfer) -> dict[str, Any]:
    task: dict[str, Any] = {
        "resourceType": "Task", "identifier": [{"system": f"{fhir_base()}/sid/transfer", "value": str(t.pk)}],
        "status": TASK_STATUS[t.state], "businessStatus": {"text": t.state}, "intent": "order",
        "focus": {"reference": _urn("ServiceRequest", t.pk)}, "for": _subject(t),
        "authoredOn": _instant(t.requested_at), "lastModified": _instant(t.updated_at or t.requested_at),
        "requester": _org(t.origin.code),
        "executionPeriod": {k: v for k, v in (("start", _instant(t.requested_at)),
                                              ("end", _instant(t.closed_at))) if v}}
    if t.destination is not None:
        task["owner"] = _org(t.destination.code)
    reason = t.close_reason or next((d.reason for d in t.declines.order_by("-at")), "") if t.state in (
        "rejected", "cancelled") else ""
    if reason:
        task["statusReason"] = {"text": reason}
    return task


def _encounter(t: Transfer) -> dict[str, Any]:
    emergency = t.urgency == "emergency"
    encounter: dict[str, Any] = {
        "resourceType": "Encounter", "status": ENCOUNTER_STATUS.get(t.state, "planned"),
        "class": {"system": ACT_CODE, "code": "EMER" if emergency else "ACUTE",
                  "display": "emergency" if emergency else "inpatient acute"},
        "subject": _subject(t), "basedOn": [{"reference": _urn("ServiceRequest", t.pk)}],
        "hospitalization": {"origin": {"reference": facility_reference(t.origin.code)}}}
    if t.destination is not None:
        encounter["hospitalization"]["destination"] = {"reference": facility_reference(t.destination.code)}
    period = {k: v for k, v in (("start", _instant(t.departed_at)), ("end", _instant(t.arrived_at))) if v}
    if period:
        encounter["period"] = period
    return encounter


def transfer_bundle(t: Transfer) -> dict[str, Any]:
    """The Bundle of one transfer (deterministic)."""
    entries = [(_urn("ServiceRequest", t.pk), _service_request(t)), (_urn("Task", t.pk), _task(t)),
               (_urn("Encounter", t.pk), _encounter(t))]
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries]}

"""The error answers every API operation can give, added to the OpenAPI document in one place.

Why centrally: these statuses come from mechanisms shared by all handlers (authentication, the permission
policy, request limits, body parsing, the database being unavailable, Idempotency-Key), not from the
handlers, so declaring them per operation would drift. Handlers still declare their own 2xx and any
specific status; this only adds what is missing, so a per-operation declaration wins.
"""

from __future__ import annotations

import re
from typing import Any

from jedel.common.idempotency import HEADER, IDEMPOTENT_POSTS, KEY_PATTERN

ERROR_SCHEMA = {
    "type": "object", "required": ["detail"],
    "properties": {"detail": {"type": "array", "items": {
        "type": "object", "required": ["code", "msg"],
        "properties": {"code": {"type": "string", "description": "stable machine code"},
                       "msg": {"type": "string", "description": "human message, in the request's language"},
                       "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                       "limit_bytes": {"type": "integer", "description": "on 413: the accepted size"}}}}},
}
_DESCRIPTIONS = {
    "400": "The body is not valid JSON", "401": "Not signed in, or no valid API token",
    "403": "The permission policy refuses this action for the caller",
    "404": "The named object does not exist or is outside the caller's scope",
    "409": "Conflicts with the current state (stale version, inactive facility, request still running)",
    "413": "The request body is larger than the configured limit (stated in the answer)",
    "422": "Invalid input: every error with its code and field path",
    "503": "The database is unavailable; retry after Retry-After seconds",
}
# Operation ids that can conflict with the state they change, besides the idempotent POSTs.
_CONFLICTS = {"save_plan", "update_facility", "deactivate_facility", "create_facility", "submit_report", "set_referral",
              "stand_down_incident", "close_incident", "assign_incident_role", "register_casualty", "triage_casualty",
              "move_casualty", "assign_casualty", "declare_hospital_full", "request_diversion",
              "add_collection_point", "get_distribution_plan", "register_walkin", "count_walkins",
              "convert_walkins", "print_incident_tags", "create_course", "update_reserve_member",
              "acknowledge_panic_alert", "resolve_panic_alert", "update_violence_incident", "upload_evidence",
              "save_security_posture", "update_transport_asset", "create_transport_asset",
              "create_supply_item", "create_warehouse", "receive_stock", "issue_stock", "adjust_stock",
              "write_off_expired", "set_minimum_stock", "import_stock_counts", "create_supply_request",
              "decide_supply_request", "cancel_supply_request", "prepare_supply_shipment", "dispatch_supply_shipment",
              "receive_supply_shipment", "cancel_supply_shipment", "create_supply_distribution",
              "close_supply_distribution", "add_distribution_household", "record_distribution_handout",
              "record_kit_feedback", "create_kit_proposal", "decide_kit_proposal"}
# Media types of the non-JSON answers (their handlers build the HttpResponse themselves).
_MEDIA_TYPES = {"export_facilities_csv": ("text/csv", {"type": "string"}),
                "export_facilities_fhir": ("application/fhir+json", {"type": "object"}),
                "export_saner": ("application/fhir+json", {"type": "object"}),
                "export_edxl_have": ("application/xml", {"type": "string"}),
                "export_incident_cap": ("application/xml", {"type": "string"})}


def _idempotent(method: str, path: str) -> bool:
    concrete = re.sub(r"\{[^}]+\}", "1", path)
    return method == "post" and any(p.match(concrete) for p in IDEMPOTENT_POSTS)


def _statuses(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["401", "403", "422", "503"]  # 422 also for a NUL in any query string (RejectNulMiddleware)
    # A path object, or a region named in the query (unknown region → 404), may not exist.
    names = {p.get("name") for p in operation.get("parameters", [])}
    # A body can name other objects too (a user, a facility, a desk), which may not exist.
    if "{" in path or "requestBody" in operation or operation["operationId"] in _CONFLICTS \
            or names & {"region", "iso"}:
        statuses.append("404")
    if "requestBody" in operation or method in {"post", "put", "patch"}:
        statuses += ["400", "413"]
    if operation["operationId"] in _CONFLICTS or _idempotent(method, path):
        statuses.append("409")
    return statuses


def _not_null(parameter: dict[str, Any]) -> None:
    """An optional query or path parameter is absent or has a value: a query string cannot carry null.

    django-ninja writes `X | None` as anyOf [X, null]; a client (or a fuzzer) reading that may send "null" or
    drop the parameter in ways the document did not mean. Optionality is `required: false` alone.
    """
    schema = parameter.get("schema", {})
    options = [o for o in schema.get("anyOf", []) if o != {"type": "null"}]
    if parameter.get("in") in ("query", "path") and len(options) == 1 and len(schema["anyOf"]) == 2:
        del schema["anyOf"]
        schema.update(options[0])


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the shared error answers, the Idempotency-Key header and the non-JSON media types."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            # django-ninja keys statuses by int; one kind of key, or "200" and 200 would both be written.
            responses = operation["responses"] = {str(k): v for k, v in operation.get("responses", {}).items()}
            for status in _statuses(method, path, operation):
                responses.setdefault(status, {"description": _DESCRIPTIONS[status],
                                              "content": {"application/json": {"schema": ref}}})
            media = _MEDIA_TYPES.get(operation["operationId"])
            if media is not None:
                ok = responses.setdefault("200", {"description": "OK"})
                ok["content"] = {media[0]: {"schema": media[1]}}
            for parameter in operation.get("parameters", []):
                _not_null(parameter)
            if _idempotent(method, path):
                operation.setdefault("parameters", []).append({
                    "name": HEADER, "in": "header", "required": False,
                    "description": "retry-safe key (24 h): a repeat with the same key returns the stored answer",
                    "schema": {"type": "string", "pattern": KEY_PATTERN}})
    return schema

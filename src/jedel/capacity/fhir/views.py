"""The /fhir/ endpoints (see the package docstring): thin views — parse the search, one read, a Bundle."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from jedel.accounts.policy import Principal, principal_for_user
from jedel.accounts.services import token_principal
from jedel.capacity.fhir import definitions, reads
from jedel.capacity.fhir.capability import capability_statement
from jedel.capacity.fhir.search import (
    SearchError,
    count_param,
    date_lookups,
    offset_param,
    operation_outcome,
    token_param,
)
from jedel.common.errors import DomainError
from jedel.facilities.io.fhir_ids import facility_resource_id

FHIR_JSON = "application/fhir+json; charset=utf-8"
_ALWAYS_ALLOWED = {"_format", "_pretty", "_count", "_offset"}
_STATUS_CODES = {401: "login", 403: "forbidden", 404: "not-found"}


def _respond(body: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), status=status, content_type=FHIR_JSON)


def _outcome(text: str, status: int, code: str | None = None) -> HttpResponse:
    response = _respond(operation_outcome(text, code or _STATUS_CODES.get(status, "invalid")), status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="jedel"'
    return response


def _principal(request: HttpRequest) -> Principal | None:
    """As the JSON API: a bearer token when one is sent (a bad one is not replaced by the session), else the session."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return token_principal(header[7:].strip())
    return principal_for_user(request.user)


def fhir_view(*, params: set[str], public: bool = False) -> Callable[..., Callable[..., HttpResponse]]:
    """GET only; unknown search parameters are a 400; errors as OperationOutcome; sign-in unless public."""
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return _outcome(_("This FHIR server is read-only."), 405, "not-supported")
            unknown = sorted(set(request.GET) - params - _ALWAYS_ALLOWED)
            if unknown:
                return _outcome(_("Unknown search parameter(s): %(p)s; supported: %(s)s")
                                % {"p": ", ".join(unknown), "s": ", ".join(sorted(params | _ALWAYS_ALLOWED))}, 400,
                                "not-supported")
            if request.GET.get("_format", "json") not in ("json", "application/fhir+json", "application/json"):
                return _outcome(_("Only JSON is served (_format=json)."), 406, "not-supported")
            principal = None if public else _principal(request)
            if not public and principal is None:
                return _outcome(_("Sign in or send a valid API token."), 401)
            try:
                return view(request, principal, *args, **kwargs)
            except SearchError as exc:
                return _outcome(exc.text, exc.status, exc.code)
            except DomainError as exc:
                status = exc.status if exc.status in (403, 404) else 400
                return _outcome(str(exc.detail or exc.code.value), status)
        return wrapper
    return decorate


def _searchset(request: HttpRequest, resource_type: str, resources: list[dict[str, Any]], total: int,
               offset: int, count: int, full_url: Callable[[dict[str, Any]], str]) -> HttpResponse:
    base = request.build_absolute_uri(request.path)
    query = [(k, v) for k, values in request.GET.lists() for v in values if k != "_offset"]
    links = [{"relation": "self", "url": f"{base}?{urlencode(query + [('_offset', offset)])}"}]
    if offset + count < total:
        links.append({"relation": "next", "url": f"{base}?{urlencode(query + [('_offset', offset + count)])}"})
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links}
    if resources:
        bundle["entry"] = [{"fullUrl": full_url(r), "resource": r, "search": {"mode": "match"}} for r in resources]
    return _respond(bundle)


def _server_url(request: HttpRequest, resource: dict[str, Any]) -> str:
    return request.build_absolute_uri(f"/fhir/{resource['resourceType']}/{resource['id']}")


@fhir_view(params=set(), public=True)
def metadata(request: HttpRequest, principal: Principal | None) -> HttpResponse:
    """The CapabilityStatement."""
    return _respond(capability_statement())


def _registry_search(request: HttpRequest, principal: Principal | None, build: Callable[..., dict[str, Any]],
                     resource_type: str) -> HttpResponse:
    count, offset = count_param(request.GET.getlist("_count")), offset_param(request.GET.getlist("_offset"))
    identifiers = [token_param(v) for v in request.GET.getlist("identifier")]
    qs = reads.facilities(viewer=principal, ids=request.GET.getlist("_id"), identifiers=identifiers,
                          states=request.GET.getlist("address-state") if resource_type == "Location" else [])
    total = qs.count()
    resources = [build(f) for f in qs.order_by("code")[offset:offset + count]]
    return _searchset(request, resource_type, resources, total, offset, count, lambda r: _server_url(request, r))


@fhir_view(params={"_id", "identifier", "address-state"})
def location_search(request: HttpRequest, principal: Principal | None) -> HttpResponse:
    """Locations (facilities) by _id, identifier, address-state (region ISO code)."""
    return _registry_search(request, principal, reads.location, "Location")


@fhir_view(params={"_id", "identifier"})
def organization_search(request: HttpRequest, principal: Principal | None) -> HttpResponse:
    """Organizations (facilities' providers) by _id, identifier."""
    return _registry_search(request, principal, reads.organization, "Organization")


def _registry_read(principal: Principal | None, resource_id: str, build: Callable[..., dict[str, Any]],
                   resource_type: str) -> HttpResponse:
    found = list(reads.facilities(viewer=principal, ids=[resource_id], identifiers=[], states=[])[:1])
    if not found or facility_resource_id(found[0].code) != resource_id:
        return _outcome(_("%(type)s/%(id)s is not known") % {"type": resource_type, "id": resource_id}, 404)
    return _respond(build(found[0]))


@fhir_view(params=set())
def location_read(request: HttpRequest, principal: Principal | None, resource_id: str) -> HttpResponse:
    """One Location by id."""
    return _registry_read(principal, resource_id, reads.location, "Location")


@fhir_view(params=set())
def organization_read(request: HttpRequest, principal: Principal | None, resource_id: str) -> HttpResponse:
    """One Organization by id."""
    return _registry_read(principal, resource_id, reads.organization, "Organization")


@fhir_view(params={"subject", "date"})
def measure_report_search(request: HttpRequest, principal: Principal | None) -> HttpResponse:
    """Stored capacity reports by subject (Location/<id>) and date (FHIR prefixes), newest first."""
    count, offset = count_param(request.GET.getlist("_count")), offset_param(request.GET.getlist("_offset"))
    date = date_lookups("reported_at", request.GET.getlist("date"))
    total, reports = reads.measure_reports(viewer=principal, subjects=request.GET.getlist("subject"), date=date,
                                           count=count, offset=offset)
    return _searchset(request, "MeasureReport", reports, total, offset, count, lambda r: f"urn:uuid:{r['id']}")


def _definitions(request: HttpRequest, resources: list[dict[str, Any]]) -> HttpResponse:
    urls = request.GET.getlist("url")
    chosen = [r for r in resources if not urls or r["url"] in urls]
    return _searchset(request, resources[0]["resourceType"], chosen, len(chosen), 0, max(len(chosen), 1),
                      lambda r: _server_url(request, r))


@fhir_view(params={"url"}, public=True)
def measure_search(request: HttpRequest, principal: Principal | None) -> HttpResponse:
    """The Measure(s), optionally by canonical url."""
    return _definitions(request, [definitions.measure()])


@fhir_view(params=set(), public=True)
def measure_read(request: HttpRequest, principal: Principal | None, resource_id: str) -> HttpResponse:
    """The Measure by id."""
    if resource_id != definitions.MEASURE_ID:
        return _outcome(_("Measure/%(id)s is not known") % {"id": resource_id}, 404)
    return _respond(definitions.measure())


@fhir_view(params={"url"}, public=True)
def codesystem_search(request: HttpRequest, principal: Principal | None) -> HttpResponse:
    """Every CodeSystem, optionally by canonical url."""
    return _definitions(request, [definitions.codesystem(i) or {} for i in definitions.codesystem_ids()])


@fhir_view(params=set(), public=True)
def codesystem_read(request: HttpRequest, principal: Principal | None, resource_id: str) -> HttpResponse:
    """One CodeSystem by id."""
    resource = definitions.codesystem(resource_id)
    if resource is None:
        return _outcome(_("CodeSystem/%(id)s is not known") % {"id": resource_id}, 404)
    return _respond(resource)


def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Any other /fhir/ path: a resource type this server does not serve."""
    return _outcome(_("This server does not serve %(path)s") % {"path": path}, 404, "not-supported")


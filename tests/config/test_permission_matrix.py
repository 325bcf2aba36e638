"""Every API operation × caller × target, against an explicit table of expected answers.

Callers: each role with its scope (national, Almaty city KZ-75, or facility A in KZ-75), a facility API token of
A, and an anonymous caller. Targets: facility A, facility B (same region, other facility) and facility C in
Astana (KZ-71). Allowed → the endpoint's success status; refused → 403 with code `forbidden` (and the attempt
audited); anonymous → 401. The expectations are written out in RULES (not computed by the policy under test),
and every operation of the OpenAPI document must appear in ENDPOINTS by its operation id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

import pytest
from django.test import Client
from lxml import etree

from jedel.accounts.models import AuditEvent
from jedel.accounts.services import SYSTEM, token_create
from jedel.common.clock import utcnow
from jedel.capacity.interop.edxl_have import edxl_have_export
from jedel.facilities.io.csv_format import facilities_export_csv
from jedel.facilities.models import Facility, ReferralLink
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.reports import report_submit
from tests.capacity.capacity_helpers import make_facility, make_user

ROLES = ["national_coordinator", "regional_coordinator", "facility_manager", "clinician", "security_officer",
         "viewer", "token", "anonymous"]
TARGETS = ["A", "B", "C"]


# Expected answer per caller for targets (A, B, C): Y = allowed, N = refused with 403.
EVERYONE = {r: "YYY" for r in ROLES if r != "anonymous"}
# Writes on one facility: national everywhere, the regional coordinator in KZ-75 (A and B), the facility's own
# manager and its token on A only.
FACILITY_WRITE = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY",
                  "regional_coordinator": "YYN", "facility_manager": "YNN"}
REPORT = {**FACILITY_WRITE, "token": "YNN"}
# Coordinators only (registry-wide writes, the audit trail): national everywhere, regional in KZ-75.
COORDINATORS = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY",
                "regional_coordinator": "YYN"}
# The audit trail is read within the caller's own scope whatever the target: both coordinators, always.
AUDIT = {**COORDINATORS, "regional_coordinator": "YYY"}


@dataclass(frozen=True)
class Endpoint:
    name: str                        # the OpenAPI operation id
    method: str
    path: Callable[[Facility], str]
    expected: dict[str, str]
    ok: int
    body: Callable[[Facility, dict[str, Facility]], tuple[Any, str]] | None = None


def _report_body(f, world):
    return json.dumps({"reported_at": utcnow().isoformat(), "beds": [{"bed_type": "AdultICU", "staffed": 10,
                                                                        "occupied": 4}]}), "application/json"


def _create_body(f, world):
    return json.dumps({"code": f"NEW-{f.code}", "name_en": "New hospital", "kind": "city_hospital",
                       "region_iso": f.region.iso_code, "lat": f.lat, "lon": f.lon}), "application/json"


def _patch_body(f, world):
    return json.dumps({"version": f.version, "name_en": "Renamed"}), "application/json"


def _import_body(f, world):
    csv = facilities_export_csv([f]).replace(f.code, f"IMP-{f.code}")
    return csv, "text/csv"


def _referral_body(f, world):
    other = world["C"] if f.code != "PM-C" else world["A"]
    return json.dumps({"target": other.code, "specialty": "burns"}), "application/json"


def _edxl_body(f, world):
    doc = etree.fromstring(edxl_have_export(actor=SYSTEM, region_iso=f.region.iso_code))
    ns = {"have": "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0"}
    for hospital in doc.findall("have:Hospital", ns):
        if f.code.encode() not in etree.tostring(hospital):
            doc.remove(hospital)
    return etree.tostring(doc), "application/xml"


ENDPOINTS = [
    Endpoint("list_regions", "get", lambda f: "/api/geo/regions", EVERYONE, 200),
    Endpoint("get_region_boundary", "get", lambda f: f"/api/geo/regions/{f.region.iso_code}/boundary", EVERYONE, 200),
    Endpoint("list_towns", "get", lambda f: f"/api/geo/towns?region={f.region.iso_code}", EVERYONE, 200),
    Endpoint("get_me", "get", lambda f: "/api/accounts/me", EVERYONE, 200),
    Endpoint("list_facilities", "get", lambda f: f"/api/facilities?region={f.region.iso_code}", EVERYONE, 200),
    Endpoint("get_facility", "get", lambda f: f"/api/facilities/{f.code}", EVERYONE,
             200),
    Endpoint("export_facilities_csv", "get", lambda f: f"/api/facilities/export.csv?region={f.region.iso_code}",
             EVERYONE, 200),
    Endpoint("export_facilities_fhir", "get", lambda f: f"/api/facilities/export.fhir.json?region={f.region.iso_code}",
             EVERYONE, 200),
    Endpoint("list_facility_referrals", "get", lambda f: f"/api/facilities/{f.code}/referrals", EVERYONE, 200),
    Endpoint("get_referral_network", "get", lambda f: f"/api/referral-network?region={f.region.iso_code}",
             EVERYONE, 200),
    Endpoint("get_facility_status", "get", lambda f: f"/api/facilities/{f.code}/status", EVERYONE, 200),
    Endpoint("list_facility_reports", "get", lambda f: f"/api/facilities/{f.code}/reports", EVERYONE, 200),
    Endpoint("list_status", "get", lambda f: f"/api/status?region={f.region.iso_code}", EVERYONE, 200),
    Endpoint("get_status_totals", "get", lambda f: "/api/status/regions", EVERYONE, 200),
    Endpoint("list_region_overdue", "get", lambda f: f"/api/regions/{f.region.iso_code}/overdue", EVERYONE, 200),
    Endpoint("export_edxl_have", "get", lambda f: f"/api/export/edxl-have.xml?region={f.region.iso_code}",
             EVERYONE, 200),
    Endpoint("export_saner", "get", lambda f: f"/api/export/saner.json?region={f.region.iso_code}",
             EVERYONE, 200),
    Endpoint("list_audit", "get", lambda f: "/api/accounts/audit", AUDIT, 200),
    Endpoint("submit_report", "post", lambda f: f"/api/facilities/{f.code}/reports", REPORT, 201, _report_body),
    Endpoint("create_facility", "post", lambda f: "/api/facilities", COORDINATORS, 201, _create_body),
    Endpoint("update_facility", "patch", lambda f: f"/api/facilities/{f.code}", FACILITY_WRITE,
             200, _patch_body),
    Endpoint("deactivate_facility", "post", lambda f: f"/api/facilities/{f.code}/deactivate", COORDINATORS, 200),
    Endpoint("set_referral", "post", lambda f: f"/api/facilities/{f.code}/referrals", FACILITY_WRITE, 201, _referral_body),
    Endpoint("remove_referral", "delete",
             lambda f: f"/api/facilities/{f.code}/referrals/{'PM-B' if f.code == 'PM-A' else 'PM-A'}/trauma",
             FACILITY_WRITE, 204),
    Endpoint("import_facilities", "post", lambda f: "/api/facilities/import", COORDINATORS, 200,
             _import_body),
    Endpoint("import_edxl_have", "post", lambda f: "/api/import/edxl-have", REPORT,
             200, _edxl_body),
    # The engines compute on the caller's input and the national picture, as open as the board.
    Endpoint("plan_distribution", "post", lambda f: f"/api/distribution/plan?live=true&region={f.region.iso_code}",
             EVERYONE, 200, lambda f, world: (json.dumps({"casualties": [
                 {"id": "c1", "lat": f.lat, "lon": f.lon, "category": "immediate"}]}), "application/json")),
    Endpoint("assess_triage", "post", lambda f: "/api/triage/start", EVERYONE, 200,
             lambda f, world: (json.dumps({"findings": {"can_walk": False, "breathing": True,
                                                        "respiratory_rate_per_min": 34}}), "application/json")),
]


def test_the_matrix_covers_every_operation_in_the_openapi_document_by_name():
    from jedel.config.api import api

    operations = {(op["operationId"], method) for ops in api.get_openapi_schema()["paths"].values()
                  for method, op in ops.items()}
    assert operations == {(e.name, e.method) for e in ENDPOINTS}


@pytest.fixture
def world(kz):
    a = make_facility(kz["KZ-75"], "PM-A")
    b = make_facility(kz["KZ-75"], "PM-B")
    c = make_facility(kz["KZ-71"], "PM-C")
    for f in (a, b, c):
        report_submit(actor=SYSTEM, facility=f, source="api", now=utcnow(),
                      data=ReportInput(reported_at=utcnow() - timedelta(minutes=5),
                                       beds=(BedInput("AdultICU", 10, 5),)))
    ReferralLink.objects.create(source=a, target=b, specialty="trauma")
    ReferralLink.objects.create(source=b, target=a, specialty="trauma")
    ReferralLink.objects.create(source=c, target=a, specialty="trauma")
    return {"A": a, "B": b, "C": c, "region": kz["KZ-75"]}


def _caller(role: str, world) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    if role == "token":
        _, raw = token_create(actor=SYSTEM, name="his", facility_id=world["A"].pk)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client
    user = make_user(f"pm-{role}", role, region=world["region"] if role == "regional_coordinator" else None,
                     facility=world["A"] if role in {"facility_manager", "clinician", "security_officer"} else None)
    client.force_login(user)
    return client


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_endpoint_role_target(endpoint: Endpoint, role: str, target: str, world):
    facility = world[target]
    client = _caller(role, world)
    kwargs: dict[str, Any] = {}
    if endpoint.body:
        data, content_type = endpoint.body(facility, world)
        kwargs = {"data": data, "content_type": content_type}
    expected_allowed = None if role == "anonymous" else endpoint.expected[role][TARGETS.index(target)] == "Y"
    denied_before = AuditEvent.objects.filter(outcome="denied").count()

    response = getattr(client, endpoint.method)(endpoint.path(facility), **kwargs)

    if expected_allowed is None:
        assert response.status_code == 401, response.content[:300]
    elif expected_allowed:
        assert response.status_code == endpoint.ok, response.content[:500]
    else:
        assert response.status_code == 403, response.content[:300]
        assert response.json()["detail"][0]["code"] in {"forbidden", "token_wrong_facility"}
        assert AuditEvent.objects.filter(outcome="denied").count() == denied_before + 1

"""Every API endpoint × role × scope × target: the answer is exactly what the one policy decides.

Principals: each role with its scope (national, Almaty city KZ-75, or facility A in KZ-75), a facility API
token of A, and an anonymous caller. Targets: facility A, facility B (same region, other facility) and
facility C in Astana (KZ-71). Allowed → the endpoint's success status; refused → 403 with code `forbidden`
(and the attempt audited); anonymous → 401.
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
from jedel.accounts.policy import Action, Principal, Target, allowed, principal_for_user
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


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[Facility], str]
    action: Action | None            # None: any signed-in caller
    target: Callable[[Facility], Target]
    ok: int
    body: Callable[[Facility, dict[str, Facility]], tuple[Any, str]] | None = None


def _facility_target(f: Facility) -> Target:
    return Target(region_id=f.region_id, facility_id=f.pk)


def _national(f: Facility) -> Target:
    return Target()


def _region(f: Facility) -> Target:
    return Target(region_id=f.region_id)


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
    Endpoint("regions", "get", lambda f: "/api/geo/regions", Action.VIEW_BOARD, _national, 200),
    Endpoint("boundary", "get", lambda f: f"/api/geo/regions/{f.region.iso_code}/boundary", Action.VIEW_BOARD,
             _national, 200),
    Endpoint("towns", "get", lambda f: f"/api/geo/towns?region={f.region.iso_code}", Action.VIEW_BOARD,
             _national, 200),
    Endpoint("me", "get", lambda f: "/api/accounts/me", None, _national, 200),
    Endpoint("facilities", "get", lambda f: f"/api/facilities?region={f.region.iso_code}", Action.VIEW_FACILITY,
             _region, 200),
    Endpoint("facility", "get", lambda f: f"/api/facilities/{f.code}", Action.VIEW_FACILITY, _facility_target,
             200),
    Endpoint("export_csv", "get", lambda f: f"/api/facilities/export.csv?region={f.region.iso_code}",
             Action.VIEW_FACILITY, _region, 200),
    Endpoint("export_fhir", "get", lambda f: f"/api/facilities/export.fhir.json?region={f.region.iso_code}",
             Action.VIEW_FACILITY, _region, 200),
    Endpoint("referrals", "get", lambda f: f"/api/facilities/{f.code}/referrals", Action.VIEW_FACILITY,
             _facility_target, 200),
    Endpoint("network", "get", lambda f: f"/api/referral-network?region={f.region.iso_code}",
             Action.VIEW_FACILITY, _region, 200),
    Endpoint("status_one", "get", lambda f: f"/api/facilities/{f.code}/status", Action.VIEW_FACILITY,
             _facility_target, 200),
    Endpoint("history", "get", lambda f: f"/api/facilities/{f.code}/reports", Action.VIEW_FACILITY,
             _facility_target, 200),
    Endpoint("status", "get", lambda f: f"/api/status?region={f.region.iso_code}", Action.VIEW_BOARD,
             _national, 200),
    Endpoint("totals", "get", lambda f: "/api/status/regions", Action.VIEW_BOARD, _national, 200),
    Endpoint("overdue", "get", lambda f: f"/api/regions/{f.region.iso_code}/overdue", Action.VIEW_BOARD,
             _region, 200),
    Endpoint("edxl_export", "get", lambda f: f"/api/export/edxl-have.xml?region={f.region.iso_code}",
             Action.EXPORT, _region, 200),
    Endpoint("saner_export", "get", lambda f: f"/api/export/saner.json?region={f.region.iso_code}",
             Action.EXPORT, _region, 200),
    Endpoint("audit", "get", lambda f: "/api/accounts/audit", Action.VIEW_AUDIT, _national, 200),
    Endpoint("report", "post", lambda f: f"/api/facilities/{f.code}/reports", Action.REPORT_CAPACITY,
             _facility_target, 201, _report_body),
    Endpoint("create", "post", lambda f: "/api/facilities", Action.CREATE_FACILITY, _region, 201, _create_body),
    Endpoint("update", "patch", lambda f: f"/api/facilities/{f.code}", Action.EDIT_FACILITY, _facility_target,
             200, _patch_body),
    Endpoint("deactivate", "post", lambda f: f"/api/facilities/{f.code}/deactivate", Action.CREATE_FACILITY,
             _facility_target, 200),
    Endpoint("referral_add", "post", lambda f: f"/api/facilities/{f.code}/referrals", Action.EDIT_FACILITY,
             _facility_target, 201, _referral_body),
    Endpoint("referral_remove", "delete",
             lambda f: f"/api/facilities/{f.code}/referrals/{'PM-B' if f.code == 'PM-A' else 'PM-A'}/trauma",
             Action.EDIT_FACILITY, _facility_target, 204),
    Endpoint("import", "post", lambda f: "/api/facilities/import", Action.IMPORT_FACILITIES, _region, 200,
             _import_body),
    Endpoint("edxl_import", "post", lambda f: "/api/import/edxl-have", Action.REPORT_CAPACITY, _facility_target,
             200, _edxl_body),
]


def test_the_matrix_covers_every_operation_in_the_openapi_document():
    from jedel.config.api import api

    operations = {(m, p) for p, ops in api.get_openapi_schema()["paths"].items() for m in ops}
    assert len(operations) == len(ENDPOINTS)


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


def _caller(role: str, world) -> tuple[Client, Principal | None]:
    client = Client()
    if role == "anonymous":
        return client, None
    if role == "token":
        _, raw = token_create(actor=SYSTEM, name="his", facility_id=world["A"].pk)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client, Principal(label="token", role=None, scope_level="facility", region_id=world["A"].region_id,
                                 facility_id=world["A"].pk, is_token=True)
    user = make_user(f"pm-{role}", role, region=world["region"] if role == "regional_coordinator" else None,
                     facility=world["A"] if role in {"facility_manager", "clinician", "security_officer"} else None)
    client.force_login(user)
    return client, principal_for_user(user)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_endpoint_role_target(endpoint: Endpoint, role: str, target: str, world):
    facility = world[target]
    client, principal = _caller(role, world)
    kwargs: dict[str, Any] = {}
    if endpoint.body:
        data, content_type = endpoint.body(facility, world)
        kwargs = {"data": data, "content_type": content_type}
    if principal is None:
        expected_allowed = None
    elif endpoint.action is None:
        expected_allowed = True
    elif endpoint.action == Action.VIEW_AUDIT:
        expected_allowed = allowed(principal, endpoint.action, Target(region_id=principal.region_id))
    else:
        expected_allowed = allowed(principal, endpoint.action, endpoint.target(facility))
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

"""Every API operation × caller × target, against an explicit table of expected answers.

Callers: each role with its scope (national, Almaty city KZ-75, or facility A in KZ-75; the logistician is
regional, in KZ-75), a facility API token of A, and an anonymous caller. Targets: facility A, facility B (same
region, other facility) and facility C in Astana (KZ-71). Allowed → the endpoint's success status; refused → 403
with code `forbidden` (and the attempt audited), or the row's own refusal (404, or 422 for an import that lists
refused lines, the attempt audited too); anonymous → 401. The expectations are written out in
permission_table.py and the rows files (not computed by the policy under test), and every operation of the
OpenAPI document must appear in ENDPOINTS by its operation id. The rows of the incidents, preparedness, security
and transfers apps are in permission_rows_<app>.py; the supplies app's in permission_rows_supplies_stock.py
(catalogue, warehouses, stock), permission_rows_supplies_requests.py (requests, shipments) and
permission_rows_supplies_distribution.py (distributions, feedback, kit proposals).
"""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from lxml import etree

from jedel.accounts.models import AuditEvent
from jedel.accounts.services import SYSTEM, token_create
from jedel.common.clock import utcnow
from jedel.capacity.interop.edxl_have import edxl_have_export
from jedel.facilities.io.csv_format import facilities_export_csv
from jedel.facilities.models import ReferralLink
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.reports import report_submit
from tests.capacity.capacity_helpers import make_facility, make_user
from tests.common.caches import clear_process_caches
from tests.config.permission_rows_incidents import INCIDENT_ENDPOINTS
from tests.config.permission_rows_preparedness import PREPAREDNESS_ENDPOINTS
from tests.config.permission_rows_transfers import TRANSFER_ENDPOINTS
from tests.config.permission_rows_security import SECURITY_ENDPOINTS
from tests.config.permission_rows_supplies_distribution import SUPPLY_DISTRIBUTION_ENDPOINTS
from tests.config.permission_rows_supplies_requests import SUPPLY_REQUEST_ENDPOINTS
from tests.config.permission_rows_supplies_stock import SUPPLY_STOCK_ENDPOINTS
from tests.config.permission_table import (
    ACCOUNT_AUDIT, AUDIT, COORDINATORS, DIGEST_READ, DIGEST_WRITE, EVERYONE, FACILITY_WRITE, NOBODY, NOTICE_LOG,
    NOTICE_SEND, PEOPLE, REPORT, ROLES, TARGETS, TOKEN_LIST, Endpoint, _json, _recipient,
)


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


def _account_of(f):
    """A facility manager of `f` (made on first use): the account the administration endpoints act on."""
    from jedel.accounts.models import User

    user = User.objects.filter(username=f"acct-{f.code}").first()
    return (user or make_user(f"acct-{f.code}", "facility_manager", facility=f)).username


def _token_of(f) -> int:
    return token_create(actor=SYSTEM, name="to-revoke", facility_id=f.pk)[0].pk


def _notice_body(f, world):
    return json.dumps({"kind": "other", "title": "Check", "levels": [[{"user": _recipient().pk}]],
                       "facility": f.pk, "region": f.region_id}), "application/json"


def _notice_at(f):
    """A notice about `f` to the recipient, made directly (the caller is neither its sender nor recipient)."""
    from jedel.notifications.models import Delivery, Notice

    now = utcnow()
    notice = Notice.objects.create(kind="other", title="Check", sender_label="system", facility=f, region=f.region,
                                   created_at=now, level_started_at=now, levels=[[{"user": _recipient().pk}]],
                                   ack_timeout_s=[60])
    Delivery.objects.create(notice=notice, recipient=_recipient(), channel="in_app", queued_at=now, state="sent")
    return notice


def _desk_of(f):
    from jedel.notifications.models import Desk

    return Desk.objects.get_or_create(kind="admissions", facility=f)[0]


def _shift_body(f, world):
    return json.dumps({"desk": _desk_of(f).pk, "user": _recipient().pk, "starts_at": "2026-12-02T20:00:00Z",
                       "ends_at": "2026-12-03T08:00:00Z"}), "application/json"


def _shift_at(f):
    from datetime import UTC, datetime

    from jedel.notifications.models import Shift

    return Shift.objects.create(desk=_desk_of(f), user=_recipient(), starts_at=datetime(2026, 12, 2, 20, tzinfo=UTC),
                                ends_at=datetime(2026, 12, 3, 8, tzinfo=UTC))


def _digest_rule():
    from jedel.notifications.models import DigestRule

    return DigestRule.objects.create(kind="incoming_patient", role="viewer", every_min=30)


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
    Endpoint("list_audit", "get", lambda f: "/api/accounts/audit", ACCOUNT_AUDIT, 200),
    # Account administration: a user of the target facility (managed by coordinators over it), its tokens.
    Endpoint("list_users", "get", lambda f: "/api/accounts/users", AUDIT, 200),
    Endpoint("deactivate_user", "post", lambda f: f"/api/accounts/users/{_account_of(f)}/deactivate",
             COORDINATORS, 200),
    Endpoint("activate_user", "post", lambda f: f"/api/accounts/users/{_account_of(f)}/activate",
             COORDINATORS, 200),
    Endpoint("unlock_user", "post", lambda f: f"/api/accounts/users/{_account_of(f)}/unlock", COORDINATORS, 200),
    Endpoint("set_user_password", "post", lambda f: f"/api/accounts/users/{_account_of(f)}/password",
             COORDINATORS, 200, lambda f, world: (json.dumps({"password": "a-new-long-passphrase-7"}),
                                                  "application/json")),
    Endpoint("list_tokens", "get", lambda f: "/api/accounts/tokens", TOKEN_LIST, 200),
    Endpoint("create_token", "post", lambda f: "/api/accounts/tokens", FACILITY_WRITE, 201,
             lambda f, world: (json.dumps({"name": "his", "facility": f.code}), "application/json")),
    Endpoint("revoke_token", "post", lambda f: f"/api/accounts/tokens/{_token_of(f)}/revoke", FACILITY_WRITE, 200),
    Endpoint("submit_report", "post", lambda f: f"/api/facilities/{f.code}/reports", REPORT, 201, _report_body),
    Endpoint("confirm_report", "post", lambda f: f"/api/facilities/{f.code}/reports/confirm", REPORT, 201,
             lambda f, world: ("{}", "application/json")),
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
    # Notifications: sending to a facility and its log follow the facility's scope; one's inbox and the
    # rosters are open to every person (not to facility tokens); answering is for the recipient alone.
    Endpoint("send_notice", "post", lambda f: "/api/notices", NOTICE_SEND, 201, _notice_body),
    Endpoint("list_notices", "get", lambda f: "/api/notices", NOTICE_LOG, 200),
    Endpoint("get_notice_stats", "get", lambda f: "/api/notices/stats", NOTICE_LOG, 200),
    Endpoint("get_notice", "get", lambda f: f"/api/notices/{_notice_at(f).pk}", NOTICE_SEND, 200),
    Endpoint("list_inbox", "get", lambda f: "/api/notices/inbox", PEOPLE, 200),
    Endpoint("answer_delivery", "post",
             lambda f: f"/api/notices/deliveries/{_notice_at(f).deliveries.get().pk}/answer", NOBODY, 200,
             lambda f, world: (json.dumps({"answer": "read"}), "application/json"), refused=404),
    Endpoint("list_rosters", "get", lambda f: "/api/rosters", PEOPLE, 200),
    Endpoint("create_desk", "post", lambda f: "/api/rosters/desks", NOTICE_SEND, 201,
             lambda f, world: (json.dumps({"kind": "security", "facility": f.pk}), "application/json")),
    Endpoint("add_shift", "post", lambda f: "/api/rosters/shifts", NOTICE_SEND, 201, _shift_body),
    Endpoint("remove_shift", "delete", lambda f: f"/api/rosters/shifts/{_shift_at(f).pk}", NOTICE_SEND, 204),
    Endpoint("list_digest_rules", "get", lambda f: "/api/digest-rules", DIGEST_READ, 200),
    Endpoint("set_digest_rule", "put", lambda f: "/api/digest-rules", DIGEST_WRITE, 200,
             _json({"kind": "overdue_report", "role": "facility_manager", "mode": "digest", "every_min": 30})),
    Endpoint("delete_digest_rule", "delete", lambda f: f"/api/digest-rules/{_digest_rule().pk}", DIGEST_WRITE, 204),
] + INCIDENT_ENDPOINTS + PREPAREDNESS_ENDPOINTS + SECURITY_ENDPOINTS + TRANSFER_ENDPOINTS + SUPPLY_STOCK_ENDPOINTS \
    + SUPPLY_REQUEST_ENDPOINTS + SUPPLY_DISTRIBUTION_ENDPOINTS


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


def _principal(role: str, world) -> Any:
    """The caller's account (a user), a facility token of A (its raw value), or None for the anonymous caller."""
    if role == "anonymous":
        return None
    if role == "token":
        return token_create(actor=SYSTEM, name="his", facility_id=world["A"].pk)[1]
    if role == "logistician":
        # A regional logistician (KZ-75, A's and B's region) is the common case; make_user would scope it nationally.
        from jedel.accounts.models import User

        user = User(username="pm-logistician", role=role, scope_level="region", scope_region=world["region"])
        user.set_unusable_password()
        user.save()
        return user
    return make_user(f"pm-{role}", role, region=world["region"] if role == "regional_coordinator" else None,
                     facility=world["A"] if role in {"facility_manager", "clinician", "security_officer"} else None)


def _client(principal: Any) -> Client:
    """A fresh client per call (no cookies carried from the call before), signed in as the principal."""
    client = Client()
    if isinstance(principal, str):
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {principal}"
    elif principal is not None:
        client.force_login(principal)
    return client


def _wrong_answer(endpoint: Endpoint, role: str, target: str, principal: Any, world) -> str | None:
    """What is wrong with this caller's answer on this target, or None when it is the expected one."""
    facility = world[target]
    client = _client(principal)
    kwargs: dict[str, Any] = {}
    if endpoint.body:
        data, content_type = endpoint.body(facility, world)
        kwargs = {"data": data, "content_type": content_type}
    expected_allowed = None if role == "anonymous" else endpoint.expected[role][TARGETS.index(target)] == "Y"
    denied_before = AuditEvent.objects.filter(outcome="denied").count()

    response = getattr(client, endpoint.method)(endpoint.path(facility), **kwargs)

    status = response.status_code
    if expected_allowed is None:
        expected = 401
    elif expected_allowed:
        expected = endpoint.ok
    else:
        expected = endpoint.refused
    if status != expected:
        return f"{status} instead of {expected}: {response.content[:300]!r}"
    if expected == 422 and not expected_allowed:
        codes = [(d["code"], d["loc"][-1]) for d in response.json()["detail"]]
        if codes != [("import_invalid", "warehouse")]:
            return f"422 with {codes} instead of the refused warehouse line"
    if expected == 403:
        code = response.json()["detail"][0]["code"]
        if code not in {"forbidden", "token_wrong_facility"}:
            return f"403 with code {code!r}"
    if expected in (403, 422) and not expected_allowed:
        if AuditEvent.objects.filter(outcome="denied").count() != denied_before + 1:
            return "refused without an audited denial"
    return None


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_endpoint_answers_each_caller_on_each_target(endpoint: Endpoint, world):
    """Each caller × target is one call in its own savepoint, rolled back after it: every call sees the same
    world, as separate tests would, without building the world 27 times."""
    principals = {role: _principal(role, world) for role in ROLES}
    wrong = []
    for role in ROLES:
        for target in TARGETS:
            with transaction.atomic():
                clear_process_caches()  # a rolled-back call leaves no rows, but caches outlive it
                problem = _wrong_answer(endpoint, role, target, principals[role], world)
                transaction.set_rollback(True)
            if problem:
                wrong.append(f"{role} on {target}: {problem}")
    assert not wrong, "\n".join(wrong)

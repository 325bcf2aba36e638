"""Permission-matrix rows of the security app (panic buttons and alerts; registry rows follow in this file).

Callers as in test_permission_matrix: facility-scoped users are at A, the regional coordinator in KZ-75 (A, B).
"""

from __future__ import annotations

from datetime import timedelta

from jedel.accounts.services import SYSTEM
from jedel.common.clock import utcnow
from tests.config.permission_table import ROLES, Endpoint, _json

# The security desk over a facility (console, answering alerts, buttons): coordinators over it, its manager and
# its security officer. Clinicians, viewers and facility API tokens: never.
SECURITY_DESK = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY",
                 "regional_coordinator": "YYN", "facility_manager": "YNN", "security_officer": "YNN"}
# The panic page: the facility's own staff (clinicians, managers, security officers) at their own facility only.
PANIC_STAFF = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "facility_manager": "YNN", "clinician": "YNN",
               "security_officer": "YNN"}
# Security reads without personal data (response times, posture): the desk and viewers (national here).
SECURITY_READ = {**SECURITY_DESK, "viewer": "YYY"}


def _alert_at(f):
    from jedel.security.models import PanicAlert

    now = utcnow()
    return PanicAlert.objects.create(facility=f, location="ER", source="device", raised_by_label="button",
                                     pressed_at=now - timedelta(seconds=20), last_press_at=now)


def _button_at(f):
    from jedel.security.services.panic import button_create

    return button_create(actor=SYSTEM, facility_id=f.pk, location="ER triage desk")[0]


SECURITY_ENDPOINTS = [
    Endpoint("press_panic", "post", lambda f: "/api/security/panic", PANIC_STAFF, 201,
             lambda f, world: _json({"facility": f.pk, "location": "Ward 3"})(f, world)),
    Endpoint("list_panic_alerts", "get", lambda f: f"/api/security/alerts?facility={f.pk}", SECURITY_DESK, 200),
    Endpoint("acknowledge_panic_alert", "post", lambda f: f"/api/security/alerts/{_alert_at(f).pk}/acknowledge",
             SECURITY_DESK, 200),
    Endpoint("resolve_panic_alert", "post", lambda f: f"/api/security/alerts/{_alert_at(f).pk}/resolve",
             SECURITY_DESK, 200, _json({"outcome": "false_alarm"})),
    Endpoint("list_panic_buttons", "get", lambda f: f"/api/security/buttons?facility={f.pk}", SECURITY_DESK, 200),
    Endpoint("create_panic_button", "post", lambda f: "/api/security/buttons", SECURITY_DESK, 201,
             lambda f, world: _json({"facility": f.pk, "location": "Ward 3"})(f, world)),
    Endpoint("revoke_panic_button", "post", lambda f: f"/api/security/buttons/{_button_at(f).pk}/revoke",
             SECURITY_DESK, 200),
    Endpoint("get_panic_response_times", "get", lambda f: f"/api/security/response-times?facility={f.pk}",
             SECURITY_READ, 200),
]


# Names of victims and perpetrators, evidence files: the facility's security officer and manager (and the regional
# security lead, who is no caller here); never coordinators, viewers, clinicians or tokens.
PERSONAL = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "facility_manager": "YNN", "security_officer": "YNN"}
VIDEO = b"frame-0001" * 100


def _incident_at(f):
    from datetime import UTC, datetime

    from jedel.security.services.registry import IncidentInput, VictimInput, incident_record

    return incident_record(actor=SYSTEM, facility_id=f.pk, data=IncidentInput(
        occurred_at=datetime(2026, 11, 20, 23, 40, tzinfo=UTC), department="ER", kind="verbal", severity="minor",
        victims=(VictimInput("Aigerim S.", "nurse"),)))


def _evidence_at(f):
    import hashlib

    from jedel.security.services.registry import evidence_add

    return evidence_add(actor=SYSTEM, incident_id=_incident_at(f).pk, kind="photo", filename="p.jpg",
                        content_type="image/jpeg", chunks=[VIDEO], declared_sha256=hashlib.sha256(VIDEO).hexdigest())


def _evidence_body(f, world):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import MULTIPART_CONTENT

    return {"kind": "photo", "sha256": hashlib.sha256(VIDEO).hexdigest(),
            "file": SimpleUploadedFile("p.jpg", VIDEO, "image/jpeg")}, MULTIPART_CONTENT


def _incident_body(f, world):
    return _json({"facility": f.pk, "occurred_at": "2026-11-20T23:40:00Z", "department": "ER", "kind": "threat",
                  "severity": "minor", "victims": [{"name": "Aigerim S.", "staff_role": "nurse"}]})(f, world)


SECURITY_ENDPOINTS += [
    Endpoint("record_violence_incident", "post", lambda f: "/api/security/incidents", SECURITY_DESK, 201,
             _incident_body),
    Endpoint("list_violence_incidents", "get", lambda f: f"/api/security/incidents?facility={f.pk}", SECURITY_READ,
             200),
    Endpoint("get_violence_incident", "get", lambda f: f"/api/security/incidents/{_incident_at(f).pk}",
             SECURITY_READ, 200),
    Endpoint("update_violence_incident", "patch", lambda f: f"/api/security/incidents/{_incident_at(f).pk}",
             SECURITY_DESK, 200, _json({"version": 1, "criminal_case": "opened"})),
    Endpoint("upload_evidence", "post", lambda f: f"/api/security/incidents/{_incident_at(f).pk}/evidence",
             SECURITY_DESK, 201, _evidence_body),
    Endpoint("download_evidence", "get", lambda f: f"/api/security/evidence/{_evidence_at(f).pk}/download",
             PERSONAL, 200),
]

# Compliance is read within the caller's own scope, whatever the target.
SECURITY_SCOPE = {**{r: "YYY" for r in ("national_coordinator", "regional_coordinator", "facility_manager",
                                        "security_officer", "viewer")}, "clinician": "NNN", "logistician": "NNN",
                  "token": "NNN"}

SECURITY_ENDPOINTS += [
    Endpoint("test_panic_button", "post", lambda f: f"/api/security/buttons/{_button_at(f).pk}/test", SECURITY_DESK,
             200),
    Endpoint("get_security_posture", "get", lambda f: f"/api/security/posture/{f.pk}", SECURITY_READ, 200),
    Endpoint("save_security_posture", "put", lambda f: f"/api/security/posture/{f.pk}", SECURITY_DESK, 200,
             _json({"version": 0, "post_24_7": True, "cctv_cameras": 4, "er_cctv_covered": True,
                    "body_cameras": 2})),
    Endpoint("get_security_compliance", "get", lambda f: "/api/security/compliance", SECURITY_SCOPE, 200),
]
SECURITY_ENDPOINTS.append(
    Endpoint("get_violence_analytics", "get", lambda f: "/api/security/analytics?by=kind", SECURITY_SCOPE, 200))

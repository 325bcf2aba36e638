"""Setting the digest rules over the API: a national coordinator sets and removes them (audited); a bad rule
is 422 with its code and stores nothing. Who may call each operation is held by tests/config's matrix."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.accounts.models import AuditEvent
from jedel.notifications.models import DigestRule

pytestmark = pytest.mark.django_db


def put(client, body):
    return client.put("/api/digest-rules", json.dumps(body), content_type="application/json")


@pytest.fixture
def national(net) -> Client:
    client = Client()
    client.force_login(net["people"]["duty"])
    return client


def test_set_list_override_and_remove(national, net):
    role_rule = put(national, {"kind": "incoming_patient", "role": "clinician", "mode": "digest", "every_min": 30})
    assert role_rule.status_code == 200, role_rule.content
    assert role_rule.json() == {"id": role_rule.json()["id"], "kind": "incoming_patient", "role": "clinician",
                                "user": "", "mode": "digest", "every_min": 30}
    person = put(national, {"kind": "incoming_patient", "user": net["people"]["ed_nurse"].pk, "mode": "immediate"})
    assert (person.status_code, person.json()["user"], person.json()["every_min"]) == (200, "ed_nurse", None)
    # Setting the same role and kind again replaces the rule, it does not add one.
    again = put(national, {"kind": "incoming_patient", "role": "clinician", "mode": "digest", "every_min": 120})
    assert again.json()["id"] == role_rule.json()["id"]

    listed = national.get("/api/digest-rules").json()
    assert [(r["role"], r["user"], r["kind"], r["mode"], r["every_min"]) for r in listed] == [
        ("clinician", "", "incoming_patient", "digest", 120),
        ("regional_coordinator", "", "overdue_report", "digest", 60),
        ("", "ed_nurse", "incoming_patient", "immediate", None),
    ]
    assert national.delete(f"/api/digest-rules/{person.json()['id']}").status_code == 204
    assert DigestRule.objects.filter(user__isnull=False).count() == 0
    assert AuditEvent.objects.filter(action="manage_digest_rules").count() == 4
    assert national.delete(f"/api/digest-rules/{person.json()['id']}").status_code == 404


@pytest.mark.parametrize("body", [
    {"kind": "overdue_report", "mode": "digest", "every_min": 60},  # neither role nor person
    {"kind": "overdue_report", "role": "clinician", "user": 1, "mode": "immediate"},  # both
    {"kind": "overdue_report", "role": "clinician", "mode": "digest"},  # a digest without a period
    {"kind": "overdue_report", "user": 999_999, "mode": "immediate"},  # nobody
])
def test_bad_rules_are_refused_with_their_code(national, body):
    response = put(national, body)
    assert (response.status_code, response.json()["detail"][0]["code"]) == (422, "bad_digest_rule")
    assert DigestRule.objects.count() == 1  # the default rule only


def test_a_period_outside_5_to_1440_minutes_is_invalid(national):
    response = put(national, {"kind": "overdue_report", "role": "clinician", "mode": "digest", "every_min": 4})
    assert response.status_code == 422
    assert DigestRule.objects.count() == 1

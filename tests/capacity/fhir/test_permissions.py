"""The FHIR server's sign-in and permissions are the JSON API's: a session or a bearer token; Location and
Organization need view_facility, MeasureReport view_board (every role and every facility token holds both);
anonymous callers, revoked or unknown tokens and inactive users get a 401 OperationOutcome with a Bearer
challenge; metadata, Measure and CodeSystem are public. (tests/config/test_permission_matrix.py covers the
OpenAPI operations of /api/ only, so the matrix for /fhir/ is here.)"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.accounts.models import Role, User
from jedel.accounts.services import SYSTEM, token_create, token_revoke
from tests.capacity.capacity_helpers import make_user

PROTECTED = ("/fhir/Location", "/fhir/Location/ALA-1", "/fhir/Organization", "/fhir/Organization/ALA-1",
             "/fhir/MeasureReport", "/fhir/MeasureReport?subject=Location/AST-1")
PUBLIC = ("/fhir/metadata", "/fhir/Measure", "/fhir/Measure/HospitalBedCapacity", "/fhir/CodeSystem",
          "/fhir/CodeSystem/facility-kind")
# Expected per caller, written out (not computed by the policy): every role and a facility token read all.
ROLES = {Role.NATIONAL_COORDINATOR: "national", Role.REGIONAL_COORDINATOR: "region",
         Role.FACILITY_MANAGER: "facility", Role.CLINICIAN: "facility", Role.SECURITY_OFFICER: "facility",
         Role.VIEWER: "national"}


def _client_for(role: str, network) -> Client:
    a = network["A"]
    user = make_user(f"fhir-{role}", role, region=a.region if ROLES[role] == "region" else None,
                     facility=a if ROLES[role] == "facility" else None)
    client = Client()
    client.force_login(user)
    return client


def _bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _unauthenticated(response) -> None:
    assert response.status_code == 401, response.content[:300]
    assert response["WWW-Authenticate"] == 'Bearer realm="jedel"'
    assert json.loads(response.content)["issue"][0]["code"] == "login"


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("url", PROTECTED)
def test_every_role_reads_every_resource(fhir_network, role, url):
    assert _client_for(role, fhir_network).get(url).status_code == 200


@pytest.mark.parametrize("url", PROTECTED)
def test_a_facility_token_reads_and_anonymous_callers_and_bad_tokens_do_not(fhir_network, url):
    token, raw = token_create(actor=SYSTEM, name="his", facility_id=fhir_network["A"].pk)
    assert _bearer(raw).get(url).status_code == 200
    _unauthenticated(Client().get(url))
    _unauthenticated(_bearer("jdl_not-a-token").get(url))
    token_revoke(actor=SYSTEM, token_id=token.pk)
    _unauthenticated(_bearer(raw).get(url))


def test_a_bad_token_is_not_rescued_by_a_session(fhir_network):
    client = _client_for(Role.NATIONAL_COORDINATOR, fhir_network)
    _unauthenticated(client.get("/fhir/Location", HTTP_AUTHORIZATION="Bearer jdl_wrong"))


def test_an_inactive_user_is_signed_out(fhir_network):
    client = _client_for(Role.VIEWER, fhir_network)
    User.objects.filter(username=f"fhir-{Role.VIEWER}").update(is_active=False)
    _unauthenticated(client.get("/fhir/Location"))


@pytest.mark.parametrize("url", PUBLIC)
def test_definitions_and_metadata_are_public(fhir_network, url):
    assert Client().get(url).status_code == 200


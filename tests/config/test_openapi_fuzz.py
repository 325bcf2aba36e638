"""Schemathesis against /api/openapi.json: generated requests, valid and invalid, never get a 5xx.

Runs as a national coordinator (token) over a small network, so handlers get past authorisation and the
generated data reaches validation and the services.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from jedel.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Keep the test transaction's connection across requests, as Django's test client does.

    Schemathesis calls the WSGI app directly, so the handler's close_old_connections would otherwise close
    the connection in the middle of the test transaction (seen on PostgreSQL).
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def national_token(kz):
    from jedel.accounts.models import Role
    from jedel.accounts.services import SYSTEM, token_create, user_create

    user = user_create(actor=SYSTEM, username="fuzz", password="fuzz-pass-2026-ok", role=Role.NATIONAL_COORDINATOR)
    _, raw = token_create(actor=SYSTEM, name="fuzz", user=user)
    return raw


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,  # same examples every run: CI never flaky
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@pytest.mark.django_db
def test_api_never_answers_5xx(case, national_token):
    response = case.call(headers={"Authorization": f"Bearer {national_token}"})
    case.validate_response(response, checks=[not_a_server_error])

"""Schemathesis against /api/openapi.json with ALL its checks: the document describes the API exactly.

Every generated request, valid or invalid, gets an answer the document declares (status, media type, schema,
headers), invalid data is refused, valid data is accepted, and nothing answers 5xx. Examples are derandomized
(a fixed seed): CI runs the same calls every time, on SQLite and PostgreSQL. JEDEL_FUZZ_EXAMPLES scales the run
(default 100 per operation; the number of calls is printed at the end of a run in one process). Operations with
few distinct inputs stop early, so the calls grow slower than the examples. Each operation is one test, so
`make test` spreads them over its processes.

Runs as a national coordinator (token) over a small network, so handlers get past authorisation and the
generated data reaches validation and the services.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

EXAMPLES = int(os.environ.get("JEDEL_FUZZ_EXAMPLES", "100"))
CONFIG = SchemathesisConfig.from_dict({"checks": {
    # Valid-by-schema data can still break a domain rule the schema cannot express (occupied beds above staffed,
    # a report time in the future, a bed type reported twice): those answers are 422 with a code, by design.
    "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]},
}})
# The WSGI handler itself, not jedel.config.wsgi: that module also runs the production start-up checks.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)
CALLS: list[int] = []


@pytest.fixture(scope="module", autouse=True)
def _report_calls():
    yield
    print(f"\nschemathesis: {len(CALLS)} generated calls")  # noqa: T201  (the figure CI keeps)


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """Thousands of intended 4xx answers would each log a warning line; the checks judge them instead."""
    import logging

    logger = logging.getLogger("django.request")
    level, logger.level = logger.level, logging.ERROR
    yield
    logger.setLevel(level)


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
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,  # same examples every run: CI never flaky
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@pytest.mark.django_db
def test_api_conforms_to_its_openapi_document(case, national_token):
    CALLS.append(1)
    # The session cookie is the other way in (browsers); the fuzzer signs in with the token only, so a
    # generated session id must not make ignored_auth believe the answer came without valid credentials.
    if case.cookies:
        case.cookies.pop("sessionid", None)
    # identity: the WSGI test transport does not decompress, and gzip is the server's choice, not the API's.
    headers = {"Authorization": f"Bearer {national_token}", "Accept-Encoding": "identity"}
    response = case.call(headers=headers)
    case.validate_response(response, headers=headers)

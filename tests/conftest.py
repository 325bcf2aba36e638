"""Shared fixtures. Reference geography is loaded once per database and re-loaded if a test flushed it."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("JEDEL_VAR_DIR", tempfile.mkdtemp(prefix="jedel-test-"))
# Servers refuse the built-in demo key outside demo/debug mode (config/startup.py); the uvicorn processes the
# tests start inherit this key, as a production deployment would set its own.
os.environ.setdefault("JEDEL_SECRET_KEY", "test-only-key-7c1e5a0d2468ace13579bdf0246813579bdf9f3b")
# Server processes started by tests run no notification worker unless a test asks for one.
os.environ.setdefault("JEDEL_NOTIFY_WORKER", "off")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: D103
    from jedel.geo.services import reference_geography_load

    with django_db_blocker.unblock():
        reference_geography_load()


@pytest.fixture
def kz(db):
    """The 20 regions and 351 towns (idempotent; survives flushes by transactional tests)."""
    from jedel.geo.models import Region
    from jedel.geo.services import reference_geography_load

    if Region.objects.count() != 20:
        reference_geography_load()
    return {r.iso_code: r for r in Region.objects.all()}


@pytest.fixture(autouse=True)
def _fresh_status_entries():
    """The status cache, the supplies catalogue and the MCI board's cached live parts outlive a test; a rolled-back
    test database reuses ids, so every test starts with none."""
    from tests.common.caches import clear_process_caches

    clear_process_caches()
    yield
    clear_process_caches()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a page requested in Russian leaves the test thread's language
    active (LocaleMiddleware activates it per request and nothing deactivates it), and a later test that formats
    text outside a request would read Russian (seen on the PostgreSQL pass: 'active: да → нет')."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()

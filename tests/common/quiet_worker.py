"""An autouse fixture for app test packages that send notices: no periodic jobs in the worker's ticks, and the
external channels (SMS, e-mail) in memory, emptied before and after each test. Import it into a conftest."""

from __future__ import annotations

import pytest

from jedel.notifications.adapters import memory_reset


@pytest.fixture(autouse=True)
def _quiet_worker(monkeypatch, settings):
    from jedel.notifications import periodic

    monkeypatch.setattr(periodic, "_JOBS", {})
    settings.JEDEL_NOTIFY_SMS = "memory"
    settings.JEDEL_NOTIFY_EMAIL = "memory"
    settings.JEDEL_NOTIFY_TELEGRAM = "off"
    memory_reset()
    yield
    memory_reset()

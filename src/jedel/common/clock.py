"""Injectable clock: services take `now=` so tests can pin time; production uses UTC now."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def utcnow() -> datetime:
    """Current time, aware, UTC."""
    return timezone.now()

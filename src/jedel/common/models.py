"""Abstract base models shared by every app."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps (UTC)."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Optimistic concurrency: writers send the version they read; a stale version is rejected, not merged."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class TrilingualNameModel(models.Model):
    """Names in Kazakh, Russian and English; `name` picks the active language, falling back to English."""

    name_en = models.CharField(max_length=200)
    name_kk = models.CharField(max_length=200, blank=True)
    name_ru = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or "en")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_en

    def __str__(self) -> str:
        return self.name

# The real-time outbox lives in its own package; importing it here registers its models with the app.
from jedel.common.realtime.models import Event, StreamHead  # noqa: E402,F401
from jedel.common.idempotency import IdempotencyRecord  # noqa: E402,F401

"""The outbox: every real-time event is stored, with a per-stream sequence number, before it is sent."""

from __future__ import annotations

from django.db import models


class StreamHead(models.Model):
    """The per-stream counter. Its row is locked by `publish` until commit, so commit order is seq order."""

    stream = models.CharField(max_length=64, primary_key=True)
    seq = models.BigIntegerField(default=0)

    class Meta:
        app_label = "common"

    def __str__(self) -> str:
        return f"{self.stream}@{self.seq}"


class Event(models.Model):
    """One published event. Region and facility are plain integers: common sits below every app."""

    stream = models.CharField(max_length=64)
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=64)
    at = models.DateTimeField(help_text="UTC, set at publish")
    data = models.JSONField(default=dict)
    read_action = models.CharField(max_length=64, help_text="the permission action a reader needs")
    region_id = models.BigIntegerField(null=True, blank=True)
    facility_id = models.BigIntegerField(null=True, blank=True)
    exercise = models.BooleanField(default=False, help_text="reserved for exercises")
    # A personal event (a notice to one person) reaches only that user's sockets, whatever the policy says.
    recipient_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        app_label = "common"
        # The unique constraint is also the (stream, seq) index every replay reads; `at` serves the pruning.
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="realtime_event_stream_seq")]
        indexes = [models.Index(fields=["at"], name="realtime_event_at_idx")]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.kind}"

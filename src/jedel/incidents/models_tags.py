"""Printed tag ranges: a tag number printed twice would name two casualties, so every printed range is kept."""

from __future__ import annotations

from django.db import models

from jedel.incidents.models import Incident


class TagPrint(models.Model):
    """One printing of the tags `prefix-first` … `prefix-last` for an incident (a reprint says so)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tag_prints")
    prefix = models.CharField(max_length=8, blank=True)
    first = models.PositiveIntegerField()
    last = models.PositiveIntegerField()
    reprint = models.BooleanField(default=False)
    printed_at = models.DateTimeField()
    printed_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["incident", "prefix", "first", "pk"]
        indexes = [models.Index(fields=["incident", "prefix"], name="tagprint_incident_prefix_idx")]

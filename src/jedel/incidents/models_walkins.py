"""Walk-in casualties: people who reach a hospital by themselves, unannounced (issue 17, item 4).

Imported at the end of `models.py` (so Django registers these models with the incidents app). A walk-in
registered one by one is an ordinary `Casualty` (arrived, destination the hospital) with a `WalkIn` row saying
so and giving its number in the hospital's series (tag "W-<facility code>-<n>"). When the hospital is
overwhelmed it only counts ("+1 red"): `WalkInCount` is a ledger of those counts, who and when; turning counted
walk-ins into records later appends a negative row, so what is counted is never counted twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jedel.incidents.models import TRIAGE_CATEGORIES, Casualty, Incident


class WalkInCount(models.Model):
    """One "+n" (or, when converted into records, "-n") of walk-ins of one category at one hospital."""

    class Kind(models.TextChoices):
        COUNTED = "counted", "counted"
        CONVERTED = "converted", "converted into records"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="walkin_counts")
    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=16, choices=TRIAGE_CATEGORIES)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COUNTED)
    delta = models.IntegerField(help_text="walk-ins counted (positive) or converted into records (negative)")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(
            name="walkin_count_sign", condition=(Q(kind="counted", delta__gt=0) | Q(kind="converted", delta__lt=0)))]
        indexes = [models.Index(fields=["incident", "facility", "category"], name="walkin_count_idx")]


class WalkIn(models.Model):
    """A casualty who walked in: its number in the hospital's series, and the count it was converted from."""

    casualty = models.OneToOneField(Casualty, on_delete=models.CASCADE, related_name="walk_in")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="walk_ins")
    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    arrived_at = models.DateTimeField()
    converted_from = models.ForeignKey(WalkInCount, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="records")

    class Meta:
        ordering = ["incident", "facility", "number"]
        constraints = [models.UniqueConstraint(fields=["incident", "facility", "number"], name="walkin_number_once")]
        indexes = [models.Index(fields=["facility", "arrived_at"], name="walkin_facility_at_idx")]

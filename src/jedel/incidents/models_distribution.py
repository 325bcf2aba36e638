"""Live distribution: the plans proposed, the assignments accepted, hospitals full for a category, collection points.

Imported at the end of `models.py` (so Django registers these models with the incidents app). An assignment is
the coordinator's decision for one casualty (accepted as proposed, or overridden with a reason); the casualty's
own `destination` says where it is heading, and that (not these rows) is what counts against a hospital's
receiving capacity, so a move made on the casualty page counts as well.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jedel.incidents.models import TRIAGE_CATEGORIES, Casualty, Incident


class CollectionPoint(models.Model):
    """A named casualty collection point of an incident, shown on its map."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="collection_points")
    name = models.CharField(max_length=100)
    lat = models.FloatField()
    lon = models.FloatField()
    added_at = models.DateTimeField()
    added_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["incident", "name", "pk"]


class DistributionPlan(models.Model):
    """One computed proposal for the casualties awaiting a destination, kept so an acceptance names what it accepted.

    `inputs_key` is a digest of everything the plan was computed from (casualties, their versions and categories,
    each hospital's remaining places, full declarations): an unchanged picture gives the same stored plan back.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="plans")
    computed_at = models.DateTimeField()
    inputs_key = models.CharField(max_length=64)
    # [{"tag", "category", "version", "hospital" (code or None), "travel_time_min", "reason_code", "reason"}]
    proposals = models.JSONField(default=list)
    # [{"code", "name", "lat", "lon", "capacity": {category: n}, "pending": {...}, "remaining": {...}, "full": [...]}]
    hospitals = models.JSONField(default=list)
    expected_deaths = models.FloatField()
    nearest_expected_deaths = models.FloatField(help_text="the same casualties sent to the nearest hospital")

    class Meta:
        ordering = ["-computed_at", "-pk"]
        indexes = [models.Index(fields=["incident", "-computed_at"], name="plan_incident_idx")]


class Assignment(models.Model):
    """A coordinator's decision to send one casualty to one hospital; a later decision ends it (`ended_at`)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="assignments")
    casualty = models.ForeignKey(Casualty, on_delete=models.CASCADE, related_name="assignments")
    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=16, choices=TRIAGE_CATEGORIES)
    plan = models.ForeignKey(DistributionPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed_facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    override_reason = models.CharField(max_length=500, blank=True)
    over_capacity = models.BooleanField(default=False)
    accepted_at = models.DateTimeField()
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    accepted_by_label = models.CharField(max_length=200)
    travel_time_min = models.FloatField(null=True, blank=True)
    eta = models.DateTimeField(null=True, blank=True)
    notice = models.ForeignKey("notifications.Notice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    diversion_requested_at = models.DateTimeField(null=True, blank=True)
    diversion_by_label = models.CharField(max_length=200, blank=True)
    diversion_note = models.CharField(max_length=500, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["accepted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["casualty"], condition=Q(ended_at__isnull=True),
                                               name="assignment_one_current")]


class HospitalFull(models.Model):
    """A hospital's statement that it takes no more casualties of one category in this incident (until cleared)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="full_declarations")
    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=16, choices=TRIAGE_CATEGORIES)
    declared_at = models.DateTimeField()
    declared_by_label = models.CharField(max_length=200)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "facility", "category"],
                                               condition=Q(cleared_at__isnull=True), name="hospital_full_once")]

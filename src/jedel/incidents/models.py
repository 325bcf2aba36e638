"""Incidents (mass-casualty events), their roles and timeline, and the casualties tracked from tag to disposition.

Statuses come from the state machines in `jedel.core.tracking` (through `engines.py`); every change of an
incident or a casualty appends a timeline entry, and every status or location change of a casualty a
`CasualtyLocation` row, so who did what and when is never overwritten.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jedel.common.models import VersionedModel
from jedel.incidents.engines import CasualtyStatus, IncidentStatus, TriageCategory


class IncidentKind(models.TextChoices):
    EARTHQUAKE = "earthquake", _("Earthquake")
    FLOOD = "flood", _("Flood")
    TRANSPORT = "transport", _("Transport accident")
    EXPLOSION = "explosion", _("Explosion")
    FIRE = "fire", _("Fire")
    CHEMICAL = "chemical", _("Chemical release")
    EPIDEMIC = "epidemic", _("Epidemic")
    OTHER = "other", pgettext_lazy("incident kind", "Other")


class ResponseLevel(models.TextChoices):
    # Who leads the medical response: the region where it happened, several regions, or the country (NCCEM).
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


INCIDENT_STATUSES = [
    (IncidentStatus.ACTIVE.value, _("Active")),
    (IncidentStatus.STOOD_DOWN.value, _("Stood down")),
    (IncidentStatus.CLOSED.value, _("Closed")),
]
CASUALTY_STATUSES = [
    (CasualtyStatus.AT_SCENE.value, _("At the scene")),
    (CasualtyStatus.AWAITING_TRANSPORT.value, _("Awaiting transport")),
    (CasualtyStatus.IN_TRANSPORT.value, _("In transport")),
    (CasualtyStatus.ARRIVED.value, _("Arrived")),
    (CasualtyStatus.ADMITTED.value, _("Admitted")),
    (CasualtyStatus.TREATED_RELEASED.value, _("Treated and released")),
    (CasualtyStatus.TRANSFERRED.value, _("Transferred")),
    (CasualtyStatus.DECEASED.value, _("Deceased")),
]
TRIAGE_CATEGORIES = [
    (TriageCategory.IMMEDIATE.value, _("Immediate (red)")),
    (TriageCategory.DELAYED.value, _("Delayed (yellow)")),
    (TriageCategory.MINIMAL.value, _("Minimal (green)")),
    (TriageCategory.EXPECTANT.value, _("Expectant (grey)")),
    (TriageCategory.DEAD.value, _("Dead (black)")),
]
TRIAGE_METHODS = [("auto", _("Automatic (JumpSTART under 8 years, else START)")), ("start", "START"),
                  ("jumpstart", "JumpSTART"), ("salt", "SALT")]


class AgeBand(models.TextChoices):
    INFANT = "infant", _("Under 1 year")
    CHILD = "child", _("1–7 years")
    ADOLESCENT = "adolescent", _("8–17 years")
    ADULT = "adult", _("18–64 years")
    OLDER = "older", _("65 years and over")
    UNKNOWN = "unknown", _("Unknown age")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class Incident(VersionedModel):
    """A declared mass-casualty incident (or an exercise, segregated everywhere by `is_exercise`)."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=IncidentKind.choices)
    description = models.TextField(blank=True)
    scene_lat = models.FloatField()
    scene_lon = models.FloatField()
    # The region of the scene (events and the audit are filed under it); `regions` are all affected, it included.
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    regions = models.ManyToManyField("geo.Region", related_name="+")
    estimated_casualties = models.PositiveIntegerField(null=True, blank=True)
    response_level = models.CharField(max_length=16, choices=ResponseLevel.choices, default=ResponseLevel.LOCAL)
    status = models.CharField(max_length=16, choices=INCIDENT_STATUSES, default=IncidentStatus.ACTIVE.value)
    is_exercise = models.BooleanField(default=False)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    declared_by_label = models.CharField(max_length=200)
    declared_at = models.DateTimeField()
    stood_down_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="incident_scene_on_earth", condition=Q(
                scene_lat__gte=-90, scene_lat__lte=90, scene_lon__gte=-180, scene_lon__lte=180)),
            models.CheckConstraint(name="incident_status_known",
                                   condition=Q(status__in=[s.value for s in IncidentStatus])),
        ]
        indexes = [models.Index(fields=["is_exercise", "status", "-declared_at"], name="incident_list_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class IncidentRoleKind(models.TextChoices):
    COMMANDER = "commander", _("Incident commander")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    HOSPITAL_LIAISON = "hospital_liaison", _("Hospital liaison")


class IncidentRole(models.Model):
    """A person holding a role in one incident; ended roles are kept (`ended_at`) for the record."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=IncidentRoleKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incident_roles")
    assigned_at = models.DateTimeField()
    assigned_by_label = models.CharField(max_length=200)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident"], condition=Q(role="commander", ended_at__isnull=True),
                                    name="incident_one_commander"),
            models.UniqueConstraint(fields=["incident", "role", "user"], condition=Q(ended_at__isnull=True),
                                    name="incident_role_once"),
        ]


class TimelineKind(models.TextChoices):
    DECLARED = "declared", _("Declared")
    STOOD_DOWN = "stood_down", _("Stood down")
    CLOSED = "closed", _("Closed")
    ROLE_ASSIGNED = "role_assigned", _("Role assigned")
    NOTIFIED = "notified", _("Coordinators notified")
    NOT_NOTIFIED = "not_notified", _("Nobody could be notified")
    CASUALTY_REGISTERED = "casualty_registered", _("Casualty registered")
    CASUALTY_TRIAGED = "casualty_triaged", _("Casualty triaged")
    CASUALTY_MOVED = "casualty_moved", _("Casualty moved")
    CASUALTY_ASSIGNED = "casualty_assigned", _("Casualty assigned to a hospital")
    HOSPITAL_FULL = "hospital_full", _("Hospital full for a category")
    DIVERSION_REQUESTED = "diversion_requested", _("Hospital asked for diversion")
    INCOMING_NOTIFIED = "incoming_notified", _("Receiving hospital notified")


class TimelineEntry(models.Model):
    """One decision or change in an incident, who made it and when. Append-only."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=TimelineKind.choices)
    casualty = models.ForeignKey("Casualty", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["incident", "at"], name="timeline_incident_at_idx")]


class Casualty(VersionedModel):
    """One casualty, identified within its incident by the number on the triage tag."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="casualties")
    tag = models.CharField(max_length=32)
    age_band = models.CharField(max_length=16, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=24, choices=CASUALTY_STATUSES, default=CasualtyStatus.AT_SCENE.value)
    category = models.CharField(max_length=16, choices=TRIAGE_CATEGORIES, blank=True)
    triage_method = models.CharField(max_length=16, blank=True)
    triage_rule = models.CharField(max_length=500, blank=True)
    destination = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    vehicle = models.CharField(max_length=64, blank=True)
    eta = models.DateTimeField(null=True, blank=True)
    # Capabilities the receiving hospital must have (jedel.core.vocabulary.Need values: burns, neurosurgery...);
    # the plan sends the casualty only where they all are.
    needs = models.JSONField(default=list, blank=True)
    # Where the casualty waits for transport when not at the scene itself: the plan's origin and the ETA's.
    collection_point = models.ForeignKey("incidents.CollectionPoint", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="casualties")
    registered_at = models.DateTimeField()
    registered_by_label = models.CharField(max_length=200)
    # Family reunification searches these (search_keys.py: case, ё/е, Cyrillic/Latin spelling folded); kept
    # in step with name and description by save().
    name_key = models.CharField(max_length=600, blank=True, editable=False)
    description_key = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["incident", "tag"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "tag"], name="casualty_tag_once_per_incident"),
            models.CheckConstraint(name="casualty_status_known",
                                   condition=Q(status__in=[s.value for s in CasualtyStatus])),
        ]
        indexes = [models.Index(fields=["incident", "status"], name="casualty_incident_status_idx")]

    def __str__(self) -> str:
        return f"{self.tag} ({self.incident_id})"

    def need_labels(self) -> list[str]:
        """The needs as the registry names them, in the reader's language."""
        from jedel.facilities.models import Capability

        labels = dict(Capability.choices)
        return [str(labels.get(n, n)) for n in self.needs or ()]

    def save(self, *args: Any, **kwargs: Any) -> None:
        from jedel.incidents.search_keys import search_key

        self.name_key, self.description_key = search_key(self.name)[:600], search_key(self.description)
        fields = kwargs.get("update_fields")
        if fields is not None and ({"name", "description"} & set(fields)):
            kwargs["update_fields"] = {*fields, "name_key", "description_key"}
        super().save(*args, **kwargs)


class TriageAssessment(models.Model):
    """One triage of a casualty by a core engine: the findings, the category and the rule that fired."""

    casualty = models.ForeignKey(Casualty, on_delete=models.CASCADE, related_name="assessments")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=200)
    requested_method = models.CharField(max_length=16)
    method = models.CharField(max_length=16, help_text="the algorithm actually applied")
    category = models.CharField(max_length=16, choices=TRIAGE_CATEGORIES)
    rule = models.CharField(max_length=500)
    findings = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]


class CasualtyLocation(models.Model):
    """A casualty's status and whereabouts from `at` on (every move appends one). Append-only."""

    casualty = models.ForeignKey(Casualty, on_delete=models.CASCADE, related_name="locations")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=200)
    from_status = models.CharField(max_length=24, blank=True)
    status = models.CharField(max_length=24, choices=CASUALTY_STATUSES)
    destination = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    vehicle = models.CharField(max_length=64, blank=True)
    eta = models.DateTimeField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]


# Live distribution (plans, assignments, full declarations, collection points): registered with this app here.
from jedel.incidents.models_distribution import (  # noqa: E402,F401
    Assignment,
    CollectionPoint,
    DistributionPlan,
    HospitalFull,
)

# Walk-in casualties (issue 17 item 4): registered one by one, or only counted when the hospital is overwhelmed.
from jedel.incidents.models_walkins import WalkIn, WalkInCount  # noqa: E402,F401

# Printed tag ranges (a number printed twice would name two casualties).
from jedel.incidents.models_tags import TagPrint  # noqa: E402,F401

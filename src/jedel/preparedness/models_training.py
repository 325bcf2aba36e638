"""Training registry and personnel reserve: courses and exercises, sessions with participants, certificates with
expiry, staff who can be redeployed in a surge, and each region's designated hospital coordinator and deputies."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jedel.common.models import TimeStampedModel, VersionedModel


class Competency(models.TextChoices):
    """What a certificate proves and what a reserve member can do (the reports count these)."""

    MCM = "mcm", _("Mass casualty management")
    TRIAGE = "triage", _("Triage")
    INCIDENT_COMMAND = "incident_command", _("Hospital incident command")
    HSI_EVALUATOR = "hsi_evaluator", _("Hospital Safety Index evaluator")
    CBRN = "cbrn", _("Chemical, biological, radiological and nuclear incidents")
    TRAUMA_CARE = "trauma_care", _("Trauma care")
    INFECTION_CONTROL = "infection_control", _("Infection prevention and control")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")


# Decision (issue 13): every active facility should have at least one person holding a valid certificate in each
# of these — the three competencies a hospital needs on the first hour of a mass-casualty incident (WHO/Europe
# checklist components 1 and 4, and MCM training). A project choice, written here so the report can explain it.
REQUIRED_COMPETENCIES: tuple[str, ...] = (Competency.MCM, Competency.TRIAGE, Competency.INCIDENT_COMMAND)


class Course(TimeStampedModel):
    """A course or an exercise in the national catalogue (MCM, HSI evaluator, triage, a tabletop exercise...)."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        EXERCISE = "exercise", _("Exercise")

    code = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    competency = models.CharField(max_length=32, choices=Competency.choices)
    validity_months = models.PositiveSmallIntegerField(null=True, blank=True)  # usual validity of its certificate

    class Meta:
        ordering = ["code"]


class TrainingSession(TimeStampedModel):
    """One run of a course: when, where (region; host facility if any), by whom."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="training_sessions")
    starts_on = models.DateField()
    ends_on = models.DateField()
    location = models.CharField(max_length=300, blank=True)
    trainer = models.CharField(max_length=200, blank=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="prep_session_dates")]


class Participant(models.Model):
    """A person who took part in a session: name, job role, facility (if any) and region."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=150, blank=True)
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]


class Certificate(TimeStampedModel):
    """A participant's certificate; valid from `issued_on` to `expires_on` inclusive (no expiry: None)."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="certificate")
    number = models.CharField(max_length=64)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                                              name="prep_certificate_expiry_after_issue")]


class ReserveMember(VersionedModel):
    """Someone who can be redeployed in a surge: home facility and region, competencies, availability."""

    class Availability(models.TextChoices):
        AVAILABLE = "available", pgettext_lazy("reserve availability", "Available")
        LIMITED = "limited", _("Available with notice")
        UNAVAILABLE = "unavailable", _("Unavailable")

    name = models.CharField(max_length=200)
    profession = models.CharField(max_length=150)
    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="reserve_members")
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(max_length=40, blank=True)
    competencies = models.JSONField(default=list)  # Competency values
    availability = models.CharField(max_length=12, choices=Availability.choices, default=Availability.AVAILABLE)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["region_id", "name", "pk"]


class RegionCoordinator(TimeStampedModel):
    """A region's designated hospital coordinator (position 0) and deputies (1, 2, ...), in call order."""

    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["region_id", "position"]
        constraints = [models.UniqueConstraint(fields=["region", "position"], name="prep_region_coordinator_once")]


class HsiPhoto(models.Model):
    """An evidence photo of an item in an HSI assessment, kept in the database (small, and no file store to run)."""

    assessment = models.ForeignKey("preparedness.HsiAssessment", on_delete=models.CASCADE, related_name="photos")
    item = models.ForeignKey("preparedness.InstrumentItem", on_delete=models.PROTECT, related_name="+")
    content = models.BinaryField()
    content_type = models.CharField(max_length=32)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200)
    caption = models.CharField(max_length=300, blank=True)
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item", "sha256"], name="prep_photo_once")]

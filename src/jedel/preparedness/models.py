"""Preparedness: instruments loaded from versioned files, HSI assessments, their ratings and remediation tasks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jedel.common.models import TimeStampedModel, VersionedModel


class Instrument(TimeStampedModel):
    """One version of an assessment instrument (the HSI checklist, the WHO/Europe plan checklist), as loaded."""

    class Kind(models.TextChoices):
        HSI = "hsi", _("Hospital Safety Index")
        HERP_CHECKLIST = "herp_checklist", _("Hospital emergency response checklist")

    code = models.CharField(max_length=64)
    version = models.CharField(max_length=32)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    source = models.TextField()
    status_note = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)
    current = models.BooleanField(default=True)
    translations = models.JSONField(default=dict, blank=True)  # language -> {"title": ...}; English is `title`

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="prep_instrument_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    def title_in(self, language: str) -> str:
        return str(self.translations.get(language[:2], {}).get("title") or self.title)

    @property
    def local_title(self) -> str:
        return self.title_in(get_language() or "en")


class InstrumentSection(models.Model):
    """A module of the HSI (2, 3, 4) or a component of the plan checklist (1-9)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=16)
    key = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=300)
    weight = models.FloatField(null=True, blank=True)  # HSI: share of the overall index (fraction)
    status = models.CharField(max_length=24)
    position = models.PositiveSmallIntegerField()
    translations = models.JSONField(default=dict, blank=True)  # language -> {"title": ...}; English is `title`

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="prep_section_code")]

    def title_in(self, language: str) -> str:
        """The title in `language` (e.g. "ru", "kk-kz"), English when the file has no translation for it."""
        return str(self.translations.get(language[:2], {}).get("title") or self.title)

    @property
    def local_title(self) -> str:
        """The title in the active language (pages and PDFs), English as the fallback."""
        return self.title_in(get_language() or "en")


class InstrumentItem(models.Model):
    """One checklist item; `weight` is its contribution to its module, percent (HSI only)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(InstrumentSection, on_delete=models.CASCADE, related_name="items")
    group_code = models.CharField(max_length=16, blank=True)
    group_title = models.CharField(max_length=300, blank=True)
    code = models.CharField(max_length=16)
    title = models.CharField(max_length=400)
    weight = models.FloatField(null=True, blank=True)
    hazard = models.CharField(max_length=4, blank=True)
    status = models.CharField(max_length=24)
    ratings = models.JSONField(default=dict, blank=True)  # level -> its definition on the checklist
    evidence_required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField()
    not_applicable_when = models.TextField(blank=True)  # when the checklist says the item may be left out
    # language -> {"title", "group_title", "ratings": {level: text}, "not_applicable_when"}; missing texts fall
    # back to the English ones.
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="prep_item_code")]

    def title_in(self, language: str) -> str:
        return str(self.translations.get(language[:2], {}).get("title") or self.title)

    def group_title_in(self, language: str) -> str:
        return str(self.translations.get(language[:2], {}).get("group_title") or self.group_title)

    @property
    def local_title(self) -> str:
        return self.title_in(get_language() or "en")

    @property
    def local_group_title(self) -> str:
        return self.group_title_in(get_language() or "en")

    @property
    def local_ratings(self) -> dict[str, str]:
        return self.ratings_in(get_language() or "en")

    def not_applicable_when_in(self, language: str) -> str:
        return str(self.translations.get(language[:2], {}).get("not_applicable_when") or self.not_applicable_when)

    @property
    def local_not_applicable_when(self) -> str:
        return self.not_applicable_when_in(get_language() or "en")

    def ratings_in(self, language: str) -> dict[str, str]:
        """Rating texts by level in `language`, each falling back to English on its own."""
        own = self.translations.get(language[:2], {}).get("ratings", {})
        return {level: own.get(level) or text for level, text in self.ratings.items()}


class HsiAssessment(VersionedModel):
    """One Hospital Safety Index assessment of a facility, on a date, by a team of evaluators."""

    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="hsi_assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField()
    evaluators = models.JSONField(default=list)  # names, in the order given
    modules = models.JSONField(default=list)     # section codes assessed (all scored modules by default)
    notes = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    # Stored after every change of ratings (the engine's result), so lists and the map read it cheaply.
    safety_index = models.FloatField(null=True, blank=True)
    category = models.CharField(max_length=1, blank=True)
    rated_count = models.PositiveIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["facility", "assessed_on"])]


class HsiRating(models.Model):
    """An item's rating in an assessment: a safety level, or not applicable with a justification."""

    class Level(models.TextChoices):
        LOW = "low", _("Low")
        AVERAGE = "average", _("Average")
        HIGH = "high", _("High")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    assessment = models.ForeignKey(HsiAssessment, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=16, choices=Level.choices)
    justification = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    rated_by = models.CharField(max_length=150)
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="prep_rating_once"),
            models.CheckConstraint(condition=~models.Q(level="not_applicable") | ~models.Q(justification=""),
                                   name="prep_na_justified"),
        ]


class RemediationTask(TimeStampedModel):
    """Work to raise a low-rated item: who owns it, by when, and how far it is."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="remediation_tasks")
    assessment = models.ForeignKey(HsiAssessment, on_delete=models.CASCADE, related_name="tasks")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=400)
    owner = models.CharField(max_length=150)
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="prep_task_once")]

    @property
    def local_title(self) -> str:
        """The item's title in the active language while the task keeps the item's (English) title."""
        return self.item.local_title if self.title == self.item.title else self.title


class EmergencyPlan(VersionedModel):
    """A facility's hospital emergency response plan, structured by the WHO/Europe checklist (one per facility).

    `version` counts saved versions (each save stores a PlanVersion snapshot). Activation levels, command roles
    with their call-down list and surge figures are kept as structured JSON validated by the service.
    """

    facility = models.OneToOneField("facilities.Facility", on_delete=models.PROTECT, related_name="emergency_plan")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="plans")
    review_due_on = models.DateField()
    activation_levels = models.JSONField(default=list)  # [{"level": "1", "name": ..., "trigger": ...}]
    command_roles = models.JSONField(default=list)      # [{"role": ..., "name": ..., "phone": ..., "deputy": ...}]
    surge = models.JSONField(default=dict)              # {"beds_2h": n, "beds_24h": n}
    completeness = models.FloatField(default=0.0)       # overall, fraction (stored for lists and the map)
    updated_by = models.CharField(max_length=150)


class PlanItemState(models.Model):
    """Where one checklist action stands in a plan, with the evidence that it is done."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        IN_PROGRESS = "in_progress", _("In progress")
        MISSING = "missing", _("Missing")

    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "item"], name="prep_plan_item_once")]


class PlanVersion(models.Model):
    """A saved version of a plan: the whole plan as it stood, who saved it and when."""

    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    saved_by = models.CharField(max_length=150)
    saved_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="prep_plan_version_once")]


# The training registry and personnel reserve live in their own module; imported here so Django registers them.
from jedel.preparedness.models_training import (  # noqa: E402,F401
    Certificate, Competency, Course, HsiPhoto, Participant, RegionCoordinator, ReserveMember, TrainingSession,
)

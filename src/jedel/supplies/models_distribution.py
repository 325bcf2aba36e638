"""Distributions to people, what each household received, their feedback, and proposals for a kit's next version.

Personal data is minimal and need-to-know: a household is a reference number, its size and the place; a name
and a phone number are optional and shown only to those who may see beneficiaries' personal data.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jedel.common.models import VersionedModel


class DistributionEvent(VersionedModel):
    """A distribution at a place and date, from one warehouse's stock, with a partner, maybe for an incident."""

    warehouse = models.ForeignKey("supplies.Warehouse", on_delete=models.PROTECT, related_name="distributions")
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    place = models.CharField(max_length=200)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    on = models.DateField()
    partner = models.CharField(max_length=200, blank=True, help_text="UNICEF, Kazakh Red Crescent, …")
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created_by_label = models.CharField(max_length=200)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]


class Household(models.Model):
    """A household served at a distribution; `reference` is what is written on its card."""

    distribution = models.ForeignKey(DistributionEvent, on_delete=models.CASCADE, related_name="households")
    reference = models.CharField(max_length=20)
    size = models.PositiveSmallIntegerField()
    head_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["distribution_id", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["distribution", "reference"], name="supplies_household_reference_unique"),
            models.CheckConstraint(condition=Q(size__gt=0), name="supplies_household_size_positive"),
        ]


class Handout(models.Model):
    """Items given to one household (or, without a household, in bulk at the event); kits name their version."""

    distribution = models.ForeignKey(DistributionEvent, on_delete=models.CASCADE, related_name="handouts")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.CASCADE, related_name="handouts")
    item = models.ForeignKey("supplies.Item", on_delete=models.PROTECT, related_name="+")
    kit_version = models.ForeignKey("supplies.KitVersion", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="handouts")
    quantity = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["distribution_id", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_handout_positive")]


class FeedbackLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")


class FeedbackForm(models.Model):
    """One person's short feedback on a kit received at a distribution."""

    distribution = models.ForeignKey(DistributionEvent, on_delete=models.CASCADE, related_name="feedback")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kit_version = models.ForeignKey("supplies.KitVersion", on_delete=models.PROTECT, related_name="feedback")
    language = models.CharField(max_length=2, choices=FeedbackLanguage.choices)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    recorded_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["distribution_id", "pk"]


class Verdict(models.TextChoices):
    USEFUL = "useful", _("Useful")
    NOT_USEFUL = "not_useful", _("Not useful")
    MISSING = "missing", _("Missing, needed")


class FeedbackAnswer(models.Model):
    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey("supplies.Item", on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)

    class Meta:
        ordering = ["form_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["form", "item"], name="supplies_feedback_answer_unique")]


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class KitProposal(models.Model):
    """A next composition proposed from the feedback on `base`; a logistician approves it into a new version."""

    base = models.ForeignKey("supplies.KitVersion", on_delete=models.PROTECT, related_name="proposals")
    composition = models.JSONField(help_text="item code -> quantity per kit")
    changes = models.JSONField(help_text="each change with its reason and the counts behind it")
    forms_counted = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    created_at = models.DateTimeField()
    created_by_label = models.CharField(max_length=200)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_label = models.CharField(max_length=200, blank=True)
    decision_note = models.TextField(blank=True)
    result = models.OneToOneField("supplies.KitVersion", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="from_proposal")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["base"], condition=Q(status="proposed"),
                                               name="supplies_one_open_proposal_per_version")]

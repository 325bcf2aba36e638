"""The facility registry: what each hospital, ambulance station and air base is and can do."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jedel.common.models import TrilingualNameModel, VersionedModel


class FacilityKind(models.TextChoices):
    NATIONAL_CENTRE = "national_centre", _("National centre")
    REGIONAL_MULTIPROFILE = "regional_multiprofile", _("Regional multi-profile hospital")
    CITY_HOSPITAL = "city_hospital", _("City hospital")
    CENTRAL_DISTRICT = "central_district", _("Central district hospital")
    CHILDRENS = "childrens", _("Children's hospital")
    PERINATAL = "perinatal", _("Perinatal centre")
    TRAUMA = "trauma", _("Trauma hospital")
    BURNS = "burns", _("Burns centre")
    INFECTIOUS = "infectious", _("Infectious diseases hospital")
    PSYCHIATRIC = "psychiatric", _("Psychiatric hospital")
    POLYCLINIC = "polyclinic", _("Polyclinic")
    AMBULANCE_STATION = "ambulance_station", _("Ambulance station")
    AIR_AMBULANCE_BASE = "air_ambulance_base", _("Air-ambulance base")


# Kinds that admit inpatients and therefore report bed capacity.
INPATIENT_KINDS = frozenset({
    FacilityKind.NATIONAL_CENTRE, FacilityKind.REGIONAL_MULTIPROFILE, FacilityKind.CITY_HOSPITAL,
    FacilityKind.CENTRAL_DISTRICT, FacilityKind.CHILDRENS, FacilityKind.PERINATAL, FacilityKind.TRAUMA,
    FacilityKind.BURNS, FacilityKind.INFECTIOUS, FacilityKind.PSYCHIATRIC,
})


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    DEPARTMENTAL = "departmental", _("Departmental (other ministry)")


class Capability(models.TextChoices):
    """Boolean capabilities, stored as fields `has_<value>` on Facility."""

    BURNS = "burns", _("Burns unit")
    PAEDIATRIC_SURGERY = "paediatric_surgery", _("Paediatric surgery")
    NEUROSURGERY = "neurosurgery", _("Neurosurgery")
    CATH_LAB = "cath_lab", _("Cardiac cath lab")
    OBSTETRIC = "obstetric", _("Obstetrics")
    DIALYSIS = "dialysis", _("Dialysis")
    HELIPAD = "helipad", _("Helipad")
    CT = "ct", _("CT")
    MRI = "mri", _("MRI")
    LABORATORY = "laboratory", _("Laboratory")


class Specialty(models.TextChoices):
    GENERAL = "general", _("General")
    TRAUMA = "trauma", _("Trauma")
    BURNS = "burns", _("Burns")
    PAEDIATRICS = "paediatrics", _("Paediatrics")
    OBSTETRICS = "obstetrics", _("Obstetrics")
    NEUROSURGERY = "neurosurgery", _("Neurosurgery")
    CARDIOLOGY = "cardiology", _("Cardiology")
    INFECTIOUS = "infectious", _("Infectious diseases")
    PSYCHIATRY = "psychiatry", _("Psychiatry")


class Facility(TrilingualNameModel, VersionedModel):
    """One health facility. `synthetic=True` marks generated demo data, shown as such everywhere."""

    code = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=32, choices=FacilityKind.choices)
    ownership = models.CharField(max_length=16, choices=Ownership.choices, default=Ownership.PUBLIC)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="facilities")
    town = models.ForeignKey("geo.Town", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="facilities")
    lat = models.FloatField(validators=[MinValueValidator(40.0), MaxValueValidator(56.0)])
    lon = models.FloatField(validators=[MinValueValidator(46.0), MaxValueValidator(88.0)])
    trauma_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="1 = highest (national/regional trauma centre), 3 = district")
    has_burns = models.BooleanField(default=False)
    has_paediatric_surgery = models.BooleanField(default=False)
    has_neurosurgery = models.BooleanField(default=False)
    has_cath_lab = models.BooleanField(default=False)
    has_obstetric = models.BooleanField(default=False)
    has_dialysis = models.BooleanField(default=False)
    has_helipad = models.BooleanField(default=False)
    has_ct = models.BooleanField(default=False)
    has_mri = models.BooleanField(default=False)
    has_laboratory = models.BooleanField(default=False)
    reporting_interval_min = models.PositiveIntegerField(
        default=240, validators=[MinValueValidator(5), MaxValueValidator(10080)],
        help_text="A facility that has not reported for this long is overdue")
    active = models.BooleanField(default=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["region__iso_code", "code"]
        indexes = [models.Index(fields=["region", "kind"])]
        verbose_name_plural = "facilities"

    @property
    def capabilities(self) -> list[str]:
        return [c.value for c in Capability if getattr(self, f"has_{c.value}")]

    @property
    def is_inpatient(self) -> bool:
        return self.kind in INPATIENT_KINDS


class ReferralLink(models.Model):
    """`source` refers patients of `specialty` to `target`; together these form the referral network."""

    source = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="referrals_out")
    target = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="referrals_in")
    specialty = models.CharField(max_length=32, choices=Specialty.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "specialty"], name="referral_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="referral_not_self"),
        ]

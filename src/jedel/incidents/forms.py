"""Web forms: declaring an incident, registering a casualty (asking only what the triage method needs), moving one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jedel.facilities.models import Capability
from jedel.geo.models import Region
from jedel.incidents.engines import METHOD_FINDINGS
from jedel.incidents.models import (
    CASUALTY_STATUSES,
    TRIAGE_METHODS,
    AgeBand,
    IncidentKind,
    IncidentRoleKind,
    ResponseLevel,
    Sex,
)

YES_NO = [("", _("Not assessed")), ("yes", _("Yes")), ("no", _("No"))]
FINDING_LABELS: dict[str, Any] = {
    "age_years": _("Age (years)"),
    "can_walk": _("Walks when directed"),
    "breathing": _("Breathing"),
    "breathing_after_airway_opening": _("Breathes after the airway is opened"),
    "breathing_after_rescue_breaths": _("Breathes after rescue breaths"),
    "respiratory_rate_per_min": _("Respiratory rate (breaths/min)"),
    "peripheral_pulse_palpable": _("Peripheral (radial) pulse palpable"),
    "capillary_refill_s": _("Capillary refill (s)"),
    "obeys_commands": _("Obeys commands"),
    "avpu": _("AVPU"),
    "pain_response_appropriate": _("Localises or withdraws from pain"),
    "purposeful_movement": _("Purposeful movement"),
    "respiratory_distress": _("Respiratory distress"),
    "major_hemorrhage_controlled": _("Major haemorrhage controlled (or none)"),
    "minor_injuries_only": _("Minor injuries only"),
    "likely_to_survive_given_resources": _("Likely to survive with the resources available now"),
}
NUMBERS = {"age_years": (0, 130), "respiratory_rate_per_min": (0, 120), "capillary_refill_s": (0, 30)}


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    regions = forms.ModelMultipleChoiceField(label=_("Affected regions (the scene's first)"),
                                             queryset=Region.objects.order_by("iso_code"), to_field_name="iso_code")
    scene_lat = forms.FloatField(label=_("Scene latitude"), min_value=40, max_value=56)
    scene_lon = forms.FloatField(label=_("Scene longitude"), min_value=46, max_value=88)
    estimated_casualties = forms.IntegerField(label=_("Estimated casualties"), min_value=0, max_value=1_000_000,
                                              required=False)
    response_level = forms.ChoiceField(label=_("Response level"), choices=ResponseLevel.choices)
    is_exercise = forms.BooleanField(label=_("This is an exercise"), required=False)
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=IncidentRoleKind.choices)
    username = forms.CharField(label=_("Username"), max_length=150)


class CasualtyForm(forms.Form):
    """The fixed fields, plus the findings of the chosen method (`method` from the data, else "auto")."""

    tag = forms.RegexField(label=_("Tag number"), max_length=32, regex=r"^\s*[A-Za-z0-9][A-Za-z0-9_.-]{0,31}\s*$")
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    name = forms.CharField(label=_("Name, if known"), max_length=200, required=False)
    description = forms.CharField(label=_("Description (clothing, injuries, belongings)"), max_length=2000,
                                  required=False, widget=forms.Textarea(attrs={"rows": 2}))
    needs = forms.MultipleChoiceField(label=_("Needs (the receiving hospital must have)"), required=False,
                                      choices=Capability.choices, widget=forms.CheckboxSelectMultiple)
    collection_point = forms.TypedChoiceField(label=_("Waits at"), required=False, coerce=int, empty_value=None)
    method = forms.ChoiceField(label=_("Triage method"), choices=TRIAGE_METHODS, initial="auto")

    def __init__(self, *args: Any, method: str = "auto", points: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collection_point"].choices = [("", _("The scene"))] + list(points or [])
        self.method = method if method in METHOD_FINDINGS else "auto"
        self.fields["method"].initial = self.method
        for name in METHOD_FINDINGS[self.method]:
            self.fields[name] = _finding_field(name)

    def finding_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in METHOD_FINDINGS[self.method]]

    def findings(self) -> dict[str, Any]:
        """The findings entered, by name (not assessed: left out)."""
        out: dict[str, Any] = {}
        for name in METHOD_FINDINGS[self.method]:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            out[name] = {"yes": True, "no": False}.get(value, value) if isinstance(value, str) else value
        return out


def _finding_field(name: str) -> forms.Field:
    label = FINDING_LABELS[name]
    if name in NUMBERS:
        low, high = NUMBERS[name]
        return forms.FloatField(label=label, min_value=low, max_value=high, required=False)
    if name == "avpu":
        return forms.ChoiceField(label=label, required=False, choices=[
            ("", _("Not assessed")), ("A", _("A: alert")), ("V", _("V: responds to voice")),
            ("P", _("P: responds to pain")), ("U", _("U: unresponsive"))])
    return forms.ChoiceField(label=label, choices=YES_NO, required=False)


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CASUALTY_STATUSES)
    destination = forms.CharField(label=_("Destination facility code"), max_length=32, required=False)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=64, required=False)
    eta = forms.DateTimeField(label=_("Expected arrival"), required=False,
                              widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

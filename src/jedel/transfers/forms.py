"""The transfer request form (the page's; the API takes the same fields as JSON)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jedel.capacity.models import BedType
from jedel.facilities.models import Capability, Facility
from jedel.transfers.models import Need, Urgency
from jedel.transfers.services.requests import TRANSFER_CAPABILITIES

TRIAGE = [("", _("—")), ("immediate", _("Red (immediate)")), ("delayed", _("Yellow (delayed)")),
          ("minimal", _("Green (minimal)")), ("expectant", _("Expectant"))]


class TransferForm(forms.Form):
    origin = forms.ChoiceField(label=_("Sending facility"))
    reference = forms.CharField(label=_("Case number at the sending facility"), max_length=40)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    diagnosis = forms.CharField(label=_("Diagnosis summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    triage_category = forms.ChoiceField(label=_("Triage category"), choices=TRIAGE, required=False)
    rpm = forms.IntegerField(label=_("RPM score (0-12)"), min_value=0, max_value=12, required=False)
    ventilated = forms.BooleanField(label=_("Ventilated"), required=False)
    oxygen = forms.BooleanField(label=_("On oxygen"), required=False)
    infusion_pumps = forms.IntegerField(label=_("Infusion pumps"), min_value=0, max_value=20, initial=0)
    bed_type = forms.ChoiceField(label=_("Bed type needed"), choices=BedType.choices)
    capabilities = forms.MultipleChoiceField(
        label=_("Required capabilities"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c.value, c.label) for c in Capability if c.value in TRANSFER_CAPABILITIES])
    needs = forms.MultipleChoiceField(label=_("Transport needs"), required=False, choices=Need.choices,
                                      widget=forms.CheckboxSelectMultiple)
    destination = forms.ChoiceField(label=_("Receiving facility"), required=False)

    def __init__(self, *args: object, origins: list[Facility], destinations: list[Facility], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["origin"].choices = [(f.code, f.name) for f in origins]
        self.fields["destination"].choices = [("", _("NCCEM decides"))] + [
            (f.code, f"{f.name} ({f.region.iso_code})") for f in destinations]

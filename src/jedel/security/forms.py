"""Forms of the security pages (the registry's record form, the evidence upload)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jedel.security.models_registry import (
    CriminalCase, EvidenceKind, PerpetratorKind, Severity, StaffRole, ViolenceKind,
)
from jedel.security.services.registry import IncidentInput, PerpetratorInput, VictimInput


class IncidentForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    department = forms.CharField(label=_("Department"), max_length=100)
    location = forms.CharField(label=_("Where exactly"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=ViolenceKind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    summary = forms.CharField(label=_("What happened (no names)"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=5000)
    victim_name = forms.CharField(label=_("Victim's name"), max_length=200, required=False)
    victim_role = forms.ChoiceField(label=_("Victim's role"), choices=StaffRole.choices)
    injuries = forms.CharField(label=_("Injuries"), max_length=500, required=False)
    sick_leave_days = forms.IntegerField(label=_("Days of sick leave"), min_value=0, max_value=3650, required=False)
    perpetrator_kind = forms.ChoiceField(label=_("Perpetrator"), choices=PerpetratorKind.choices)
    perpetrator_name = forms.CharField(label=_("Perpetrator's name"), max_length=200, required=False)
    detained = forms.BooleanField(label=_("Detained"), required=False)
    mental_health_referral = forms.BooleanField(label=_("Referred for mental-health assessment"), required=False)
    police_notified = forms.BooleanField(label=_("Police notified"), required=False)
    police_case_number = forms.CharField(label=_("Police case number"), max_length=64, required=False)
    criminal_case = forms.ChoiceField(label=_("Criminal case"), choices=CriminalCase.choices)
    measures_taken = forms.CharField(label=_("Measures taken"), widget=forms.Textarea(attrs={"rows": 2}),
                                     required=False, max_length=5000)
    task = forms.CharField(label=_("Follow-up task"), max_length=200, required=False)

    def as_input(self) -> IncidentInput:
        d = self.cleaned_data
        return IncidentInput(
            occurred_at=d["occurred_at"], department=d["department"], location=d["location"], kind=d["kind"],
            severity=d["severity"], summary=d["summary"], police_notified=d["police_notified"],
            police_case_number=d["police_case_number"], criminal_case=d["criminal_case"],
            measures_taken=d["measures_taken"],
            victims=(VictimInput(d["victim_name"], d["victim_role"], d["injuries"], d["sick_leave_days"]),),
            perpetrators=(PerpetratorInput(d["perpetrator_kind"], d["perpetrator_name"], d["detained"],
                                           d["mental_health_referral"]),),
            tasks=(d["task"],) if d["task"] else ())


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    file = forms.FileField(label=_("File"))
    sha256 = forms.CharField(label=_("SHA-256 of the file"), min_length=64, max_length=64,
                             help_text=_("Filled in by the browser where it can; otherwise paste the hash from the "
                                         "export. A file whose hash differs is refused."))


class PostureForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    post_24_7 = forms.BooleanField(label=_("24/7 security post"), required=False)
    cctv_cameras = forms.IntegerField(label=_("CCTV cameras"), min_value=0, max_value=100000)
    er_cctv_covered = forms.BooleanField(label=_("CCTV covers the emergency department"), required=False)
    body_cameras = forms.IntegerField(label=_("Body cameras issued"), min_value=0, max_value=100000)
    staff_count = forms.IntegerField(label=_("Staff (for rates per 100 staff)"), min_value=0, required=False)
    last_audit_on = forms.DateField(label=_("Last security audit"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    audit_findings = forms.CharField(label=_("Audit findings"), required=False, max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    alert_region_at_once = forms.BooleanField(label=_("Tell the regional level of every alarm at once"),
                                              required=False)

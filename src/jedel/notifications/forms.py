"""The web form for sending a notice to a hospital (the API takes any recipients; the page offers the usual case)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jedel.notifications.models import NoticeKind, Priority


class FacilityNoticeForm(forms.Form):
    facility = forms.CharField(label=_("Facility code"), max_length=32)
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices, initial=NoticeKind.INCOMING_PATIENT)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.URGENT)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    ack_timeout_s = forms.IntegerField(label=_("Seconds to wait for an acknowledgement at each level"),
                                       min_value=10, max_value=86_400, required=False)
    exercise = forms.BooleanField(label=_("Exercise"), required=False)

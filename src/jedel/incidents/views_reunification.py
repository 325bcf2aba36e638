"""Pages: finding a casualty for a family (phone-sized; audited by the service), an incident's tag sheets, and
registering or opening a casualty by scanning its tag's QR code with the phone camera (static/incidents/scan.js;
typing the tag is the fallback where the browser has no BarcodeDetector)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jedel.accounts.policy import allowed, principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.incidents import selectors as reads
from jedel.incidents.models import AgeBand, Sex
from jedel.incidents.permissions import REGISTER_CASUALTY
from jedel.incidents.services import casualties
from jedel.incidents.services.exports import next_free_tag_number, tag_sheet_print
from jedel.incidents.services.reunification import SearchQuery, casualty_search
from jedel.incidents.tags import MAX_TAGS

TAG_REGEX = r"^\s*[A-Za-z0-9][A-Za-z0-9_.-]{0,31}\s*$"


class SearchForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200, required=False,
                           help_text=gettext_lazy("Any spelling: Cyrillic or Latin, ё or е, any case."))
    tag = forms.RegexField(label=gettext_lazy("Tag number"), max_length=32, regex=TAG_REGEX, required=False)
    age_band = forms.ChoiceField(label=gettext_lazy("Age band"), required=False,
                                 choices=[("", gettext_lazy("Any"))] + list(AgeBand.choices))
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), required=False,
                            choices=[("", gettext_lazy("Any"))] + list(Sex.choices))
    description = forms.CharField(label=gettext_lazy("Description (clothing, marks, belongings)"), max_length=200,
                                  required=False)
    exercise = forms.BooleanField(label=gettext_lazy("Search exercises instead of real incidents"), required=False)


class TagSheetForm(forms.Form):
    prefix = forms.RegexField(label=gettext_lazy("Prefix"), max_length=8, regex=r"^[A-Za-z0-9]*$", required=False,
                              initial="T")
    start = forms.IntegerField(label=gettext_lazy("First number"), min_value=1, max_value=99_999, initial=1)
    count = forms.IntegerField(label=gettext_lazy("How many tags"), min_value=1, max_value=MAX_TAGS, initial=48)
    reprint = forms.BooleanField(label=gettext_lazy("Reprint: these sheets replace damaged or lost ones"),
                                 required=False)


class ScanForm(forms.Form):
    tag = forms.RegexField(label=gettext_lazy("Tag number"), max_length=32, regex=TAG_REGEX)



@login_required
def reunification_page(request: HttpRequest) -> HttpResponse:
    """The search form; a search runs (and is audited) only when the form is sent with a criterion."""
    viewer = principal_for_user(request.user)
    form = SearchForm(request.GET or None)
    hits, searched, status = None, False, 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = SearchQuery(name=data["name"], description=data["description"], tag=(data["tag"] or "").strip(),
                            age_band=data["age_band"], sex=data["sex"], exercise=data["exercise"])
        try:
            hits, searched = casualty_search(viewer=viewer, query=query), True
        except DomainError as exc:
            if exc.status in (401, 403):
                return domain_error_page(request, exc)
            form.add_error(None, str(exc.detail))
            status = 422
    elif form.is_bound:
        status = 422
    return render(request, "incidents/reunification/search.html",
                  {"form": form, "hits": hits, "searched": searched}, status=status)


@login_required
def tags_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Choose the numbers (the next free ones are offered) and download the PDF; a range printed before is
    refused here with the next free number, unless marked as a reprint."""
    viewer = principal_for_user(request.user)
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    form = TagSheetForm(request.GET or None, initial={"start": next_free_tag_number(incident.pk, "T")})
    status = 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            sheet = tag_sheet_print(actor=viewer, incident_id=incident.pk, prefix=data["prefix"] or "",
                                    start=data["start"], count=data["count"], reprint=data["reprint"])
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                return domain_error_page(request, exc)
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.detail))
            status = exc.status
        else:
            response = HttpResponse(sheet.content, content_type=sheet.content_type)
            response["Content-Disposition"] = f'attachment; filename="{sheet.filename}"'
            return response
    elif form.is_bound:
        status = 422
    return render(request, "incidents/reunification/tags.html", {
        "incident": incident, "form": form,
        "can_print": viewer is not None and allowed(viewer, REGISTER_CASUALTY, incident)}, status=status)


@login_required
def scan_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    """POST a tag (scanned or typed): an existing casualty opens; a new tag is registered (idempotent) and opens."""
    viewer = principal_for_user(request.user)
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    form = ScanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tag = casualties.normalise_tag(form.cleaned_data["tag"])
        try:
            casualty = reads.casualty_get(viewer=viewer, incident=incident, tag=tag)
            messages.info(request, _("Tag %(tag)s is registered: here is the casualty.") % {"tag": tag})
        except DomainError as found_not:
            if found_not.status != 404:
                return domain_error_page(request, found_not)
            try:
                casualty, _created = casualties.casualty_register(actor=viewer, incident_id=incident.pk, tag=tag)
                messages.success(request, _("Casualty %(tag)s registered.") % {"tag": tag})
            except DomainError as exc:
                if exc.status in (401, 403):
                    return domain_error_page(request, exc)
                form.add_error("tag", str(exc.detail))
                casualty = None
        if casualty is not None:
            return redirect("incidents:casualty", incident_id=incident.pk, tag=casualty.tag)
    return render(request, "incidents/reunification/scan.html", {"incident": incident, "form": form},
                  status=422 if form.errors else 200)

"""Registry pages: the list, recording an incident, an incident (names only for the entitled), evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jedel.accounts.policy import allowed, principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.security.forms import EvidenceForm, IncidentForm
from jedel.security.permissions import RECORD_VIOLENCE
from jedel.security.selectors import own_target
from jedel.security.selectors_registry import incident_get, incident_list
from jedel.security.services.registry import evidence_add, evidence_open, incident_record


@login_required
def incidents_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        rows = incident_list(viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    # A link offered only where it can work; the service decides for real.
    can_record = viewer is not None and viewer.facility_id is not None and allowed(viewer, RECORD_VIOLENCE,
                                                                                   own_target(viewer))
    return render(request, "security/incidents.html", {"rows": rows, "can_record": can_record})


@login_required
def record_page(request: HttpRequest) -> HttpResponse:
    """Record an incident at one's own facility (facility-scoped security officers and managers)."""
    viewer = principal_for_user(request.user)
    if viewer is None or viewer.facility_id is None:
        return render(request, "common/error.html", {"error": _("Record incidents from an account attached to a "
                                                                  "facility.")}, status=403)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = incident_record(actor=viewer, facility_id=viewer.facility_id, data=form.as_input())
        except DomainError as exc:
            if exc.status != 422:
                return domain_error_page(request, exc)
            form.add_error(exc.field.split(".")[0] if exc.field and exc.field.split(".")[0] in form.fields else None,
                           str(exc.detail))
        else:
            messages.success(request, _("The incident is recorded."))
            return redirect("security:incident", incident_id=incident.pk)
    return render(request, "security/record.html", {"form": form})


@login_required
def incident_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            evidence_add(actor=viewer, incident_id=incident_id, kind=form.cleaned_data["kind"],
                         filename=upload.name, content_type=upload.content_type or "", chunks=upload.chunks(),
                         declared_sha256=form.cleaned_data["sha256"])
        except DomainError as exc:
            if exc.status in (403, 404):
                return domain_error_page(request, exc)
            messages.error(request, str(exc.detail))
        else:
            messages.success(request, _("The evidence is attached."))
            return redirect("security:incident", incident_id=incident_id)
    try:
        view = incident_get(viewer, incident_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    can_record = viewer is not None and allowed(viewer, RECORD_VIOLENCE, view.incident)
    return render(request, "security/incident.html", {"view": view, "incident": view.incident, "form": form,
                                                      "can_record": can_record})


@login_required
def evidence_action(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Open (?inline=1) or download a piece of evidence; logged either way before a byte is served."""
    inline = request.GET.get("inline") == "1"
    try:
        evidence, path = evidence_open(viewer=principal_for_user(request.user), evidence_id=evidence_id,
                                       kind="view" if inline else "download")
    except DomainError as exc:
        return domain_error_page(request, exc)
    return FileResponse(path.open("rb"), as_attachment=not inline, filename=evidence.original_name,
                        content_type=evidence.content_type)

"""Pages: the incident list (real incidents, or exercises apart), declaring one, an incident's page (status,
timeline, roles, casualties with counts), registering a casualty (the form asks what the chosen triage method
needs and shows the category and the rule that fired) and a casualty's page with its history and a move form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import Action, Principal, allowed, principal_for_user
from jedel.common.errors import DomainError, ValidationFailed
from jedel.common.views import domain_error_page
from jedel.incidents import selectors as reads
from jedel.incidents.engines import TriageInputError, triage_compute
from jedel.incidents.forms import CasualtyForm, IncidentForm, MoveForm, RoleForm
from jedel.incidents.models import CASUALTY_STATUSES, TRIAGE_CATEGORIES, Incident
from jedel.incidents.permissions import (
    DECLARE_INCIDENT,
    EXPORT_CASUALTIES,
    MANAGE_INCIDENT,
    MOVE_CASUALTY,
    REGISTER_CASUALTY,
    TRIAGE_CASUALTY,
)
from jedel.incidents.services import casualties, incidents
from jedel.incidents.timeline_text import timeline_text
from jedel.incidents.views_offline import offline_texts


def _may(viewer: Principal | None, action: Action, target: Any = None) -> bool:
    """Whether to offer a button (the services decide for real)."""
    if viewer is None:
        return False
    if target is None:  # anywhere in one's own scope
        from jedel.accounts.policy import Target

        target = Target(region_id=viewer.region_id, facility_id=viewer.facility_id)
    return allowed(viewer, action, target)



def _form_error(form: Any, exc: DomainError) -> None:
    if isinstance(exc, ValidationFailed):
        for e in exc.errors:
            loc = [str(x) for x in e.get("loc", [])]
            field = next((x for x in reversed(loc) if x in form.fields), None)
            form.add_error(field, str(e["msg"]))
    else:
        field = (exc.field or "").split(".")[0]
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, str(exc.detail))


@login_required
def incident_list_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    exercise = request.GET.get("exercise") == "1"
    try:
        rows = list(reads.incident_list(viewer=viewer, exercise=exercise))
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "incidents/list.html", {"rows": rows, "exercise": exercise,
                                                   "can_declare": _may(viewer, DECLARE_INCIDENT)})


@login_required
def declare_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        isos = [iso for iso in request.POST.getlist("regions") if any(r.iso_code == iso for r in data["regions"])]
        try:
            incident = incidents.incident_declare(
                actor=viewer, title=data["title"], kind=data["kind"], scene_lat=data["scene_lat"],
                scene_lon=data["scene_lon"], region_isos=isos, estimated_casualties=data["estimated_casualties"],
                response_level=data["response_level"], is_exercise=data["is_exercise"],
                description=data["description"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The incident is declared and the regions' coordinators are notified."))
            return redirect("incidents:incident", incident_id=incident.pk)
    return render(request, "incidents/declare.html", {"form": form}, status=422 if form.errors else 200)


def _incident_context(viewer: Principal | None, incident: Incident) -> dict[str, Any]:
    counts = reads.casualty_counts(viewer=viewer, incident=incident)
    try:
        rows = list(reads.casualty_list(viewer=viewer, incident=incident))
    except DomainError:
        rows = None  # counts only: the casualties themselves are need-to-know
    return {
        "incident": incident, "roles": reads.role_list(viewer=viewer, incident=incident),
        "timeline": [(e, timeline_text(e)) for e in reads.timeline_list(viewer=viewer, incident=incident)],
        "casualties": rows, "counts": counts,
        "category_counts": [(v, label, counts.by_category.get(v, 0)) for v, label in TRIAGE_CATEGORIES]
        + [("", _("Not triaged"), counts.by_category.get("", 0))],
        "status_counts": [(v, label, counts.by_status.get(v, 0)) for v, label in CASUALTY_STATUSES],
        "can_manage": _may(viewer, MANAGE_INCIDENT, incident) and incident.status != "closed",
        "can_register": _may(viewer, REGISTER_CASUALTY, incident) and incident.status == "active",
        "can_export": _may(viewer, EXPORT_CASUALTIES, incident),  # closed incidents too: that is when reports are due
        "role_form": RoleForm(),
    }


@login_required
def incident_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
        context = _incident_context(viewer, incident)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "incidents/incident.html", context)


@login_required
@require_POST
def incident_action(request: HttpRequest, incident_id: int, action: str) -> HttpResponse:
    """Stand down, close or assign a role; the outcome is shown as a message on the incident page."""
    viewer = principal_for_user(request.user)
    version = request.POST.get("version", "")
    try:
        if action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a role and a username."))
                return redirect("incidents:incident", incident_id=incident_id)
            incidents.incident_role_assign(actor=viewer, incident_id=incident_id, role=form.cleaned_data["role"],
                                           username=form.cleaned_data["username"])
            messages.success(request, _("The role is assigned."))
        else:
            change = incidents.incident_stand_down if action == "stand-down" else incidents.incident_close
            change(actor=viewer, incident_id=incident_id, version=int(version) if version.isdigit() else None)
            messages.success(request, _("The incident is stood down.") if action == "stand-down"
                             else _("The incident is closed."))
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    return redirect("incidents:incident", incident_id=incident_id)


@login_required
def casualty_register_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Register (and triage) a casualty. `?method=` (htmx, on changing the method) swaps the findings only."""
    viewer = principal_for_user(request.user)
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    method = request.POST.get("method") or request.GET.get("method") or "auto"
    points = [(p.pk, p.name) for p in incident.collection_points.all()]
    form = CasualtyForm(request.POST or None, method=method, points=points)
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "incidents/partials/findings.html", {"form": form})
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = triage_compute(form.method, form.findings())
        except TriageInputError as exc:
            form.add_error(exc.path if exc.path in form.fields else None, exc.reason)
        else:
            try:
                casualty, created = casualties.casualty_register(
                    actor=viewer, incident_id=incident.pk, tag=data["tag"], age_band=data["age_band"], sex=data["sex"],
                    name=data["name"], description=data["description"], needs=data["needs"],
                    collection_point=data["collection_point"], triage=outcome if outcome.category is not None else None)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                result = {"casualty": casualty, "created": created, "outcome": outcome}
                if created:
                    # Ready for the next casualty, at the same collection point.
                    form = CasualtyForm(method=form.method, points=points,
                                        initial={"collection_point": data["collection_point"]})
    return render(request, "incidents/register.html", {"incident": incident, "form": form, "result": result,
                                                       "offline_texts": offline_texts()},
                  status=422 if form.errors else 200)


@login_required
def casualty_page(request: HttpRequest, incident_id: int, tag: str) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
        casualty = reads.casualty_get(viewer=viewer, incident=incident, tag=tag.upper())
    except DomainError as exc:
        return domain_error_page(request, exc)
    form = MoveForm(request.POST or None, initial={"version": casualty.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            casualty = casualties.casualty_move(
                actor=viewer, incident_id=incident.pk, tag=casualty.tag, status=data["status"], version=data["version"],
                destination_code=data["destination"] or None, vehicle=data["vehicle"] or None, eta=data["eta"],
                note=data["note"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The casualty's status is changed."))
            return redirect("incidents:casualty", incident_id=incident.pk, tag=casualty.tag)
    return render(request, "incidents/casualty.html", {
        "incident": incident, "casualty": casualty, "form": form,
        "assessments": list(casualty.assessments.all()),
        "locations": list(casualty.locations.select_related("destination")),
        "can_move": _may(viewer, MOVE_CASUALTY, casualty), "can_triage": _may(viewer, TRIAGE_CASUALTY, casualty),
    }, status=422 if form.errors else 200)

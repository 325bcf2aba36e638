"""Pages of the live distribution: the MCI board (live over the real-time channel), accepting the proposed plan,
assigning or overriding one casualty's destination, and the receiving hospital's incoming page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jedel.accounts.policy import Principal, Target, allowed, principal_for_user
from jedel.common import clock
from jedel.common.errors import DomainError
from jedel.common.realtime.selectors import stream_heads
from jedel.common.views import domain_error_page
from jedel.incidents import selectors as reads
from jedel.incidents.board import board_compute
from jedel.incidents.board_live import live_part
from jedel.incidents.selectors_distribution import current_assignments
from jedel.incidents.models import CASUALTY_STATUSES, TRIAGE_CATEGORIES, Incident
from jedel.incidents.permissions import ASSIGN_CASUALTY, RECEIVE_CASUALTIES, VIEW_CASUALTIES
from jedel.incidents.services import distribution, incoming

PLAN_CATEGORY_CHOICES = [c for c in TRIAGE_CATEGORIES if c[0] in ("immediate", "delayed", "minimal", "expectant")]



def _board_context(viewer: Principal | None, incident: Incident) -> dict[str, Any]:
    board = board_compute(viewer=viewer, incident=incident, now=clock.utcnow())
    counts = board.counts
    context: dict[str, Any] = {
        "incident": incident, "board": board,
        "category_counts": [(v, label, counts.by_category.get(v, 0)) for v, label in TRIAGE_CATEGORIES],
        "status_counts": [(v, label, counts.by_status.get(v, 0)) for v, label in CASUALTY_STATUSES],
        "categories": PLAN_CATEGORY_CHOICES, "casualties": None, "plan": None,
        "hospital_rows": [(h, [(v, h.incoming.get(v, 0), h.arrived.get(v, 0), h.remaining.get(v, 0), v in h.full)
                               for v, _label in PLAN_CATEGORY_CHOICES]) for h in board.hospitals],
        "can_assign": viewer is not None and allowed(viewer, ASSIGN_CASUALTY, incident),
    }
    if viewer is not None and allowed(viewer, VIEW_CASUALTIES, incident):
        assignments = {a.casualty_id: a for a in current_assignments(incident)}
        context["casualties"] = [(c, assignments.get(c.pk)) for c in reads.casualty_list(viewer=viewer,
                                                                                          incident=incident)]
        if incident.status == "active":
            plan = distribution.plan_current(viewer=viewer, incident_id=incident.pk)
            context["plan"] = plan
            labels = dict(TRIAGE_CATEGORIES)
            names = {h["code"]: h["name"] for h in plan.hospitals}
            context["proposals"] = [{**p, "category_label": labels.get(p["category"], p["category"]),
                                     "hospital_name": names.get(p["hospital"] or "", p["hospital"])}
                                    for p in plan.proposals]
            context["benefit"] = plan.nearest_expected_deaths - plan.expected_deaths
            context["proposed_count"] = sum(1 for p in plan.proposals if p["hospital"])
    context["map_data"] = {
        "scene": [incident.scene_lat, incident.scene_lon], "title": incident.title,
        "points": [{"name": p.name, "lat": p.lat, "lon": p.lon} for p in board.collection_points],
        "hospitals": [{"code": h.code, "name": h.name, "lat": h.lat, "lon": h.lon,
                       "incoming": sum(h.incoming.values()), "arrived": sum(h.arrived.values()),
                       "remaining": sum(h.remaining.values())} for h in board.hospitals]}
    return context


@login_required
def board_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The MCI board; `?partial=1` returns only its live part (what the board's script swaps in on each event)."""
    viewer = principal_for_user(request.user)
    heads = stream_heads(["incidents", "notices", "capacity"])  # read before the state
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
        if request.GET.get("partial") == "1":
            return HttpResponse(live_part(request, viewer, incident, heads, render_context=_board_context))
        context = _board_context(viewer, incident)
    except DomainError as exc:
        return domain_error_page(request, exc)
    context["board_config"] = {
        "incident": incident.pk, "heads": heads, "partialUrl": reverse("incidents:board", args=[incident.pk])
        + "?partial=1", "boundariesUrl": reverse("board:regions_geojson"),
        "labels": {"scene": _("Scene"), "point": _("Collection point"), "incoming": _("incoming"),
                   "arrived": _("arrived"), "remaining": _("places left"),
                   "live": _("Live"), "connecting": _("Connecting…"), "offline": _("Offline: reconnecting")}}
    return render(request, "incidents/board.html", context)


@login_required
@require_POST
def plan_accept_action(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Accept every destination of the plan the coordinator saw (its id is in the form)."""
    viewer = principal_for_user(request.user)
    plan_id = request.POST.get("plan", "")
    try:
        result = distribution.plan_accept(actor=viewer, incident_id=incident_id,
                                          plan_id=int(plan_id) if plan_id.isdigit() else 0)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("%(n)d destinations accepted; the hospitals are notified.") % {
            "n": len(result.accepted)})
        if result.refused:
            messages.warning(request, _("Not accepted (changed since the plan; see the board): %(tags)s") % {
                "tags": ", ".join(f"{tag} ({code})" for tag, code in result.refused)})
    return redirect("incidents:board", incident_id=incident_id)


class AssignForm(forms.Form):
    hospital = forms.CharField(label=gettext_lazy("Hospital (code)"), max_length=32)
    reason = forms.CharField(label=gettext_lazy("Reason for the override"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    over_capacity = forms.BooleanField(label=gettext_lazy("Send even if the hospital has no place left"),
                                       required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    plan = forms.IntegerField(widget=forms.HiddenInput, required=False)


@login_required
def assign_page(request: HttpRequest, incident_id: int, tag: str) -> HttpResponse:
    """Assign one casualty: the plan's proposal is filled in; another hospital needs a reason (audited)."""
    viewer = principal_for_user(request.user)
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
        casualty = reads.casualty_get(viewer=viewer, incident=incident, tag=tag.upper())
        plan = distribution.plan_current(viewer=viewer, incident_id=incident.pk)
    except DomainError as exc:
        return domain_error_page(request, exc)
    proposal = next((p for p in plan.proposals if p["tag"] == casualty.tag), None)
    form = AssignForm(request.POST or None, initial={
        "hospital": (proposal or {}).get("hospital") or "", "version": casualty.version, "plan": plan.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            distribution.assignment_accept(actor=viewer, incident_id=incident.pk, tag=casualty.tag,
                                           hospital=data["hospital"].strip(), version=data["version"],
                                           plan_id=data["plan"], reason=data["reason"],
                                           over_capacity=data["over_capacity"])
        except DomainError as exc:
            form.add_error("reason" if exc.code.value == "override_reason_required" else None, str(exc.detail))
        else:
            messages.success(request, _("Casualty %(tag)s assigned; the hospital is notified.") % {"tag": casualty.tag})
            return redirect("incidents:board", incident_id=incident.pk)
    return render(request, "incidents/assign.html", {"incident": incident, "casualty": casualty, "form": form,
                                                     "proposal": proposal, "plan": plan},
                  status=422 if form.errors else 200)


@login_required
def incoming_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    """A receiving hospital's view: casualties on their way to it (category, ETA, the notice's answer), with
    "ask for diversion" and "full for a category"."""
    viewer = principal_for_user(request.user)
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    facility_id = viewer.facility_id if viewer is not None else None
    if facility_id is None or viewer is None or not allowed(viewer, RECEIVE_CASUALTIES,
                                                            Target(region_id=viewer.region_id, facility_id=facility_id)):
        return render(request, "common/error.html", {"error": _("This page is for the staff of a receiving hospital.")},
                      status=403)
    from jedel.facilities.models import Facility

    facility = Facility.objects.get(pk=facility_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "diversion":
                incoming.diversion_request(actor=viewer, incident_id=incident.pk, tag=request.POST.get("tag", ""),
                                           note=request.POST.get("note", ""))
                messages.success(request, _("Diversion requested; the coordinators will re-plan."))
            else:
                incoming.hospital_full_set(actor=viewer, incident_id=incident.pk, hospital=facility.code,
                                           category=request.POST.get("category", ""),
                                           full=request.POST.get("full") == "1")
                messages.success(request, _("Saved; the next plan respects it."))
        except DomainError as exc:
            messages.error(request, str(exc.detail))
        return redirect("incidents:incoming", incident_id=incident.pk)
    from jedel.incidents.selectors_distribution import full_categories

    full = full_categories(incident).get(facility.code, set())
    return render(request, "incidents/incoming.html", {
        "incident": incident, "facility": facility,
        "assignments": list(current_assignments(incident, facility_id=facility.pk).order_by("eta")),
        "categories": [(v, label, v in full) for v, label in PLAN_CATEGORY_CHOICES]})

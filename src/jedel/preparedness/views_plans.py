"""Plan pages: the plans of a region (complete / incomplete / outdated / missing), a facility's plan (view and edit
the whole plan in one form, completeness per component, versions, surge figures beside the capacity board's),
one saved version, and the activation page (levels, call-down list, action cards) an incident links to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import Principal, allowed, principal_for_user
from jedel.common import clock
from jedel.common.errors import DomainError, NotFound, ValidationFailed
from jedel.common.views import domain_error_page
from jedel.geo.models import Region
from jedel.preparedness.errors import PrepError
from jedel.preparedness.readiness import readiness_facilities
from jedel.preparedness.engines import plan_save, plan_score
from jedel.preparedness.models import EmergencyPlan, Instrument, InstrumentItem, PlanItemState
from jedel.preparedness.permissions import EDIT_PLAN
from jedel.preparedness.plan_forms import PlanForm, plan_form_parse
from jedel.preparedness.plan_selectors import (
    board_surge, plan_activation_get, plan_facility, plan_list, plan_standing, plan_version_get, plan_versions,
)

BLANK_LEVELS, BLANK_ROLES = 2, 3


def _today() -> date:
    return timezone.localdate(clock.utcnow())


def _ids(raw: list[str]) -> list[int]:
    return [int(x) for x in raw if x.isdigit() and len(x) <= 18][:200]


@login_required
def plans_page(request: HttpRequest) -> HttpResponse:
    """Plans of the facilities in scope; `?region=` / `?facility=` (repeatable) narrow it (the incident page's link)."""
    viewer = principal_for_user(request.user)
    try:
        rows = plan_list(viewer, _today(), region_ids=_ids(request.GET.getlist("region")),
                         facility_ids=_ids(request.GET.getlist("facility")))
    except DomainError as exc:
        return domain_error_page(request, exc)
    counts = {s: sum(1 for r in rows if r.standing == s) for s in ("complete", "incomplete", "outdated", "missing")}
    return render(request, "preparedness/plans.html", {"rows": rows, "counts": counts})


def _checklist(instrument: Instrument, states: dict[str, tuple[str, str]], errors: dict[str, str]) -> list[dict[str, Any]]:
    """Components in checklist order, each with its items' status and evidence, and its completeness."""
    score = plan_score(instrument.pk, {code: s for code, (s, _e) in states.items()})
    components: dict[str, dict[str, Any]] = {}
    for item in InstrumentItem.objects.filter(instrument=instrument).select_related("section"):
        c = components.setdefault(item.section.code, {"section": item.section, "rows": [],
                                                      "completeness": score.components.get(item.section.code, 0.0)})
        status, evidence = states.get(item.code, ("missing", ""))
        c["rows"].append({"item": item, "status": status, "evidence": evidence, "error": errors.get(item.code, "")})
    return list(components.values())


def _plan_context(viewer: Principal, facility_id: int, form: PlanForm | None = None,
                  posted: dict[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    facility = plan_facility(viewer, facility_id)
    plan = EmergencyPlan.objects.filter(facility=facility).select_related("instrument").first()
    instrument = plan.instrument if plan else Instrument.objects.filter(
        kind=Instrument.Kind.HERP_CHECKLIST, current=True).order_by("-pk").first()
    if instrument is None:
        raise NotFound(PrepError.NO_INSTRUMENT)
    states = {s.item.code: (s.status, s.evidence) for s in PlanItemState.objects.filter(plan=plan).select_related("item")} \
        if plan else {}
    errors = form.errors if form else {}
    components = _checklist(instrument, posted if posted is not None else states, errors)
    overall = plan_score(instrument.pk, {c: s for c, (s, _e) in (posted or states).items()}).overall
    levels = form.raw_levels if form else (plan.activation_levels if plan else [])
    roles = form.raw_roles if form else (plan.command_roles if plan else [])
    return {
        "facility": facility, "plan": plan, "instrument": instrument, "components": components, "overall": overall,
        "standing": plan_standing(plan, _today()), "today": _today(),
        "versions": plan_versions(viewer, facility_id) if plan else [],
        "board": board_surge(facility, clock.utcnow()),
        "can_edit": allowed(viewer, EDIT_PLAN, facility), "errors": errors,
        "surge_error": errors.get("beds_2h") or errors.get("beds_24h", ""),
        "levels": [(i, row, errors.get(f"level-{i}", "")) for i, row in enumerate([*levels, *[{}] * BLANK_LEVELS])],
        "roles": [(i, row, errors.get(f"role-{i}", "")) for i, row in enumerate([*roles, *[{}] * BLANK_ROLES])],
        "surge": form.raw_surge if form else (plan.surge if plan else {}),
        "review_due_on": form.raw_review if form else (plan.review_due_on.isoformat() if plan else ""),
        "note": form.raw_note if form else "",
        "version": plan.version if plan else 0,
        "statuses": PlanItemState.Status.choices,
    }


@login_required
def plan_page(request: HttpRequest, facility_id: int) -> HttpResponse:
    """A facility's plan: completeness, the checklist, activation, call-down list, surge, versions; edit in place."""
    viewer = principal_for_user(request.user)
    try:
        context = _plan_context(viewer, facility_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "preparedness/plan.html", context)


@login_required
@require_POST
def plan_save_action(request: HttpRequest, facility_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        context = _plan_context(viewer, facility_id)
        codes = [r["item"].code for c in context["components"] for r in c["rows"]]
        form = plan_form_parse(request.POST, codes)
        posted = {code: (request.POST.get(f"status:{code}", "missing"), request.POST.get(f"evidence:{code}", ""))
                  for code in codes}
        if form.data is None:
            return _refused(request, viewer, facility_id, form, posted)
        plan_save(actor=viewer, facility_id=facility_id, version=form.version, data=form.data)
    except ValidationFailed as exc:
        for e in exc.errors:
            loc = e.get("loc", [])
            if len(loc) > 1 and loc[0] == "items" and isinstance(loc[1], int) and loc[1] < len(codes):
                form.errors[codes[loc[1]]] = str(e["msg"])
        return _refused(request, viewer, facility_id, form, posted)
    except DomainError as exc:
        if exc.status == 409:
            messages.error(request, _("Someone saved a newer version of this plan meanwhile; nothing of yours was "
                                      "saved. Here is the newer version: make your changes again."))
            return redirect("preparedness:plan", facility_id=facility_id)
        return domain_error_page(request, exc)
    messages.success(request, _("The plan is saved as a new version."))
    return redirect("preparedness:plan", facility_id=facility_id)


def _refused(request: HttpRequest, viewer: Principal, facility_id: int, form: PlanForm,
             posted: dict[str, tuple[str, str]]) -> HttpResponse:
    messages.error(request, _("Nothing was saved: correct the marked fields."))
    context = _plan_context(viewer, facility_id, form, posted)
    return render(request, "preparedness/plan.html", context, status=422)


@login_required
def plan_version_page(request: HttpRequest, facility_id: int, number: int) -> HttpResponse:
    """One saved version as it stood: the status and evidence of every action, completeness, roles."""
    viewer = principal_for_user(request.user)
    try:
        version = plan_version_get(viewer, facility_id, number)
        facility = plan_facility(viewer, facility_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    snapshot = version.snapshot
    states = {code: (v[0], v[1]) for code, v in snapshot.get("items", {}).items()}
    components = _checklist(version.plan.instrument, states, {})
    return render(request, "preparedness/plan_version.html", {
        "facility": facility, "v": version, "components": components, "snapshot": snapshot,
        "overall": snapshot.get("completeness", {}).get("overall", 0.0), "statuses": PlanItemState.Status.choices})


@login_required
def activation_page(request: HttpRequest, facility_id: int) -> HttpResponse:
    """What a hospital needs first in an incident: activation levels and triggers, the call-down list, action cards."""
    viewer = principal_for_user(request.user)
    try:
        plan = plan_activation_get(viewer, facility_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "preparedness/plan_activation.html", {
        "plan": plan, "facility": plan.facility, "today": _today(),
        "cards": [r for r in plan.command_roles if r.get("action_card")]})


@login_required
def region_page(request: HttpRequest, iso_code: str) -> HttpResponse:
    """Drill-down from the readiness map: every facility of a region with its index, plan, training and tasks."""
    viewer = principal_for_user(request.user)
    region = Region.objects.filter(iso_code=iso_code).first()
    if region is None:
        return domain_error_page(request, NotFound(PrepError.REGION_NOT_FOUND))
    try:
        rows = readiness_facilities(viewer, _today(), region_id=region.pk)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "preparedness/region.html", {"region": region, "rows": rows})

"""Pages: readiness by region (map and table), an HSI assessment (rate items, see the index and category,
generate remediation tasks), and the comparison of two assessments of one facility."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from jedel.accounts.policy import Principal, allowed, principal_for_user
from jedel.common import clock
from jedel.common.errors import DomainError, ValidationFailed
from jedel.common.views import domain_error_page
from jedel.core.hsi import CATEGORY_MEANING, SafetyCategory
from jedel.facilities.models import Facility
from jedel.preparedness import selectors
from jedel.preparedness.engines import hsi_compare, hsi_compute, hsi_rate
from jedel.preparedness.models import HsiRating, RemediationTask
from jedel.preparedness.permissions import ASSESS_HSI, MANAGE_REMEDIATION
from jedel.preparedness.readiness import readiness_by_region
from jedel.preparedness.services.assessments import RatingInput, assessment_create
from jedel.preparedness.services.remediation import remediation_generate, task_update

# The category meanings as the pages show them (translated; the engine keeps the English paraphrase).
MEANINGS = {
    "A": gettext_lazy("Likely to function in emergencies and disasters; continue improvement measures."),
    "B": gettext_lazy("Patients, staff and functioning are potentially at risk; interventions needed in the short term."),
    "C": gettext_lazy("Safety inadequate to protect lives of patients and staff; urgent interventions needed."),
}



def _today() -> date:
    return timezone.localdate(clock.utcnow())


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _assessable(viewer: Principal) -> list[Facility]:
    """Facilities the viewer may assess (offered in the form; the service decides for real)."""
    rows = Facility.objects.filter(active=True).select_related("region").order_by("region__iso_code", "name_en")
    if viewer.facility_id is not None:
        rows = rows.filter(pk=viewer.facility_id)
    elif viewer.region_id is not None:
        rows = rows.filter(region_id=viewer.region_id)
    return [f for f in rows[:2000] if allowed(viewer, ASSESS_HSI, f)]


@login_required
def readiness_page(request: HttpRequest) -> HttpResponse:
    """Readiness by region on the map and in a table; assessments in the viewer's scope; start an assessment."""
    viewer = principal_for_user(request.user)
    try:
        regions = readiness_by_region(viewer, _today())
        assessments = selectors.assessment_list(viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    config = {"dataUrl": reverse("api:get_readiness"), "geojsonUrl": reverse("board:regions_geojson"),
              "regionUrl": reverse("preparedness:region", args=["ISO"]),
              "i18n": {"index": _("Mean safety index"), "assessed": _("Assessed"), "noData": _("Not assessed"),
                       "overdue": _("Overdue remediation"), "legend": _("Mean Hospital Safety Index"),
                       "plans": _("Plans complete / outdated / missing"), "trained": _("Trained staff"),
                       "boundaries": _("Boundaries © OpenStreetMap contributors (ODbL)")}}
    return render(request, "preparedness/readiness.html", {
        "regions": regions, "assessments": assessments[:100], "config": config, "today": _today(),
        "facilities": _assessable(viewer) if viewer else [], "meanings": MEANINGS})


@login_required
@require_POST
def create_action(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    on = _parse_date(request.POST.get("assessed_on", ""))
    evaluators = [n.strip()[:150] for n in request.POST.get("evaluators", "").split(",") if n.strip()]
    try:
        facility_id = int(request.POST.get("facility", "0") or 0)
        if on is None:
            raise DomainError(_invalid(), field="assessed_on")
        assessment = assessment_create(actor=viewer, facility_id=facility_id, assessed_on=on, evaluators=evaluators)
    except ValueError:
        messages.error(request, _("Choose a facility."))
        return redirect("preparedness:readiness")
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return redirect("preparedness:readiness")
    return redirect("preparedness:assessment", assessment_id=assessment.pk)


def _invalid() -> Any:
    from jedel.preparedness.errors import PrepError

    return PrepError.INVALID


def _sections(items: list[tuple[Any, HsiRating | None]], result: Any, errors: dict[str, str],
              photos: dict[str, list[Any]] | None = None) -> list[dict[str, Any]]:
    by_code = {m.code: m for m in result.modules}
    sections: dict[str, dict[str, Any]] = {}
    for item, rating in items:
        section = sections.setdefault(item.section.code, {"section": item.section, "rows": [],
                                                          "result": by_code.get(item.section.code)})
        section["rows"].append({"item": item, "rating": rating, "error": errors.get(item.code, ""),
                                "photos": (photos or {}).get(item.code, [])})
    return list(sections.values())


@login_required
def assessment_page(request: HttpRequest, assessment_id: int, errors: dict[str, str] | None = None,
                    status: int = 200) -> HttpResponse:
    """One assessment: the index and category, module scores, every item to rate, remediation tasks."""
    viewer = principal_for_user(request.user)
    try:
        assessment = selectors.assessment_get(viewer, assessment_id)
        items = selectors.assessment_items(assessment)
        tasks = selectors.task_list(viewer, facility_id=assessment.facility_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    result = hsi_compute(assessment)
    others = [a for a in selectors.assessment_list(viewer, facility_id=assessment.facility_id) if a.pk != assessment.pk]
    category = result.category.value if result.category else ""
    photos = selectors.photos_by_item(assessment)
    return render(request, "preparedness/assessment.html", {
        "photo_items": [i for i, _r in items], "a": assessment, "result": result, "category": category, "meaning": MEANINGS.get(category, ""),
        "sections": _sections(items, result, errors or {}, photos), "levels": HsiRating.Level.choices,
        "tasks": [t for t in tasks if t.assessment_id == assessment.pk], "task_statuses": RemediationTask.Status.choices,
        "others": others, "can_assess": allowed(viewer, ASSESS_HSI, assessment) if viewer else False,
        "can_manage": allowed(viewer, MANAGE_REMEDIATION, assessment) if viewer else False,
        "low_count": sum(1 for _i, r in items if r is not None and r.level == "low"), "today": _today(),
        "english_meaning": CATEGORY_MEANING[SafetyCategory(category)] if category else ""}, status=status)


@login_required
@require_POST
def rate_action(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Save every item whose level was chosen in the form; all or nothing."""
    viewer = principal_for_user(request.user)
    codes = [k[len("level:"):] for k in request.POST if k.startswith("level:")]
    ratings = [RatingInput(item=c[:16], level=request.POST.get(f"level:{c}", ""),
                           justification=request.POST.get(f"justification:{c}", "")[:2000],
                           evidence=request.POST.get(f"evidence:{c}", "")[:4000]) for c in codes]
    if not ratings:
        messages.error(request, _("Choose a rating for at least one item."))
        return redirect("preparedness:assessment", assessment_id=assessment_id)
    try:
        hsi_rate(actor=viewer, assessment_id=assessment_id, ratings=ratings)
    except ValidationFailed as exc:
        by_item = {ratings[e["loc"][1]].item: str(e["msg"]) for e in exc.errors
                   if len(e.get("loc", [])) > 1 and isinstance(e["loc"][1], int)}
        messages.error(request, _("Nothing was saved: correct the marked items."))
        return assessment_page(request, assessment_id, errors=by_item, status=422)
    except DomainError as exc:
        return domain_error_page(request, exc)
    messages.success(request, _("Ratings saved; the index is recomputed."))
    return redirect("preparedness:assessment", assessment_id=assessment_id)


@login_required
@require_POST
def remediation_action(request: HttpRequest, assessment_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    due = _parse_date(request.POST.get("due_on", ""))
    try:
        if due is None:
            raise DomainError(_invalid(), field="due_on")
        tasks = remediation_generate(actor=viewer, assessment_id=assessment_id, owner=request.POST.get("owner", "")[:150],
                                     due_on=due)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return redirect("preparedness:assessment", assessment_id=assessment_id)
    messages.success(request, ngettext("%(count)d remediation task created.", "%(count)d remediation tasks created.",
                                       len(tasks)) % {"count": len(tasks)})
    return redirect(reverse("preparedness:assessment", args=[assessment_id]) + "#tasks")


@login_required
@require_POST
def task_action(request: HttpRequest, task_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        task = task_update(actor=viewer, task_id=task_id, status=request.POST.get("status") or None)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return redirect(reverse("preparedness:assessment", args=[task.assessment_id]) + "#tasks")


@login_required
def compare_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        other = int(request.GET.get("other", "0"))
        comparison = hsi_compare(viewer, assessment_id, other)
    except ValueError:
        return redirect("preparedness:assessment", assessment_id=assessment_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    levels = dict(HsiRating.Level.choices)
    return render(request, "preparedness/compare.html", {
        "c": comparison, "levels": levels,
        "modules": sorted(comparison.module_changes.items())})

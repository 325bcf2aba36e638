"""PDF exports of an HSI assessment and of a facility's emergency response plan (same reads and rights as pages)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from jedel.accounts.policy import principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.preparedness import selectors
from jedel.preparedness.engines import hsi_compute
from jedel.preparedness.models import HsiRating, PlanItemState
from jedel.preparedness.pdf import assessment_pdf, plan_pdf
from jedel.preparedness.plan_selectors import plan_get
from jedel.preparedness.views import MEANINGS, _sections
from jedel.preparedness.views_plans import _checklist


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def assessment_pdf_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        assessment = selectors.assessment_get(viewer, assessment_id)
        items = selectors.assessment_items(assessment)
        tasks = [t for t in selectors.task_list(viewer, facility_id=assessment.facility_id)
                 if t.assessment_id == assessment.pk]
    except DomainError as exc:
        return domain_error_page(request, exc)
    result = hsi_compute(assessment)
    category = result.category.value if result.category else ""
    sections = _sections(items, result, {}, selectors.photos_by_item(assessment))
    content = assessment_pdf(assessment=assessment, result=result, sections=sections, tasks=tasks,
                             meaning=str(MEANINGS.get(category, "")), levels=dict(HsiRating.Level.choices))
    return _attachment(content, f"hsi-{assessment.facility.code}-{assessment.assessed_on:%Y-%m-%d}.pdf")


@login_required
def plan_pdf_view(request: HttpRequest, facility_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        page = plan_get(viewer, facility_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    plan = page.plan
    states = {item.code: (s.status, s.evidence) for item, s in page.rows if s is not None}
    components = _checklist(plan.instrument, states, {})
    content = plan_pdf(plan=plan, facility=plan.facility, components=components, overall=plan.completeness,
                       statuses={k: str(v) for k, v in PlanItemState.Status.choices})
    return _attachment(content, f"plan-{plan.facility.code}-v{plan.version}.pdf")

"""Hospital Safety Index assessments, remediation tasks, emergency response plans and readiness over HTTP."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from jedel.common import clock
from jedel.common.ids import RowIdParam
from jedel.preparedness import selectors
from jedel.preparedness.engines import hsi_compare, hsi_compute, hsi_rate, plan_save, plan_score
from jedel.preparedness.plan_selectors import plan_get, plan_versions
from jedel.preparedness.readiness import readiness_by_region
from jedel.preparedness.schemas import (
    HsiAssessmentIn,
    HsiAssessmentOut,
    HsiAssessmentPageOut,
    HsiComparisonOut,
    HsiInstrumentOut,
    HsiInstrumentPageOut,
    HsiItemChangeOut,
    HsiItemOut,
    HsiRatingsIn,
    RegionReadinessOut,
    HsiRemediationIn,
    HsiTaskOut,
    HsiTaskPatchIn,
    TaskStatusName,
)
from jedel.preparedness.schemas_plans import ResponsePlanIn, ResponsePlanOut, ResponsePlanVersionOut
from jedel.preparedness.services.assessments import RatingInput, assessment_create
from jedel.preparedness.services.plans import PlanInput, PlanItemInput
from jedel.preparedness.services.remediation import remediation_generate, task_update

router = Router(tags=["preparedness"])


@router.get("/preparedness/instruments", response=list[HsiInstrumentOut])
def list_instruments(request: HttpRequest) -> Any:
    return [HsiInstrumentOut.of(i) for i in selectors.instrument_list(request.auth)]  # type: ignore[attr-defined]


@router.get("/preparedness/instruments/{instrument_id}", response=HsiInstrumentPageOut)
def get_instrument(request: HttpRequest, instrument_id: RowIdParam) -> Any:
    instrument, items = selectors.instrument_get(request.auth, instrument_id)  # type: ignore[attr-defined]
    return HsiInstrumentPageOut(instrument=HsiInstrumentOut.of(instrument), items=[HsiItemOut.of(i) for i in items])


@router.post("/preparedness/hsi", response={201: HsiAssessmentOut})
def create_hsi_assessment(request: HttpRequest, data: HsiAssessmentIn) -> Any:
    assessment = assessment_create(actor=request.auth, facility_id=data.facility,  # type: ignore[attr-defined]
                                   assessed_on=data.assessed_on, evaluators=data.evaluators, modules=data.modules,
                                   notes=data.notes)
    return Status(201, HsiAssessmentOut.of(assessment))


@router.get("/preparedness/hsi", response=list[HsiAssessmentOut])
def list_hsi_assessments(request: HttpRequest, facility: RowIdParam | None = None,
                         region: RowIdParam | None = None) -> Any:
    rows = selectors.assessment_list(request.auth, facility_id=facility, region_id=region)  # type: ignore[attr-defined]
    return [HsiAssessmentOut.of(a) for a in rows]


@router.get("/preparedness/hsi/{assessment_id}", response=HsiAssessmentPageOut)
def get_hsi_assessment(request: HttpRequest, assessment_id: RowIdParam) -> Any:
    assessment = selectors.assessment_get(request.auth, assessment_id)  # type: ignore[attr-defined]
    return HsiAssessmentPageOut.of(assessment, hsi_compute(assessment), selectors.assessment_items(assessment))


@router.post("/preparedness/hsi/{assessment_id}/ratings", response=HsiAssessmentPageOut)
def rate_hsi_items(request: HttpRequest, assessment_id: RowIdParam, data: HsiRatingsIn) -> Any:
    ratings = [RatingInput(r.item, r.level, r.justification, r.evidence) for r in data.ratings]
    assessment, result = hsi_rate(actor=request.auth, assessment_id=assessment_id, ratings=ratings)  # type: ignore[attr-defined]
    return HsiAssessmentPageOut.of(assessment, result, selectors.assessment_items(assessment))


@router.get("/preparedness/hsi/{assessment_id}/compare/{other_id}", response=HsiComparisonOut)
def compare_hsi_assessments(request: HttpRequest, assessment_id: RowIdParam, other_id: RowIdParam) -> Any:
    c = hsi_compare(request.auth, assessment_id, other_id)  # type: ignore[attr-defined]
    return HsiComparisonOut(earlier=HsiAssessmentOut.of(c.earlier), later=HsiAssessmentOut.of(c.later),
                         index_change=c.index_change, module_changes=c.module_changes,
                         changed_items=[HsiItemChangeOut(item=x.item.code, title=x.item.title, before=x.before,
                                                      after=x.after) for x in c.changed_items])


@router.post("/preparedness/hsi/{assessment_id}/remediation", response={201: list[HsiTaskOut]})
def generate_remediation(request: HttpRequest, assessment_id: RowIdParam, data: HsiRemediationIn) -> Any:
    tasks = remediation_generate(actor=request.auth, assessment_id=assessment_id,  # type: ignore[attr-defined]
                                 owner=data.owner, due_on=data.due_on)
    return Status(201, [HsiTaskOut.of(t) for t in tasks])


@router.get("/preparedness/remediation", response=list[HsiTaskOut])
def list_remediation_tasks(request: HttpRequest, facility: RowIdParam | None = None, region: RowIdParam | None = None,
                           status: TaskStatusName | None = None, overdue: bool = False) -> Any:
    rows = selectors.task_list(request.auth, facility_id=facility, region_id=region, status=status,  # type: ignore[attr-defined]
                               overdue_on=timezone.localdate(clock.utcnow()) if overdue else None)
    return [HsiTaskOut.of(t) for t in rows]


@router.patch("/preparedness/remediation/{task_id}", response=HsiTaskOut)
def update_remediation_task(request: HttpRequest, task_id: RowIdParam, data: HsiTaskPatchIn) -> Any:
    task = task_update(actor=request.auth, task_id=task_id, status=data.status, owner=data.owner,  # type: ignore[attr-defined]
                       due_on=data.due_on)
    return HsiTaskOut.of(task)


@router.get("/preparedness/readiness", response=list[RegionReadinessOut])
def get_readiness(request: HttpRequest) -> Any:
    rows = readiness_by_region(request.auth, timezone.localdate(clock.utcnow()))  # type: ignore[attr-defined]
    return [RegionReadinessOut(iso_code=r.iso_code, name=r.name, facilities=r.facilities, assessed=r.assessed,
                               coverage=r.coverage, categories=r.categories, mean_index=r.mean_index,
                               open_tasks=r.open_tasks, overdue_tasks=r.overdue_tasks, plans=r.plans,
                               plans_overdue=r.plans_overdue, plans_complete=r.plans_complete,
                               plans_missing=r.plans_missing, trained=r.trained) for r in rows]


def _plan_out(request: HttpRequest, facility_id: int) -> ResponsePlanOut:
    page = plan_get(request.auth, facility_id)  # type: ignore[attr-defined]
    score = plan_score(page.plan.instrument_id, {i.code: s.status for i, s in page.rows if s is not None})
    return ResponsePlanOut.of(page, dict(score.components), timezone.localdate(clock.utcnow()))


@router.get("/preparedness/plans/{facility_id}", response=ResponsePlanOut)
def get_plan(request: HttpRequest, facility_id: RowIdParam) -> Any:
    return _plan_out(request, facility_id)


@router.put("/preparedness/plans/{facility_id}", response=ResponsePlanOut)
def save_plan(request: HttpRequest, facility_id: RowIdParam, data: ResponsePlanIn) -> Any:
    plan_save(actor=request.auth, facility_id=facility_id, version=data.version,  # type: ignore[attr-defined]
              data=PlanInput(review_due_on=data.review_due_on,
                             items=[PlanItemInput(i.item, i.status, i.evidence) for i in data.items],
                             activation_levels=[a.model_dump() for a in data.activation_levels],
                             command_roles=[r.model_dump() for r in data.command_roles],
                             surge=data.surge.model_dump(), note=data.note))
    return _plan_out(request, facility_id)


@router.get("/preparedness/plans/{facility_id}/versions", response=list[ResponsePlanVersionOut])
def list_plan_versions(request: HttpRequest, facility_id: RowIdParam) -> Any:
    return [ResponsePlanVersionOut.of(v) for v in plan_versions(request.auth, facility_id)]  # type: ignore[attr-defined]


# The training registry's operations are declared on this router in their own module (kept under ~300 lines).
from jedel.preparedness import api_training  # noqa: E402,F401

"""Remediation tasks: generated from an assessment's low-rated items, then owned, dated and progressed."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.errors import DomainError, NotFound
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import HsiAssessment, HsiRating, RemediationTask
from jedel.preparedness.permissions import MANAGE_REMEDIATION


def remediation_generate(*, actor: Principal, assessment_id: int, owner: str, due_on: date) -> list[RemediationTask]:
    """One open task per item rated low that has no task yet in this assessment; returns the tasks created."""
    assessment = HsiAssessment.objects.select_related("facility").filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound(PrepError.ASSESSMENT_NOT_FOUND)
    require(actor, MANAGE_REMEDIATION, assessment, object_type="hsi_assessment", object_id=assessment_id)
    if not owner.strip():
        raise DomainError(PrepError.INVALID, field="owner")
    if due_on < assessment.assessed_on:
        raise DomainError(PrepError.INVALID, field="due_on", detail=str(_due_before()))
    existing = set(assessment.tasks.values_list("item_id", flat=True))
    low = (HsiRating.objects.filter(assessment=assessment, level=HsiRating.Level.LOW).exclude(item_id__in=existing)
           .select_related("item").order_by("item__position"))
    with transaction.atomic():
        tasks = [RemediationTask.objects.create(facility=assessment.facility, assessment=assessment, item=r.item,
                                                title=r.item.title, owner=owner.strip(), due_on=due_on)
                 for r in low]
        audit_record(actor=actor, action=MANAGE_REMEDIATION.name, object_type="hsi_assessment",
                     object_id=assessment.pk, region_id=assessment.facility.region_id,
                     facility_id=assessment.facility_id, changes={"tasks_created": [t.item.code for t in tasks]})
    return tasks


def _due_before() -> str:
    from django.utils.translation import gettext

    return gettext("The due date cannot be before the assessment.")


def task_update(*, actor: Principal, task_id: int, status: str | None = None, owner: str | None = None,
                due_on: date | None = None) -> RemediationTask:
    """Change a task's status, owner or due date."""
    task = RemediationTask.objects.select_related("facility", "item").filter(pk=task_id).first()
    if task is None:
        raise NotFound(PrepError.TASK_NOT_FOUND)
    require(actor, MANAGE_REMEDIATION, task, object_type="remediation_task", object_id=task_id)
    changes: dict[str, str] = {}
    if status is not None:
        if status not in RemediationTask.Status.values:
            raise DomainError(PrepError.BAD_TASK_STATUS, field="status")
        task.status, changes["status"] = status, status
    if owner is not None:
        if not owner.strip():
            raise DomainError(PrepError.INVALID, field="owner")
        task.owner, changes["owner"] = owner.strip(), owner.strip()
    if due_on is not None:
        task.due_on, changes["due_on"] = due_on, due_on.isoformat()
    with transaction.atomic():
        task.save()
        audit_record(actor=actor, action=MANAGE_REMEDIATION.name, object_type="remediation_task", object_id=task.pk,
                     region_id=task.facility.region_id, facility_id=task.facility_id, changes=changes)
    return task

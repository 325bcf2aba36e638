"""Hospital emergency response plans: validate a whole plan, then write it with a new version snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common import clock
from jedel.common.errors import Conflict, DomainError, NotFound, ValidationFailed
from jedel.facilities.models import Facility
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import EmergencyPlan, Instrument, InstrumentItem, PlanItemState, PlanVersion
from jedel.preparedness.permissions import EDIT_PLAN

PLAN_STATUSES = ("done", "in_progress", "missing")


@dataclass(frozen=True)
class PlanItemInput:
    item: str
    status: str
    evidence: str = ""


@dataclass(frozen=True)
class PlanInput:
    """A whole plan as sent: checklist items not named are missing; command roles in call-down order."""

    review_due_on: date
    items: list[PlanItemInput]
    activation_levels: list[dict[str, Any]] = field(default_factory=list)
    command_roles: list[dict[str, Any]] = field(default_factory=list)
    surge: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class PlanCheck:
    facility: Facility
    plan: EmergencyPlan | None
    instrument: Instrument
    items: dict[str, InstrumentItem]


def plan_check(*, actor: Principal, facility_id: int, version: int, data: PlanInput) -> PlanCheck:
    """Every rule a plan must meet; raises before anything is written."""
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise NotFound(PrepError.FACILITY_NOT_FOUND, field="facility")
    require(actor, EDIT_PLAN, facility, object_type="emergency_plan", object_id=facility_id)
    plan = EmergencyPlan.objects.filter(facility=facility).select_related("instrument").first()
    instrument = plan.instrument if plan else Instrument.objects.filter(
        kind=Instrument.Kind.HERP_CHECKLIST, current=True).order_by("-pk").first()
    if instrument is None:
        raise DomainError(PrepError.NO_INSTRUMENT, field="instrument", status=409)
    if version != (plan.version if plan else 0):
        raise Conflict(PrepError.STALE_VERSION, field="version")
    items = {i.code: i for i in InstrumentItem.objects.filter(instrument=instrument)}
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, row in enumerate(data.items):
        item = items.get(row.item)
        if item is None:
            errors.append({"loc": ["items", n, "item"], "msg": str(PrepError.UNKNOWN_ITEM.message),
                           "code": PrepError.UNKNOWN_ITEM.value})
        elif row.item in seen:
            errors.append({"loc": ["items", n, "item"], "msg": str(PrepError.DUPLICATE_ITEM.message),
                           "code": PrepError.DUPLICATE_ITEM.value})
        seen.add(row.item)
        if row.status not in PLAN_STATUSES:
            errors.append({"loc": ["items", n, "status"], "msg": str(PrepError.BAD_PLAN_STATUS.message),
                           "code": PrepError.BAD_PLAN_STATUS.value})
        elif row.status == "done" and item is not None and item.evidence_required and not row.evidence.strip():
            errors.append({"loc": ["items", n, "evidence"], "msg": str(PrepError.EVIDENCE_REQUIRED.message),
                           "code": PrepError.EVIDENCE_REQUIRED.value})
    if errors:
        raise ValidationFailed(PrepError(errors[0]["code"]), errors)
    return PlanCheck(facility, plan, instrument, items)


def plan_write(*, actor: Principal, check: PlanCheck, data: PlanInput, completeness: dict[str, Any]) -> EmergencyPlan:
    """Write the checked plan (replacing its item states) and keep the new version's snapshot."""
    now = clock.utcnow()
    with transaction.atomic():
        plan = check.plan or EmergencyPlan(facility=check.facility, instrument=check.instrument, version=0)
        plan.version += 1
        plan.review_due_on = data.review_due_on
        plan.activation_levels, plan.command_roles, plan.surge = data.activation_levels, data.command_roles, data.surge
        plan.completeness, plan.updated_by = float(completeness["overall"]), actor.label
        plan.save()
        PlanItemState.objects.filter(plan=plan).delete()
        PlanItemState.objects.bulk_create([PlanItemState(plan=plan, item=check.items[r.item], status=r.status,
                                                         evidence=r.evidence.strip()) for r in data.items])
        snapshot = {"review_due_on": data.review_due_on.isoformat(),
                    "items": {r.item: [r.status, r.evidence.strip()] for r in data.items},
                    "activation_levels": data.activation_levels, "command_roles": data.command_roles,
                    "surge": data.surge, "completeness": completeness}
        PlanVersion.objects.create(plan=plan, number=plan.version, snapshot=snapshot, saved_by=actor.label,
                                   saved_at=now, note=data.note)
        audit_record(actor=actor, action=EDIT_PLAN.name, object_type="emergency_plan", object_id=plan.pk,
                     region_id=check.facility.region_id, facility_id=check.facility.pk,
                     changes={"version": plan.version, "completeness": completeness["overall"]})
    return plan

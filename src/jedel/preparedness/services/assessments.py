"""HSI assessments: starting one, saving item ratings (all or nothing), storing the computed index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common import clock
from jedel.common.errors import DomainError, NotFound, ValidationFailed
from jedel.facilities.models import Facility
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import HsiAssessment, HsiRating, Instrument, InstrumentItem
from jedel.preparedness.permissions import ASSESS_HSI

LEVELS = ("low", "average", "high", "not_applicable")


@dataclass(frozen=True)
class RatingInput:
    """One item's answer: `level` one of LEVELS; a justification is required for not_applicable."""

    item: str
    level: str
    justification: str = ""
    evidence: str = ""


def current_hsi_instrument() -> Instrument:
    instrument = Instrument.objects.filter(kind=Instrument.Kind.HSI, current=True).order_by("-pk").first()
    if instrument is None:
        raise DomainError(PrepError.NO_INSTRUMENT, field="instrument", status=409)
    return instrument


def assessment_create(*, actor: Principal, facility_id: int, assessed_on: date, evaluators: list[str],
                      modules: list[str] | None = None, notes: str = "") -> HsiAssessment:
    """Start an assessment of a facility with the current HSI instrument (all scored modules unless named)."""
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise NotFound(PrepError.FACILITY_NOT_FOUND, field="facility")
    require(actor, ASSESS_HSI, facility, object_type="hsi_assessment")
    instrument = current_hsi_instrument()
    names = [n.strip() for n in evaluators if n.strip()]
    if not names:
        raise DomainError(PrepError.NO_EVALUATORS, field="evaluators")
    scored = list(instrument.sections.values_list("code", flat=True))
    chosen = list(dict.fromkeys(modules)) if modules else scored
    errors = [{"loc": ["modules", i], "msg": str(PrepError.UNKNOWN_MODULE.message)}
              for i, code in enumerate(chosen) if code not in scored]
    if errors:
        raise ValidationFailed(PrepError.UNKNOWN_MODULE, errors)
    with transaction.atomic():
        assessment = HsiAssessment.objects.create(
            facility=facility, instrument=instrument, assessed_on=assessed_on, evaluators=names, modules=chosen,
            notes=notes, created_by=actor.label,
            item_count=InstrumentItem.objects.filter(instrument=instrument, section__code__in=chosen).count())
        audit_record(actor=actor, action=ASSESS_HSI.name, object_type="hsi_assessment", object_id=assessment.pk,
                     region_id=facility.region_id, facility_id=facility.pk,
                     changes={"created": assessed_on.isoformat(), "modules": chosen})
    return assessment


def assessment_for_write(*, actor: Principal, assessment_id: int) -> HsiAssessment:
    assessment = HsiAssessment.objects.select_related("facility", "instrument").filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound(PrepError.ASSESSMENT_NOT_FOUND)
    require(actor, ASSESS_HSI, assessment, object_type="hsi_assessment", object_id=assessment_id)
    return assessment


def _validate(assessment: HsiAssessment, ratings: list[RatingInput]) -> dict[str, InstrumentItem]:
    items = {i.code: i for i in InstrumentItem.objects.filter(instrument=assessment.instrument,
                                                            section__code__in=assessment.modules)}
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, r in enumerate(ratings):
        if r.item not in items:
            errors.append({"loc": ["ratings", n, "item"], "msg": str(PrepError.UNKNOWN_ITEM.message),
                           "code": PrepError.UNKNOWN_ITEM.value})
        elif r.item in seen:
            errors.append({"loc": ["ratings", n, "item"], "msg": str(PrepError.DUPLICATE_ITEM.message),
                           "code": PrepError.DUPLICATE_ITEM.value})
        seen.add(r.item)
        if r.level not in LEVELS:
            errors.append({"loc": ["ratings", n, "level"], "msg": str(PrepError.BAD_LEVEL.message),
                           "code": PrepError.BAD_LEVEL.value})
        elif r.level == "not_applicable" and not r.justification.strip():
            errors.append({"loc": ["ratings", n, "justification"],
                           "msg": str(PrepError.JUSTIFICATION_REQUIRED.message),
                           "code": PrepError.JUSTIFICATION_REQUIRED.value})
    if errors:
        # Each entry carries its own code; the first names the whole refusal.
        raise ValidationFailed(PrepError(errors[0]["code"]), errors)
    return items


def ratings_save(*, actor: Principal, assessment_id: int, ratings: list[RatingInput]) -> HsiAssessment:
    """Set (or replace) the ratings of items; every rating is checked first and none is saved if one is bad."""
    assessment = assessment_for_write(actor=actor, assessment_id=assessment_id)
    items = _validate(assessment, ratings)
    now = clock.utcnow()
    with transaction.atomic():
        for r in ratings:
            HsiRating.objects.update_or_create(
                assessment=assessment, item=items[r.item],
                defaults={"level": r.level, "justification": r.justification.strip(), "evidence": r.evidence.strip(), "rated_by": actor.label,
                          "rated_at": now})
        audit_record(actor=actor, action=ASSESS_HSI.name, object_type="hsi_assessment", object_id=assessment.pk,
                     region_id=assessment.facility.region_id, facility_id=assessment.facility_id,
                     changes={"rated": {r.item: r.level for r in ratings}})
    return assessment


def assessment_store_index(*, assessment: HsiAssessment, safety_index: float | None, category: str,
                           rated_count: int) -> None:
    """Keep the engine's result on the assessment (lists and the readiness map read it without recomputing)."""
    HsiAssessment.objects.filter(pk=assessment.pk).update(safety_index=safety_index, category=category,
                                                         rated_count=rated_count, version=assessment.version + 1)
    assessment.safety_index, assessment.category, assessment.rated_count = safety_index, category, rated_count
    assessment.version += 1

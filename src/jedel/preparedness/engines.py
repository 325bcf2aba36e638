"""Bridge to `jedel.core`: HSI assessments (`core.hsi`) and plan completeness (`core.plans`) from live rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jedel.accounts.policy import Principal
from jedel.core.hsi import NOT_APPLICABLE, HsiResult, ModuleSpec, SafetyLevel, ScoredItem, compute_index
from jedel.core.hsi.index import Rating
from jedel.core.plans import ItemStatus, PlanCompleteness, plan_completeness
from jedel.preparedness.models import EmergencyPlan, HsiAssessment, HsiRating, InstrumentItem, InstrumentSection
from jedel.preparedness.services.plans import PlanInput, plan_check, plan_write
from jedel.preparedness.selectors import ItemChange, assessment_pair
from jedel.preparedness.services.assessments import (
    RatingInput,
    assessment_for_write,
    assessment_store_index,
    ratings_save,
)


def _modules(assessment: HsiAssessment) -> list[ModuleSpec]:
    sections = InstrumentSection.objects.filter(instrument_id=assessment.instrument_id, code__in=assessment.modules)
    items = InstrumentItem.objects.filter(instrument_id=assessment.instrument_id, section__in=sections)
    by_section: dict[int, list[ScoredItem]] = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(ScoredItem(item.code, float(item.weight or 0.0)))
    return [ModuleSpec(s.code, float(s.weight or 0.0), tuple(by_section.get(s.pk, []))) for s in sections]


def _ratings(assessment: HsiAssessment) -> dict[str, Rating]:
    out: dict[str, Rating] = {}
    for code, level in HsiRating.objects.filter(assessment=assessment).values_list("item__code", "level"):
        out[code] = NOT_APPLICABLE if level == HsiRating.Level.NOT_APPLICABLE else SafetyLevel(level)
    return out


def hsi_compute(assessment: HsiAssessment) -> HsiResult:
    """The index of an assessment as it stands (reads only; the caller has checked the viewer's right)."""
    return compute_index(_modules(assessment), _ratings(assessment))


def hsi_rate(*, actor: Principal, assessment_id: int, ratings: list[RatingInput]) -> tuple[HsiAssessment, HsiResult]:
    """Save ratings (all or nothing), recompute the index and store it with the assessment."""
    # The permission check first, outside the transaction, so that a refusal's audit record is committed.
    assessment_for_write(actor=actor, assessment_id=assessment_id)
    with transaction.atomic():
        assessment = ratings_save(actor=actor, assessment_id=assessment_id, ratings=ratings)
        result = hsi_compute(assessment)
        assessment_store_index(assessment=assessment, safety_index=result.safety_index,
                               category=result.category.value if result.category else "",
                               rated_count=HsiRating.objects.filter(assessment=assessment).count())
    return assessment, result


@dataclass(frozen=True)
class Comparison:
    earlier: HsiAssessment
    later: HsiAssessment
    index_change: float | None
    module_changes: dict[str, float | None]
    changed_items: list[ItemChange]


def hsi_compare(viewer: Principal, first_id: int, second_id: int) -> Comparison:
    """Two assessments of one facility: the change of the overall and module indexes, and of item ratings."""
    earlier, later, changes = assessment_pair(viewer, first_id, second_id)
    before, after = hsi_compute(earlier), hsi_compute(later)
    old = {m.code: m.safety_index for m in before.modules}
    modules = {m.code: (m.safety_index - old[m.code]) if m.safety_index is not None and old.get(m.code) is not None
               else None for m in after.modules}
    delta = (after.safety_index - before.safety_index) if after.safety_index is not None \
        and before.safety_index is not None else None
    return Comparison(earlier, later, delta, modules, changes)


def plan_score(instrument_id: int, statuses: dict[str, str]) -> PlanCompleteness:
    """Completeness of a plan per component and overall (jedel.core.plans)."""
    components: dict[str, list[str]] = {}
    for section_code, item_code in (InstrumentItem.objects.filter(instrument_id=instrument_id)
                                    .values_list("section__code", "code")):
        components.setdefault(section_code, []).append(item_code)
    return plan_completeness(list(components.items()), {k: ItemStatus(v) for k, v in statuses.items()})


def plan_save(*, actor: Principal, facility_id: int, version: int, data: PlanInput) -> EmergencyPlan:
    """Check the whole plan, score it, and write it as a new version (all or nothing)."""
    check = plan_check(actor=actor, facility_id=facility_id, version=version, data=data)
    score = plan_score(check.instrument.pk, {r.item: r.status for r in data.items})
    return plan_write(actor=actor, check=check, data=data,
                      completeness={"overall": score.overall, "components": dict(score.components)})

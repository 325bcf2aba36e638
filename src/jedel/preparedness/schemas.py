"""API schemas of the preparedness app."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema

from jedel.common.ids import RowId
from jedel.core.hsi import CATEGORY_MEANING, HsiResult, SafetyCategory
from jedel.preparedness.models import HsiAssessment, HsiRating, Instrument, InstrumentItem, RemediationTask

LevelName = Literal["low", "average", "high", "not_applicable"]
TaskStatusName = Literal["open", "in_progress", "done"]
Text = Annotated[str, Field(min_length=1, max_length=150)]


class HsiInstrumentOut(Schema):
    id: int
    code: str
    version: str
    kind: str
    title: str
    source: str
    status_note: str
    current: bool

    @staticmethod
    def of(i: Instrument) -> HsiInstrumentOut:
        return HsiInstrumentOut(id=i.pk, code=i.code, version=i.version, kind=i.kind, title=i.title, source=i.source,
                             status_note=i.status_note, current=i.current)


class HsiItemOut(Schema):
    code: str
    section: str
    group: str
    title: str
    weight: float | None
    hazard: str
    status: str
    ratings: dict[str, str]
    evidence_required: bool

    @staticmethod
    def of(i: InstrumentItem) -> HsiItemOut:
        return HsiItemOut(code=i.code, section=i.section.code, group=i.group_code, title=i.title, weight=i.weight,
                       hazard=i.hazard, status=i.status, ratings=i.ratings, evidence_required=i.evidence_required)


class HsiInstrumentPageOut(Schema):
    instrument: HsiInstrumentOut
    items: list[HsiItemOut]


class HsiAssessmentIn(Schema):
    facility: RowId
    assessed_on: date
    evaluators: list[Text] = Field(min_length=1, max_length=20, description="names of the evaluation team")
    modules: list[str] | None = Field(None, max_length=10, description="module numbers; all scored modules if absent")
    notes: str = Field("", max_length=4000)


class HsiRatingIn(Schema):
    item: str = Field(min_length=1, max_length=16, description="the item's number on the checklist")
    level: LevelName
    justification: str = Field("", max_length=2000, description="required when not applicable")
    evidence: str = Field("", max_length=4000, description="what the evaluators saw: documents, photos, notes")


class HsiRatingsIn(Schema):
    ratings: list[HsiRatingIn] = Field(min_length=1, max_length=500)


class HsiRatingOut(Schema):
    item: str
    level: str
    justification: str
    evidence: str
    rated_by: str


class HsiModuleOut(Schema):
    code: str
    low_pct: float | None
    average_pct: float | None
    high_pct: float | None
    crude_index: float | None
    safety_index: float | None
    vulnerability_index: float | None
    not_applicable: list[str]
    unrated: list[str]


class HsiAssessmentOut(Schema):
    id: int
    facility: int
    facility_code: str
    instrument: str
    assessed_on: date
    evaluators: list[str]
    modules: list[str]
    notes: str
    safety_index: float | None
    category: str | None
    category_meaning: str | None
    rated_count: int
    item_count: int

    @staticmethod
    def of(a: HsiAssessment) -> HsiAssessmentOut:
        category = a.category or None
        return HsiAssessmentOut(id=a.pk, facility=a.facility_id, facility_code=a.facility.code,
                             instrument=f"{a.instrument.code} {a.instrument.version}", assessed_on=a.assessed_on,
                             evaluators=list(a.evaluators), modules=list(a.modules), notes=a.notes,
                             safety_index=a.safety_index, category=category,
                             category_meaning=CATEGORY_MEANING[SafetyCategory(category)] if category else None,
                             rated_count=a.rated_count, item_count=a.item_count)


class HsiAssessmentPageOut(Schema):
    assessment: HsiAssessmentOut
    vulnerability_index: float | None
    module_results: list[HsiModuleOut]
    ratings: list[HsiRatingOut]

    @staticmethod
    def of(a: HsiAssessment, result: HsiResult, ratings: list[tuple[InstrumentItem, HsiRating | None]]
           ) -> HsiAssessmentPageOut:
        modules = [HsiModuleOut(code=m.code, low_pct=m.tabulation.low_pct if m.tabulation else None,
                             average_pct=m.tabulation.average_pct if m.tabulation else None,
                             high_pct=m.tabulation.high_pct if m.tabulation else None, crude_index=m.crude_index,
                             safety_index=m.safety_index, vulnerability_index=m.vulnerability_index,
                             not_applicable=list(m.not_applicable), unrated=list(m.unrated))
                   for m in result.modules]
        return HsiAssessmentPageOut(assessment=HsiAssessmentOut.of(a), vulnerability_index=result.vulnerability_index,
                                 module_results=modules,
                                 ratings=[HsiRatingOut(item=i.code, level=r.level, justification=r.justification,
                                                    evidence=r.evidence, rated_by=r.rated_by)
                                          for i, r in ratings if r is not None])


class HsiItemChangeOut(Schema):
    item: str
    title: str
    before: str
    after: str


class HsiComparisonOut(Schema):
    earlier: HsiAssessmentOut
    later: HsiAssessmentOut
    index_change: float | None
    module_changes: dict[str, float | None]
    changed_items: list[HsiItemChangeOut]


class HsiRemediationIn(Schema):
    owner: str = Field(min_length=1, max_length=150)
    due_on: date


class HsiTaskOut(Schema):
    id: int
    facility: int
    assessment: int
    item: str
    title: str
    owner: str
    due_on: date
    status: str

    @staticmethod
    def of(t: RemediationTask) -> HsiTaskOut:
        return HsiTaskOut(id=t.pk, facility=t.facility_id, assessment=t.assessment_id, item=t.item.code, title=t.title,
                       owner=t.owner, due_on=t.due_on, status=t.status)


class HsiTaskPatchIn(Schema):
    status: TaskStatusName | None = None
    owner: str | None = Field(None, min_length=1, max_length=150)
    due_on: date | None = None


class RegionReadinessOut(Schema):
    iso_code: str
    name: str
    facilities: int
    assessed: int
    coverage: float
    categories: dict[str, int]
    mean_index: float | None
    open_tasks: int
    overdue_tasks: int
    plans: int
    plans_overdue: int = Field(description="plans whose review date has passed (outdated)")
    plans_complete: int = Field(0, description="plans with every action done and the review not overdue")
    plans_missing: int = Field(0, description="active facilities without a plan")
    trained: int = Field(0, description="people holding a valid certificate, counted once per facility")

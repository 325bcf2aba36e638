"""API schemas of distributions, households, handouts, beneficiary feedback and kit proposals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictBool

from jedel.common.ids import MAX_ROW_ID, NO_NUL, RowId
from jedel.supplies.models_distribution import FeedbackForm, Handout, Household, KitProposal
from jedel.supplies.selectors_distribution import DistributionRow, DistributionView, KitFeedback

VerdictName = Literal["useful", "not_useful", "missing"]
LanguageName = Literal["kk", "ru"]
ItemKey = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]  # a JSON object key: always text, read as a number


Place = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
Text200 = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
Phone = Annotated[str, Field(max_length=30, pattern=NO_NUL)]
LongText = Annotated[str, Field(max_length=2000, pattern=NO_NUL)]


class DistributionIn(Schema):
    warehouse: RowId = Field(description="the warehouse the handouts are taken from")
    region: RowId = Field(description="the region where people are served")
    place: Place
    on: date
    partner: Text200 = ""
    incident: RowId | None = None
    lat: Annotated[float, Field(strict=True, ge=40, le=56, allow_inf_nan=False)] | None = None
    lon: Annotated[float, Field(strict=True, ge=46, le=88, allow_inf_nan=False)] | None = None


class DistributionOut(Schema):
    id: int
    version: int
    warehouse: int
    warehouse_code: str
    region: int
    region_iso: str
    place: str
    lat: float | None
    lon: float | None
    on: date
    partner: str
    incident: int | None
    closed_at: datetime | None
    households: int
    persons: int = Field(description="people in the households served")
    items_given: int = Field(description="units handed out, all items (a kit counts as one unit)")

    @staticmethod
    def of(row: DistributionRow) -> DistributionOut:
        e = row.event
        return DistributionOut(id=e.pk, version=e.version, warehouse=e.warehouse_id, warehouse_code=e.warehouse.code,
                               region=e.region_id, region_iso=e.region.iso_code, place=e.place, lat=e.lat, lon=e.lon,
                               on=e.on, partner=e.partner, incident=e.incident_id, closed_at=e.closed_at,
                               households=row.households, persons=row.persons, items_given=row.items_given)


class GivenOut(Schema):
    item: int
    item_code: str
    kit_version: int | None
    kit_version_number: int | None
    quantity: int


class DistributionDetailOut(DistributionOut):
    given: list[GivenOut]
    feedback_forms: int
    personal: bool = Field(description="whether households' names and phones are shown to the caller")

    @staticmethod
    def of_view(view: DistributionView) -> DistributionDetailOut:
        return DistributionDetailOut(
            **DistributionOut.of(view.row).dict(), feedback_forms=view.feedback_forms, personal=view.personal,
            given=[GivenOut(item=g.item.pk, item_code=g.item.code,
                            kit_version=g.kit_version.pk if g.kit_version else None,
                            kit_version_number=g.kit_version.number if g.kit_version else None,
                            quantity=g.quantity) for g in view.given])


class HouseholdIn(Schema):
    size: Annotated[int, Field(strict=True, ge=1, le=100)]
    head_name: Text200 = ""
    phone: Phone = ""
    reference: Annotated[str, Field(min_length=1, max_length=20, pattern=NO_NUL)] | None = Field(
        None, description="the number on the household's card; null: the next H-0001, H-0002, …")


class HouseholdOut(Schema):
    id: int
    reference: str
    size: int
    head_name: str | None = Field(description="null unless the caller may see beneficiaries' personal data")
    phone: str | None

    @staticmethod
    def of(h: Household, personal: bool) -> HouseholdOut:
        return HouseholdOut(id=h.pk, reference=h.reference, size=h.size,
                            head_name=h.head_name if personal else None, phone=h.phone if personal else None)


class HandoutIn(Schema):
    household: RowId | None = None
    item: RowId
    quantity: Annotated[int, Field(strict=True, ge=1, le=100_000)]


class HandoutOut(Schema):
    id: int
    distribution: int
    household: int | None
    item: int
    item_code: str
    kit_version: int | None
    quantity: int
    at: datetime

    @staticmethod
    def of(h: Handout) -> HandoutOut:
        return HandoutOut(id=h.pk, distribution=h.distribution_id, household=h.household_id, item=h.item_id,
                          item_code=h.item.code, kit_version=h.kit_version_id, quantity=h.quantity, at=h.at)


class FeedbackIn(Schema):
    kit_version: RowId
    language: LanguageName
    answers: dict[ItemKey, VerdictName] = Field(
        max_length=100, description="item id -> verdict; 'missing' may name an item the kit does not contain")
    comment: LongText = ""
    household: RowId | None = None


class AnswerOut(Schema):
    item: int
    item_code: str
    verdict: str


class FeedbackOut(Schema):
    id: int
    distribution: int
    kit_version: int
    language: str
    comment: str
    household: str | None = Field(description="the household's reference")
    submitted_at: datetime
    recorded_by: str
    answers: list[AnswerOut]

    @staticmethod
    def of(f: FeedbackForm) -> FeedbackOut:
        return FeedbackOut(id=f.pk, distribution=f.distribution_id, kit_version=f.kit_version_id,
                           language=f.language, comment=f.comment,
                           household=f.household.reference if f.household else None, submitted_at=f.submitted_at,
                           recorded_by=f.recorded_by_label,
                           answers=[AnswerOut(item=a.item_id, item_code=a.item.code, verdict=a.verdict)
                                    for a in f.answers.all()])


class ComponentSummaryOut(Schema):
    item_code: str
    quantity_per_kit: int = Field(description="0: not in this version (asked for as missing)")
    useful: int
    not_useful: int
    missing: int
    ratings: int
    not_useful_share: float | None
    not_useful_low: float | None = Field(description="Wilson 95 % interval of the not-useful share")
    not_useful_high: float | None
    missing_share_of_forms: float | None


class KitFeedbackOut(Schema):
    kit_version: int
    kit: str
    number: int
    forms: int
    components: list[ComponentSummaryOut]

    @staticmethod
    def of(k: KitFeedback) -> KitFeedbackOut:
        return KitFeedbackOut(kit_version=k.version.pk, kit=k.version.kit.code, number=k.version.number,
                              forms=k.forms, components=[ComponentSummaryOut(
                                  item_code=s.item_code, quantity_per_kit=s.quantity_per_kit, useful=s.useful_count,
                                  not_useful=s.not_useful_count, missing=s.missing_count, ratings=s.ratings_count,
                                  not_useful_share=s.not_useful_share, not_useful_low=s.not_useful_low,
                                  not_useful_high=s.not_useful_high,
                                  missing_share_of_forms=s.missing_share_of_forms) for s in k.summaries])


class ProposalIn(Schema):
    kit_version: RowId = Field(description="the version the feedback was given on")


class ProposalDecisionIn(Schema):
    approve: StrictBool
    note: LongText = ""


class ProposalChangeOut(Schema):
    item: str
    action: Literal["drop", "add"]
    reason: str
    quantity_before: int
    quantity_after: int
    useful: int
    not_useful: int
    missing: int
    ratings: int
    forms: int
    not_useful_share: float | None
    missing_share: float | None
    threshold: float | None


class ProposalOut(Schema):
    id: int
    kit: str
    base: int = Field(description="the kit version the feedback was given on")
    base_number: int
    composition: dict[str, int] = Field(description="item code -> units per kit in the proposed version")
    changes: list[ProposalChangeOut]
    forms_counted: int
    status: str
    created_at: datetime
    created_by: str
    decided_at: datetime | None
    decided_by: str
    decision_note: str
    result: int | None = Field(description="the kit version created on approval")
    result_number: int | None

    @staticmethod
    def of(p: KitProposal) -> ProposalOut:
        return ProposalOut(id=p.pk, kit=p.base.kit.code, base=p.base_id, base_number=p.base.number,
                           composition=p.composition, changes=p.changes, forms_counted=p.forms_counted,
                           status=p.status, created_at=p.created_at, created_by=p.created_by_label,
                           decided_at=p.decided_at, decided_by=p.decided_by_label, decision_note=p.decision_note,
                           result=p.result_id, result_number=p.result.number if p.result else None)

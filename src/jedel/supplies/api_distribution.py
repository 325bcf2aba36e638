"""Distributions to people over HTTP: events, households (names need-to-know), handouts from stock, beneficiary
feedback, the aggregated feedback per kit version, and kit proposals with their review."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status

from jedel.common.ids import RowIdParam
from jedel.supplies import selectors_distribution as reads
from jedel.supplies.schemas_distribution import (
    DistributionDetailOut, DistributionIn, DistributionOut, FeedbackIn, FeedbackOut, HandoutIn, HandoutOut,
    HouseholdIn, HouseholdOut, KitFeedbackOut, ProposalDecisionIn, ProposalIn, ProposalOut,
)
from jedel.supplies.services.distributions import (
    distribution_close, distribution_create, handout_record, household_add,
)
from jedel.supplies.services.feedback import feedback_record, proposal_create, proposal_decide

router = Router(tags=["supplies"])


@router.get("/supplies/distributions", response=list[DistributionOut])
def list_supply_distributions(request: HttpRequest, region: RowIdParam | None = None,
                              warehouse: RowIdParam | None = None, incident: RowIdParam | None = None,
                              open_only: bool = False) -> Any:
    rows = reads.distribution_list(request.auth, region_id=region, warehouse_id=warehouse,  # type: ignore[attr-defined]
                                   incident_id=incident, open_only=open_only)
    return [DistributionOut.of(r) for r in rows]


@router.post("/supplies/distributions", response={201: DistributionDetailOut})
def create_supply_distribution(request: HttpRequest, data: DistributionIn) -> Any:
    event = distribution_create(actor=request.auth, warehouse_id=data.warehouse,  # type: ignore[attr-defined]
                                region_id=data.region, place=data.place, on=data.on, partner=data.partner,
                                incident_id=data.incident, lat=data.lat, lon=data.lon)
    return Status(201, DistributionDetailOut.of_view(reads.distribution_get(request.auth, event.pk)))  # type: ignore[attr-defined]


@router.get("/supplies/distributions/{distribution_id}", response=DistributionDetailOut)
def get_supply_distribution(request: HttpRequest, distribution_id: RowIdParam) -> Any:
    return DistributionDetailOut.of_view(reads.distribution_get(request.auth, distribution_id))  # type: ignore[attr-defined]


@router.post("/supplies/distributions/{distribution_id}/close", response=DistributionDetailOut)
def close_supply_distribution(request: HttpRequest, distribution_id: RowIdParam) -> Any:
    distribution_close(actor=request.auth, distribution_id=distribution_id)  # type: ignore[attr-defined]
    return DistributionDetailOut.of_view(reads.distribution_get(request.auth, distribution_id))  # type: ignore[attr-defined]


@router.post("/supplies/distributions/{distribution_id}/households", response={201: HouseholdOut})
def add_distribution_household(request: HttpRequest, distribution_id: RowIdParam, data: HouseholdIn) -> Any:
    household = household_add(actor=request.auth, distribution_id=distribution_id, size=data.size,  # type: ignore[attr-defined]
                              head_name=data.head_name, phone=data.phone, reference=data.reference)
    # The one who recorded the household may still not be entitled to read its names back.
    personal = reads.beneficiaries_allowed(request.auth, household.distribution)  # type: ignore[attr-defined]
    return Status(201, HouseholdOut.of(household, personal))


@router.get("/supplies/distributions/{distribution_id}/households", response=list[HouseholdOut])
def list_distribution_households(request: HttpRequest, distribution_id: RowIdParam) -> Any:
    rows, personal = reads.household_list(request.auth, distribution_id)  # type: ignore[attr-defined]
    return [HouseholdOut.of(h, personal) for h in rows]


@router.post("/supplies/distributions/{distribution_id}/handouts", response={201: HandoutOut})
def record_distribution_handout(request: HttpRequest, distribution_id: RowIdParam, data: HandoutIn) -> Any:
    handout = handout_record(actor=request.auth, distribution_id=distribution_id,  # type: ignore[attr-defined]
                             household_id=data.household, item_id=data.item, quantity=data.quantity)
    return Status(201, HandoutOut.of(handout))


@router.post("/supplies/distributions/{distribution_id}/feedback", response={201: FeedbackOut})
def record_kit_feedback(request: HttpRequest, distribution_id: RowIdParam, data: FeedbackIn) -> Any:
    form = feedback_record(actor=request.auth, distribution_id=distribution_id,  # type: ignore[attr-defined]
                           kit_version_id=data.kit_version, language=data.language, answers=data.answers,
                           comment=data.comment, household_id=data.household)
    return Status(201, FeedbackOut.of(form))


@router.get("/supplies/distributions/{distribution_id}/feedback", response=list[FeedbackOut])
def list_kit_feedback(request: HttpRequest, distribution_id: RowIdParam) -> Any:
    return [FeedbackOut.of(f) for f in reads.feedback_list(request.auth, distribution_id)]  # type: ignore[attr-defined]


@router.get("/supplies/kit-versions/{kit_version_id}/feedback", response=KitFeedbackOut)
def get_kit_feedback_summary(request: HttpRequest, kit_version_id: RowIdParam) -> Any:
    return KitFeedbackOut.of(reads.kit_feedback(request.auth, kit_version_id))  # type: ignore[attr-defined]


@router.post("/supplies/kit-proposals", response={201: ProposalOut})
def create_kit_proposal(request: HttpRequest, data: ProposalIn) -> Any:
    proposal = proposal_create(actor=request.auth, kit_version_id=data.kit_version)  # type: ignore[attr-defined]
    return Status(201, ProposalOut.of(reads.proposal_get(request.auth, proposal.pk)))  # type: ignore[attr-defined]


@router.get("/supplies/kit-proposals", response=list[ProposalOut])
def list_kit_proposals(request: HttpRequest, kit: RowIdParam | None = None, kit_version: RowIdParam | None = None,
                       status: Literal["proposed", "approved", "rejected"] | None = None) -> Any:
    rows = reads.proposal_list(request.auth, kit_id=kit, kit_version_id=kit_version,  # type: ignore[attr-defined]
                               status=status)
    return [ProposalOut.of(p) for p in rows]


@router.get("/supplies/kit-proposals/{proposal_id}", response=ProposalOut)
def get_kit_proposal(request: HttpRequest, proposal_id: RowIdParam) -> Any:
    return ProposalOut.of(reads.proposal_get(request.auth, proposal_id))  # type: ignore[attr-defined]


@router.post("/supplies/kit-proposals/{proposal_id}/decide", response=ProposalOut)
def decide_kit_proposal(request: HttpRequest, proposal_id: RowIdParam, data: ProposalDecisionIn) -> Any:
    proposal_decide(actor=request.auth, proposal_id=proposal_id, approve=data.approve,  # type: ignore[attr-defined]
                    note=data.note)
    return ProposalOut.of(reads.proposal_get(request.auth, proposal_id))  # type: ignore[attr-defined]

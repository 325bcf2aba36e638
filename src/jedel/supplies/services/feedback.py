"""Beneficiary feedback on a kit, and the reviewed path from that feedback to the kit's next version.

A form says, item by item, useful / not useful / missing; "missing" may name an item the kit does not contain
(that is how additions are asked for), while useful and not useful rate what the kit does contain. A proposal
is computed by the engine (jedel.core.supplies.kit_feedback, through engines.py) and stored with each change,
its reason and the counts behind it; a national logistician or the national coordinator approves it into the
kit's next version (older versions never change) or rejects it. One open proposal per kit version.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import Category, Item, KitVersion
from jedel.supplies.models_distribution import (
    FeedbackAnswer, FeedbackForm, FeedbackLanguage, KitProposal, ProposalStatus, Verdict,
)
from jedel.supplies.permissions import DECIDE_KIT, PROPOSE_KIT
from jedel.supplies.services.distributions import clean_text, distribution_for

MAX_ANSWERS = 100
MAX_COMMENT = 2000


def _kit_version(kit_version_id: int) -> KitVersion:
    version = KitVersion.objects.select_related("kit").filter(pk=kit_version_id).first()
    if version is None:
        raise NotFound(SupplyError.KIT_VERSION_NOT_FOUND, field="kit_version")
    return version


def _checked_answers(version: KitVersion, answers: Mapping[int, str]) -> dict[int, str]:
    if not answers:
        raise DomainError(SupplyError.FEEDBACK_EMPTY, field="answers")
    if len(answers) > MAX_ANSWERS:
        raise DomainError(SupplyError.INVALID, field="answers")
    in_kit = set(version.components.values_list("item_id", flat=True))
    known = set(Item.objects.filter(pk__in=[i for i in answers if isinstance(i, int)], active=True)
                .exclude(category=Category.KIT).values_list("pk", flat=True))
    for item_id, verdict in answers.items():
        if item_id not in known:
            raise DomainError(SupplyError.ITEM_NOT_FOUND, field=f"answers.{item_id}")
        if verdict not in Verdict.values:
            raise DomainError(SupplyError.INVALID, field=f"answers.{item_id}")
        # Only what the kit contains can be rated; anything else can only be asked for as missing.
        if verdict != Verdict.MISSING and item_id not in in_kit:
            raise DomainError(SupplyError.INVALID, field=f"answers.{item_id}")
    return dict(answers)


def feedback_record(*, actor: Principal | None, distribution_id: int, kit_version_id: int, language: str,
                    answers: Mapping[int, str], comment: str = "", household_id: int | None = None,
                    now: datetime | None = None) -> FeedbackForm:
    """Record one person's feedback form (item id -> verdict) on a kit version given at a distribution."""
    distribution_for(actor, distribution_id)
    assert actor is not None
    version = _kit_version(kit_version_id)
    if language not in FeedbackLanguage.values:
        raise DomainError(SupplyError.INVALID, field="language")
    checked = _checked_answers(version, answers)
    comment = clean_text(comment, "comment", limit=MAX_COMMENT)
    now = now or utcnow()
    with transaction.atomic():
        event = distribution_for(actor, distribution_id, lock=True)
        household = None
        if household_id is not None:
            household = event.households.filter(pk=household_id).first()
            if household is None:
                raise NotFound(SupplyError.HOUSEHOLD_NOT_FOUND, field="household")
        form = FeedbackForm.objects.create(distribution=event, household=household, kit_version=version,
                                           language=language, comment=comment, submitted_at=now,
                                           recorded_by_label=actor.label[:200])
        FeedbackAnswer.objects.bulk_create([FeedbackAnswer(form=form, item_id=i, verdict=v)
                                            for i, v in sorted(checked.items())])
        verdicts = list(checked.values())
        audit_record(actor=actor, action="feedback_record", object_type="feedback_form", object_id=form.pk,
                     region_id=event.region_id, facility_id=event.warehouse.facility_id, now=now,
                     changes={"distribution": event.pk, "kit_version": version.pk, "language": language,
                              **{v: verdicts.count(v) for v in Verdict.values}})
    return form


def _change(decision: Any) -> dict[str, Any]:
    """One change of a proposal as stored: what, why, and the counts the rule compared."""
    return {"item": decision.item_code, "action": decision.action.value, "reason": decision.reason.value,
            "quantity_before": decision.quantity_before, "quantity_after": decision.quantity_after,
            "useful": decision.useful_count, "not_useful": decision.not_useful_count,
            "missing": decision.missing_count, "ratings": decision.ratings_count, "forms": decision.forms,
            "not_useful_share": decision.not_useful_share, "missing_share": decision.missing_share_of_forms,
            "threshold": decision.threshold}


def proposal_create(*, actor: Principal | None, kit_version_id: int, now: datetime | None = None) -> KitProposal:
    """Propose the next version of a kit from the feedback on `kit_version_id` (a logistician reviews it)."""
    from jedel.supplies import engines

    require(actor, PROPOSE_KIT, object_type="kit_version", object_id=kit_version_id)
    assert actor is not None
    version = _kit_version(kit_version_id)
    if KitProposal.objects.filter(base=version, status=ProposalStatus.PROPOSED).exists():
        raise Conflict(SupplyError.PROPOSAL_OPEN, field="kit_version")
    computed = engines.kit_proposal_compute(version.pk)
    if computed is None:
        raise DomainError(SupplyError.NOT_ENOUGH_FEEDBACK, field="kit_version")
    if not computed.changes:
        raise DomainError(SupplyError.NO_CHANGE, field="kit_version")
    if not computed.composition:  # every component dropped, nothing added: no kit left to approve
        raise DomainError(SupplyError.KIT_EMPTY, field="kit_version")
    forms = computed.decisions[0].forms if computed.decisions else 0
    changes = [_change(d) for d in computed.changes]
    now = now or utcnow()
    try:
        with transaction.atomic():
            proposal = KitProposal.objects.create(
                base=version, composition=dict(sorted(computed.composition.items())), changes=changes,
                forms_counted=forms, created_at=now, created_by_label=actor.label[:200])
            audit_record(actor=actor, action="kit_propose", object_type="kit_proposal", object_id=proposal.pk,
                         now=now, changes={"kit": version.kit.code, "base": version.number, "forms": forms,
                                           "changes": [f"{c['action']}:{c['item']}" for c in changes]})
    except IntegrityError:  # a concurrent proposal on the same version won the one-open-proposal constraint
        raise Conflict(SupplyError.PROPOSAL_OPEN, field="kit_version") from None
    return proposal


def _components(composition: Mapping[str, int]) -> dict[int, int]:
    """The proposed composition by item id (the proposal stores item codes, stable across databases)."""
    ids = dict(Item.objects.filter(code__in=list(composition)).values_list("code", "pk"))
    missing = sorted(set(composition) - set(ids))
    if missing:
        raise DomainError(SupplyError.ITEM_NOT_FOUND, field=f"composition.{missing[0]}")
    return {ids[code]: int(units) for code, units in composition.items()}


def proposal_decide(*, actor: Principal | None, proposal_id: int, approve: bool, note: str = "",
                    now: datetime | None = None) -> KitProposal:
    """Approve (creating the kit's next version with the proposed composition) or reject a proposal, once."""
    from jedel.supplies.services.catalogue import kit_version_create

    if not KitProposal.objects.filter(pk=proposal_id).exists():
        raise NotFound(SupplyError.PROPOSAL_NOT_FOUND, field="proposal")
    require(actor, DECIDE_KIT, object_type="kit_proposal", object_id=proposal_id)
    assert actor is not None
    note = clean_text(note, "note", limit=MAX_COMMENT)
    now = now or utcnow()
    with transaction.atomic():
        proposal = KitProposal.objects.select_for_update().select_related("base", "base__kit").get(pk=proposal_id)
        if proposal.status != ProposalStatus.PROPOSED:
            raise Conflict(SupplyError.PROPOSAL_DECIDED, field="proposal")
        if approve:
            proposal.result = kit_version_create(
                actor=actor, kit_id=proposal.base.kit_id, components=_components(proposal.composition),
                note=note or f"proposal {proposal.pk} from the feedback on v{proposal.base.number}", now=now,
                _checked=True)
        proposal.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
        proposal.decided_at = now
        proposal.decided_by_label = actor.label[:200]
        proposal.decision_note = note
        proposal.save(update_fields=["status", "decided_at", "decided_by_label", "decision_note", "result"])
        audit_record(actor=actor, action="kit_decide", object_type="kit_proposal", object_id=proposal.pk, now=now,
                     changes={"kit": proposal.base.kit.code, "base": proposal.base.number,
                              "approved": approve,
                              "result": proposal.result.number if proposal.result else None})
    return proposal

"""Beneficiary feedback through the app: 12 forms aggregated to exact counts, the proposal the engine's documented
thresholds give (drop at >= 50 % not useful of >= 10 ratings; add at >= 25 % of forms asking), approval into
version 2 with exactly that composition (v1 unchanged), one decision only, and who may do what."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jedel.accounts.models import AuditEvent
from jedel.common.errors import DomainError
from jedel.supplies.models import KitVersion
from jedel.supplies.models_distribution import FeedbackAnswer, FeedbackForm, KitProposal
from jedel.supplies.selectors_distribution import kit_feedback
from jedel.supplies.services.distributions import distribution_create, household_add
from jedel.supplies.services.feedback import feedback_record, proposal_create, proposal_decide
from tests.supplies.conftest import p

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 10, 6, 0, tzinfo=UTC)
U, N, M = "useful", "not_useful", "missing"

# Twelve forms on hygiene kit v1 (soap x4, toothpaste x2, toothbrush x4, towel x2); None = no answer.
COLUMNS = ("soap", "toothpaste", "toothbrush", "towel", "diapers", "gloves")
FORMS = [
    (U, U, U, U, M, None),
    (U, U, U, U, M, None),
    (U, U, U, U, M, None),
    (U, U, U, U, None, M),
    (U, U, N, N, None, M),
    (U, U, N, N, None, None),
    (U, U, N, N, None, None),
    (U, U, N, N, None, None),
    (U, U, None, N, None, None),
    (U, N, None, N, None, None),
    (U, N, None, None, None, None),
    (None, M, None, None, None, None),
]
# Counted by hand from the table: item -> (per kit, useful, not useful, missing, ratings).
EXPECTED = {
    "diapers": (0, 0, 0, 3, 0),
    "gloves": (0, 0, 0, 2, 0),
    "soap": (4, 11, 0, 0, 11),
    "toothbrush": (4, 4, 4, 0, 8),
    "toothpaste": (2, 9, 2, 1, 11),
    "towel": (2, 4, 6, 0, 10),
}
# The rule: towel 6/10 = 0.6 >= 0.5 of 10 ratings -> dropped; toothbrush 4/8 is half but has 8 < 10 ratings
# -> kept; diapers asked for on 3/12 = 0.25 >= 0.25 of forms -> added with 1 per kit; gloves 2/12 < 0.25 -> not.
PROPOSED = {"diapers": 1, "soap": 4, "toothbrush": 4, "toothpaste": 2}


def opened(depot, who="aktobe_log"):
    return distribution_create(actor=p(depot["people"][who]), warehouse_id=depot["aktobe"].pk,
                               region_id=depot["aktobe_region"].pk, place="Khromtau, sports hall",
                               on=date(2026, 4, 10), partner="UNICEF", now=T0)


def answers_of(depot, row) -> dict[int, str]:
    return {depot["items"][code].pk: verdict for code, verdict in zip(COLUMNS, row, strict=True) if verdict}


def record_round(depot, event=None, forms=FORMS, who="aktobe_log"):
    event = event or opened(depot)
    for i, row in enumerate(forms):
        feedback_record(actor=p(depot["people"][who]), distribution_id=event.pk, kit_version_id=depot["kit_v1"].pk,
                        language="kk" if i % 3 == 0 else "ru", answers=answers_of(depot, row),
                        comment="Жөргек керек" if row[4] else "", now=T0)
    return event


def code_of(call) -> tuple[str, int]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code.value, caught.value.status


def test_twelve_forms_aggregate_to_the_hand_counted_table(depot):
    record_round(depot)
    assert FeedbackForm.objects.count() == 12
    assert FeedbackAnswer.objects.count() == sum(1 for row in FORMS for v in row if v) == 46
    assert list(FeedbackForm.objects.order_by("pk").values_list("language", flat=True)) == ["kk", "ru", "ru"] * 4
    summary = kit_feedback(p(depot["people"]["viewer"]), depot["kit_v1"].pk)
    assert summary.forms == 12
    got = {s.item_code: (s.quantity_per_kit, s.useful_count, s.not_useful_count, s.missing_count, s.ratings_count)
           for s in summary.summaries}
    assert got == EXPECTED
    towel = next(s for s in summary.summaries if s.item_code == "towel")
    # The published Wilson 95 % interval for 6 of 10 is 0.3127 to 0.8318.
    assert (towel.not_useful_share, round(towel.not_useful_low, 4), round(towel.not_useful_high, 4)) == \
        (0.6, 0.3127, 0.8318)
    diapers = next(s for s in summary.summaries if s.item_code == "diapers")
    assert (diapers.missing_share_of_forms, diapers.not_useful_share, diapers.in_kit) == (0.25, None, False)


def test_the_proposal_drops_towel_and_adds_diapers_with_its_reasons(depot):
    record_round(depot)
    proposal = proposal_create(actor=p(depot["people"]["aktobe_log"]), kit_version_id=depot["kit_v1"].pk, now=T0)
    assert (proposal.composition, proposal.forms_counted, proposal.status, proposal.base) == \
        (PROPOSED, 12, "proposed", depot["kit_v1"])
    assert proposal.changes == [
        {"item": "diapers", "action": "add", "reason": "often_missing", "quantity_before": 0, "quantity_after": 1,
         "useful": 0, "not_useful": 0, "missing": 3, "ratings": 0, "forms": 12, "not_useful_share": None,
         "missing_share": 0.25, "threshold": 0.25},
        {"item": "towel", "action": "drop", "reason": "mostly_not_useful", "quantity_before": 2,
         "quantity_after": 0, "useful": 4, "not_useful": 6, "missing": 0, "ratings": 10, "forms": 12,
         "not_useful_share": 0.6, "missing_share": 0.0, "threshold": 0.5}]
    audit = AuditEvent.objects.get(action="kit_propose")
    assert audit.changes == {"kit": "hygiene-kit", "base": 1, "forms": 12, "changes": ["add:diapers", "drop:towel"]}
    assert code_of(lambda: proposal_create(actor=p(depot["people"]["national"]),
                                           kit_version_id=depot["kit_v1"].pk)) == ("proposal_open", 409)


def test_approval_creates_version_2_with_exactly_the_proposed_composition(depot):
    record_round(depot)
    proposal = proposal_create(actor=p(depot["people"]["aktobe_log"]), kit_version_id=depot["kit_v1"].pk, now=T0)
    # A regional logistician may propose but not approve.
    assert code_of(lambda: proposal_decide(actor=p(depot["people"]["aktobe_log"]), proposal_id=proposal.pk,
                                           approve=True)) == ("forbidden", 403)
    assert KitProposal.objects.get().status == "proposed" and KitVersion.objects.count() == 1
    decided = proposal_decide(actor=p(depot["people"]["national_log"]), proposal_id=proposal.pk, approve=True,
                              note="Towels replaced by diapers after the Aktobe round", now=T0)
    v2 = decided.result
    assert (decided.status, v2.number, v2.kit, v2.approved_by_label, decided.decided_by_label) == \
        ("approved", 2, depot["items"]["hygiene-kit"], "log_national", "log_national")
    assert {c.item.code: c.quantity for c in v2.components.all()} == PROPOSED
    assert {c.item.code: c.quantity for c in depot["kit_v1"].components.all()} == \
        {"soap": 4, "toothpaste": 2, "toothbrush": 4, "towel": 2}
    for approve in (True, False):
        assert code_of(lambda: proposal_decide(actor=p(depot["people"]["national"]), proposal_id=proposal.pk,
                                               approve=approve)) == ("proposal_decided", 409)
    assert KitVersion.objects.count() == 2
    assert AuditEvent.objects.get(action="kit_decide").changes == \
        {"kit": "hygiene-kit", "base": 1, "approved": True, "result": 2}


def test_a_rejected_proposal_creates_nothing_and_a_new_one_may_follow(depot):
    record_round(depot)
    first = proposal_create(actor=p(depot["people"]["aktobe_coord"]), kit_version_id=depot["kit_v1"].pk, now=T0)
    rejected = proposal_decide(actor=p(depot["people"]["national"]), proposal_id=first.pk, approve=False,
                               note="Wait for the Atyrau round", now=T0)
    assert (rejected.status, rejected.result, rejected.decision_note) == ("rejected", None, "Wait for the Atyrau round")
    assert KitVersion.objects.count() == 1
    second = proposal_create(actor=p(depot["people"]["national_log"]), kit_version_id=depot["kit_v1"].pk, now=T0)
    assert second.pk != first.pk and second.composition == PROPOSED


def test_no_feedback_and_no_change_are_refused(depot):
    log = p(depot["people"]["aktobe_log"])
    assert code_of(lambda: proposal_create(actor=log, kit_version_id=depot["kit_v1"].pk)) == \
        ("not_enough_feedback", 422)
    # Eleven people find the towel useful and nobody asks for anything: nothing to change.
    record_round(depot, forms=[(None, None, None, U, None, None)] * 11)
    assert code_of(lambda: proposal_create(actor=log, kit_version_id=depot["kit_v1"].pk)) == ("no_change", 422)
    assert code_of(lambda: proposal_create(actor=log, kit_version_id=999999)) == ("kit_version_not_found", 404)
    assert KitProposal.objects.count() == 0


def test_feedback_input_errors(depot):
    log = p(depot["people"]["aktobe_log"])
    event = opened(depot)
    items, v1 = depot["items"], depot["kit_v1"].pk

    def record(answers, **extra):
        args = {"actor": log, "distribution_id": event.pk, "kit_version_id": v1, "language": "ru",
                "answers": answers, "now": T0, **extra}
        return lambda: feedback_record(**args)

    assert code_of(record({})) == ("feedback_empty", 422)
    assert code_of(record({items["soap"].pk: "great"})) == ("invalid", 422)
    assert code_of(record({items["soap"].pk: U}, language="en")) == ("invalid", 422)
    # Rating an item the kit does not contain makes no sense; asking for it as missing does.
    assert code_of(record({items["diapers"].pk: U})) == ("invalid", 422)
    assert code_of(record({items["hygiene-kit"].pk: M})) == ("item_not_found", 422)
    assert code_of(record({999999: M})) == ("item_not_found", 422)
    assert code_of(record({items["soap"].pk: U}, kit_version_id=999999)) == ("kit_version_not_found", 404)
    assert code_of(record({items["soap"].pk: U}, comment="x" * 2001)) == ("invalid", 422)
    other = household_add(actor=log, distribution_id=opened(depot).pk, size=3)
    assert code_of(record({items["soap"].pk: U}, household_id=other.pk)) == ("household_not_found", 404)
    assert FeedbackForm.objects.count() == 0
    own = household_add(actor=log, distribution_id=event.pk, size=3)
    form = record({items["diapers"].pk: M, items["towel"].pk: N}, household_id=own.pk, comment="Нужны подгузники")()
    assert (form.household, form.language, form.recorded_by_label, form.comment) == \
        (own, "ru", "log_aktobe", "Нужны подгузники")
    assert sorted(form.answers.values_list("item__code", "verdict")) == [("diapers", M), ("towel", N)]


def test_who_may_record_feedback_propose_and_decide(depot):
    people = depot["people"]
    event = record_round(depot, forms=FORMS[:1])
    soap = {depot["items"]["soap"].pk: U}
    for who in ("viewer", "clinician_h1", "manager_h1", "almaty_log"):
        assert code_of(lambda: feedback_record(actor=p(people[who]), distribution_id=event.pk,
                                               kit_version_id=depot["kit_v1"].pk, language="kk",
                                               answers=soap)) == ("forbidden", 403), who
    for who in ("viewer", "clinician_h1", "manager_h1"):
        assert code_of(lambda: proposal_create(actor=p(people[who]), kit_version_id=depot["kit_v1"].pk)) == \
            ("forbidden", 403), who
    # Proposing is open to any logistician or coordinator wherever they work (the engine decides the change).
    proposal = proposal_create(actor=p(people["almaty_log"]), kit_version_id=depot["kit_v1"].pk, now=T0)
    assert proposal.composition == {"diapers": 1, "soap": 4, "toothbrush": 4, "toothpaste": 2, "towel": 2}
    for who in ("aktobe_log", "almaty_log", "aktobe_coord", "viewer", "manager_h1"):
        assert code_of(lambda: proposal_decide(actor=p(people[who]), proposal_id=proposal.pk, approve=True)) == \
            ("forbidden", 403), who
    assert code_of(lambda: proposal_decide(actor=p(people["national"]), proposal_id=999999, approve=True)) == \
        ("proposal_not_found", 404)

"""Kit feedback: aggregation with Wilson intervals, and the next-kit proposal (jedel.core.supplies).

Counts and shares are counted by hand from the feedback written below; the Wilson bounds are worked from
the formula (z = 1.959964, z² = 3.841459) to 4 decimals in the comments.
"""

from __future__ import annotations

import math

import pytest

from jedel.core.supplies import (
    ComponentFeedback,
    DecisionReason,
    KitAction,
    SupplyErrorCode,
    SupplyInputError,
    Verdict,
    aggregate,
    propose_next_version,
    wilson_interval,
)

U, N, M = Verdict.USEFUL, Verdict.NOT_USEFUL, Verdict.MISSING
COMPOSITION = {"soap": 4, "towel": 1, "toothbrush": 2, "razor": 1, "comb": 1}
FORMS = 20


def _verdicts(item: str, useful: int = 0, not_useful: int = 0, missing: int = 0) -> list[ComponentFeedback]:
    return ([ComponentFeedback(item, U)] * useful + [ComponentFeedback(item, N)] * not_useful
            + [ComponentFeedback(item, M)] * missing)


# 20 forms. Not-useful shares: soap 1/15, towel 5/10 (= drop share 0.5), razor 6/10, toothbrush 7/9
# (9 ratings, one short of min_ratings 10); comb unrated. Missing: pads 5/20 (= add share 0.25), torch 4/20,
# soap 2/20.
FEEDBACK = (_verdicts("soap", 14, 1, 2) + _verdicts("towel", 5, 5) + _verdicts("razor", 4, 6)
            + _verdicts("toothbrush", 2, 7) + _verdicts("pads", missing=5) + _verdicts("torch", missing=4))


def test_wilson_interval_worked_by_hand():
    # x = 3, n = 10: p = 0.3; 1 + z²/n = 1.3841459; centre = (0.3 + 0.1920730) / 1.3841459 = 0.3555066
    # half = 1.959964 / 1.3841459 × sqrt(0.3 × 0.7 / 10 + 3.841459 / 400)
    #      = 1.4160097 × sqrt(0.021 + 0.0096036) = 1.4160097 × 0.1749390 = 0.2477153
    # → [0.1078, 0.6032]
    low, high = wilson_interval(3, 10)
    assert low == pytest.approx(0.1078, abs=5e-5)
    assert high == pytest.approx(0.6032, abs=5e-5)
    # x = 0: centre = 0.1920730 / 1.3841459 = 0.1387664 = half → [0, 0.2775]
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.2775, abs=5e-5)
    # x = n mirrors x = 0: [1 − 0.2775, 1] = [0.7225, 1]
    low, high = wilson_interval(10, 10)
    assert low == pytest.approx(0.7225, abs=5e-5)
    assert high == 1.0


def test_aggregate_counts_shares_and_intervals():
    by_code = {s.item_code: s for s in aggregate(FEEDBACK, COMPOSITION, forms=FORMS)}
    assert list(by_code) == ["comb", "pads", "razor", "soap", "toothbrush", "torch", "towel"]   # by code

    soap = by_code["soap"]
    assert (soap.quantity_per_kit, soap.in_kit) == (4, True)
    assert (soap.useful_count, soap.not_useful_count, soap.missing_count) == (14, 1, 2)
    assert soap.ratings_count == 15                                                            # 14 + 1
    assert soap.not_useful_share == pytest.approx(1 / 15, abs=1e-15)
    assert soap.missing_share_of_forms == 0.1                                                  # 2 / 20

    razor = by_code["razor"]
    assert (razor.useful_count, razor.not_useful_count, razor.missing_count) == (4, 6, 0)
    assert razor.ratings_count == 10
    assert razor.not_useful_share == 0.6
    # x = 6, n = 10: centre = (0.6 + 0.1920730) / 1.3841459 = 0.5722467
    # half = 1.4160097 × sqrt(0.024 + 0.0096036) = 1.4160097 × 0.1833130 = 0.2595730 → [0.3127, 0.8318]
    assert razor.not_useful_low == pytest.approx(0.3127, abs=5e-5)
    assert razor.not_useful_high == pytest.approx(0.8318, abs=5e-5)

    towel = by_code["towel"]
    # x = 5, n = 10: centre = 0.6920730 / 1.3841459 = 0.5; half = 1.4160097 × sqrt(0.025 + 0.0096036)
    # = 1.4160097 × 0.1860206 = 0.2634070 → [0.2366, 0.7634]
    assert towel.not_useful_share == 0.5
    assert towel.not_useful_low == pytest.approx(0.2366, abs=5e-5)
    assert towel.not_useful_high == pytest.approx(0.7634, abs=5e-5)

    pads = by_code["pads"]     # asked for, not in the kit: no ratings, so no not-useful share
    assert (pads.quantity_per_kit, pads.in_kit, pads.missing_count, pads.ratings_count) == (0, False, 5, 0)
    assert (pads.not_useful_share, pads.not_useful_low, pads.not_useful_high) == (None, None, None)
    assert pads.missing_share_of_forms == 0.25                                                 # 5 / 20

    comb = by_code["comb"]     # in the kit, nobody said anything
    assert (comb.useful_count, comb.not_useful_count, comb.missing_count, comb.ratings_count) == (0, 0, 0, 0)
    assert comb.missing_share_of_forms == 0.0


def test_no_forms_gives_no_shares():
    summaries = aggregate([], {"soap": 1}, forms=0)
    assert len(summaries) == 1
    assert (summaries[0].not_useful_share, summaries[0].missing_share_of_forms) == (None, None)
    proposal = propose_next_version(summaries, {"soap": 1}, forms=0)
    assert dict(proposal.composition) == {"soap": 1}
    assert proposal.decisions[0].reason is DecisionReason.FEW_RATINGS


def test_proposal_with_default_thresholds_and_ties():
    proposal = propose_next_version(aggregate(FEEDBACK, COMPOSITION, forms=FORMS), COMPOSITION, forms=FORMS)
    got = {d.item_code: (d.action, d.reason, d.quantity_before, d.quantity_after) for d in proposal.decisions}
    assert got == {
        "comb": (KitAction.KEEP, DecisionReason.FEW_RATINGS, 1, 1),              # 0 ratings
        "pads": (KitAction.ADD, DecisionReason.OFTEN_MISSING, 0, 1),             # 5/20 = 0.25 >= 0.25 (tie)
        "razor": (KitAction.DROP, DecisionReason.MOSTLY_NOT_USEFUL, 1, 0),       # 6/10 = 0.6 >= 0.5
        "soap": (KitAction.KEEP, DecisionReason.RATED_USEFUL, 4, 4),             # 1/15 < 0.5
        "toothbrush": (KitAction.KEEP, DecisionReason.FEW_RATINGS, 2, 2),        # 9 ratings < 10, though 7/9
        "torch": (KitAction.NOT_ADDED, DecisionReason.RARELY_MISSING, 0, 0),     # 4/20 = 0.2 < 0.25
        "towel": (KitAction.DROP, DecisionReason.MOSTLY_NOT_USEFUL, 1, 0),       # 5/10 = 0.5 >= 0.5 (tie)
    }
    assert [d.item_code for d in proposal.decisions] == sorted(got)
    assert dict(proposal.composition) == {"comb": 1, "pads": 1, "soap": 4, "toothbrush": 2}
    assert list(proposal.composition) == ["comb", "pads", "soap", "toothbrush"]
    assert [(d.item_code, d.action) for d in proposal.changes] == [
        ("pads", KitAction.ADD), ("razor", KitAction.DROP), ("towel", KitAction.DROP)]

    towel = next(d for d in proposal.decisions if d.item_code == "towel")
    assert (towel.useful_count, towel.not_useful_count, towel.ratings_count, towel.forms) == (5, 5, 10, 20)
    assert (towel.not_useful_share, towel.threshold) == (0.5, 0.5)
    pads = next(d for d in proposal.decisions if d.item_code == "pads")
    assert (pads.missing_count, pads.missing_share_of_forms, pads.threshold) == (5, 0.25, 0.25)
    toothbrush = next(d for d in proposal.decisions if d.item_code == "toothbrush")
    assert (toothbrush.ratings_count, toothbrush.threshold) == (9, None)


def test_proposal_with_other_thresholds():
    summaries = aggregate(FEEDBACK, COMPOSITION, forms=FORMS)
    proposal = propose_next_version(summaries, COMPOSITION, forms=FORMS, min_ratings=9, drop_share=0.6,
                                    add_share=0.2)
    actions = {d.item_code: d.action for d in proposal.decisions}
    assert actions == {
        "comb": KitAction.KEEP,
        "pads": KitAction.ADD,          # 0.25 >= 0.2
        "razor": KitAction.DROP,        # 0.6 >= 0.6 (tie)
        "soap": KitAction.KEEP,
        "toothbrush": KitAction.DROP,   # 9 ratings >= 9; 7/9 = 0.78 >= 0.6
        "torch": KitAction.ADD,         # 4/20 = 0.2 >= 0.2 (tie)
        "towel": KitAction.KEEP,        # 0.5 < 0.6
    }
    assert dict(proposal.composition) == {"comb": 1, "pads": 1, "soap": 4, "torch": 1, "towel": 1}


def test_a_tie_at_a_decimal_threshold_holds():
    # 3 of 10 not useful against 0.3: 3/10 and 0.3 are the same double (0.3 × 10 is 3.0000000000000004)
    feedback = _verdicts("mask", 7, 3)
    proposal = propose_next_version(aggregate(feedback, {"mask": 1}, forms=10), {"mask": 1}, forms=10,
                                    drop_share=0.3)
    assert proposal.decisions[0].action is KitAction.DROP


# --- bad input ------------------------------------------------------------------------------------------


def _refused(code: SupplyErrorCode, path: str, call, *args, **kwargs) -> None:
    with pytest.raises(SupplyInputError) as caught:
        call(*args, **kwargs)
    assert (caught.value.code, caught.value.path) == (code, path)


def test_bad_feedback_is_refused():
    _refused(SupplyErrorCode.MORE_VERDICTS_THAN_FORMS, "feedback[2]", aggregate,
             _verdicts("soap", 2, 1), {"soap": 1}, forms=2)
    _refused(SupplyErrorCode.BAD_VERDICT, "feedback[0].verdict", aggregate,
             [ComponentFeedback("soap", "maybe")], {"soap": 1}, forms=1)
    _refused(SupplyErrorCode.EMPTY_ITEM_CODE, "feedback[0].item_code", aggregate,
             [ComponentFeedback(" ", U)], {"soap": 1}, forms=1)
    _refused(SupplyErrorCode.NOT_POSITIVE, "composition.soap", aggregate, [], {"soap": 0}, forms=1)
    _refused(SupplyErrorCode.NOT_WHOLE, "composition.soap", aggregate, [], {"soap": 1.5}, forms=1)
    _refused(SupplyErrorCode.EMPTY_ITEM_CODE, "composition", aggregate, [], {"": 1}, forms=1)
    _refused(SupplyErrorCode.NEGATIVE, "forms", aggregate, [], {"soap": 1}, forms=-1)
    _refused(SupplyErrorCode.NOT_WHOLE, "forms", aggregate, [], {"soap": 1}, forms=True)


def test_bad_wilson_inputs_are_refused():
    _refused(SupplyErrorCode.NOT_POSITIVE, "trials", wilson_interval, 0, 0)
    _refused(SupplyErrorCode.NEGATIVE, "successes", wilson_interval, -1, 5)
    _refused(SupplyErrorCode.MORE_VERDICTS_THAN_FORMS, "successes", wilson_interval, 6, 5)


@pytest.mark.parametrize(("kwargs", "code", "path"), [
    ({"drop_share": 0}, SupplyErrorCode.SHARE_OUT_OF_RANGE, "drop_share"),
    ({"drop_share": 1.5}, SupplyErrorCode.SHARE_OUT_OF_RANGE, "drop_share"),
    ({"add_share": math.nan}, SupplyErrorCode.SHARE_OUT_OF_RANGE, "add_share"),
    ({"min_ratings": 0}, SupplyErrorCode.NOT_POSITIVE, "min_ratings"),
    ({"forms": 16}, SupplyErrorCode.MORE_VERDICTS_THAN_FORMS, "summaries[3]"),   # soap: 14 + 1 + 2 = 17 > 16
])
def test_bad_proposal_parameters_are_refused(kwargs, code, path):
    summaries = aggregate(FEEDBACK, COMPOSITION, forms=FORMS)
    _refused(code, path, propose_next_version, summaries, COMPOSITION, **({"forms": FORMS} | kwargs))


def test_two_summaries_for_one_item_are_refused():
    summaries = aggregate(_verdicts("soap", 1), {"soap": 1}, forms=1)
    _refused(SupplyErrorCode.DUPLICATE_SUMMARY, "summaries[1]", propose_next_version, summaries * 2,
             {"soap": 1}, forms=1)

"""reorder_recommendations (many lines at once) against reorder_recommendation (one line), the independent
scalar implementation: equal Reorder objects, field for field, on hand-picked edge lines and 5,000 seeded random
lines; bad lines are refused with the line's index in the path."""

from __future__ import annotations

import math
import random

import pytest

from jedel.core.supplies import Reorder, ReorderReason, SupplyErrorCode, SupplyInputError, reorder_recommendation
from jedel.core.supplies import reorder_recommendations

LEAD, SAFETY, TARGET = 7, 7, 30


def _one_by_one(on_hand, on_order, use, packs):
    return [reorder_recommendation(h, o, u, LEAD, SAFETY, TARGET, pack_size=p)
            for h, o, u, p in zip(on_hand, on_order, use, packs)]


def test_hand_picked_lines_equal_the_one_line_function():
    # no use; exactly at s = 10 × 14 = 140 (orders up to S = 300: 160, in packs of 20: 8 packs); one above s;
    # fractional use with residue (0.1 × 30 − 0.3 × ...); nothing on hand; on order lifting the position above s.
    on_hand = [50, 140, 141, 0.7, 0, 100]
    on_order = [0, 0, 0, 0, 0, 41]
    use = [0, 10, 10, 0.1, 2.5, 10]
    packs = [1, 20, 20, 1, 12, 1]
    many = reorder_recommendations(on_hand, on_order, use, LEAD, SAFETY, TARGET, packs)
    assert many == _one_by_one(on_hand, on_order, use, packs)
    assert [(r.reason, r.order_units, r.order_packs) for r in many] == [
        (ReorderReason.NO_USE, 0, 0),
        (ReorderReason.BELOW_REORDER_POINT, 160, 8),
        (ReorderReason.SUFFICIENT, 0, 0),
        (ReorderReason.BELOW_REORDER_POINT, 3, 3),   # S = 3, position 0.7: 2.3 → 3 units
        (ReorderReason.BELOW_REORDER_POINT, 84, 7),  # S = 75, position 0: 75 / 12 = 6.25 → 7 packs
        (ReorderReason.SUFFICIENT, 0, 0),            # position 141 > s = 140
    ]
    assert math.isinf(many[0].days_of_supply) and many[1].days_of_supply == 14.0


def test_five_thousand_random_lines_equal_the_one_line_function():
    rng = random.Random(14)
    n = 5_000
    on_hand = [rng.choice([0, rng.randint(0, 5_000), rng.uniform(0, 300)]) for _ in range(n)]
    on_order = [rng.choice([0, 0, rng.randint(0, 2_000)]) for _ in range(n)]
    use = [rng.choice([0, rng.randint(1, 400) / 14, rng.uniform(0, 50)]) for _ in range(n)]
    packs = [rng.choice([1, 1, 10, 12, 20, 50, 100]) for _ in range(n)]
    many = reorder_recommendations(on_hand, on_order, use, LEAD, SAFETY, TARGET, packs)
    assert many == _one_by_one(on_hand, on_order, use, packs)
    assert {r.reason for r in many} == set(ReorderReason)  # every branch was exercised


def test_no_lines_no_recommendations():
    assert reorder_recommendations([], [], [], LEAD, SAFETY, TARGET, []) == []


@pytest.mark.parametrize(("column", "value", "code", "path"), [
    ("on_hand", -1, SupplyErrorCode.NEGATIVE, "units_on_hand[2]"),
    ("on_order", math.nan, SupplyErrorCode.NOT_FINITE, "units_on_order[2]"),
    ("use", math.inf, SupplyErrorCode.NOT_FINITE, "daily_use_units[2]"),
    ("packs", 0, SupplyErrorCode.NOT_POSITIVE, "pack_sizes[2]"),
    ("packs", True, SupplyErrorCode.NOT_WHOLE, "pack_sizes[2]"),
])
def test_a_bad_line_is_refused_with_its_index(column, value, code, path):
    lines = {"on_hand": [1, 2, 3], "on_order": [0, 0, 0], "use": [1, 1, 1], "packs": [1, 1, 1]}
    lines[column][2] = value
    with pytest.raises(SupplyInputError) as refused:
        reorder_recommendations(lines["on_hand"], lines["on_order"], lines["use"], LEAD, SAFETY, TARGET,
                                lines["packs"])
    assert (refused.value.code, refused.value.path) == (code, path)


def test_shared_figures_are_checked_as_by_the_one_line_function():
    with pytest.raises(SupplyInputError) as refused:
        reorder_recommendations([1], [0], [1], 7, 7, 14, [1])
    assert (refused.value.code, refused.value.path) == (SupplyErrorCode.TARGET_NOT_ABOVE_REORDER_POINT,
                                                        "target_days_of_supply")


def test_lengths_must_agree():
    with pytest.raises(ValueError, match="one value per line"):
        reorder_recommendations([1, 2], [0], [1, 1], LEAD, SAFETY, TARGET, [1, 1])


def test_the_result_is_a_plain_reorder():
    (r,) = reorder_recommendations([10], [0], [1], LEAD, SAFETY, TARGET, [1])
    assert isinstance(r, Reorder) and type(r.order_units) is int and type(r.days_of_supply) is float

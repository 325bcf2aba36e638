"""Plan completeness (jedel.core.plans): done 1, in progress 0.5, missing 0; components weigh the same."""

from __future__ import annotations

import pytest

from jedel.core.plans import ItemStatus, plan_completeness

D, P, M = ItemStatus.DONE, ItemStatus.IN_PROGRESS, ItemStatus.MISSING


def test_component_means_and_unweighted_overall():
    components = [("1", ["1.1", "1.2", "1.3", "1.4"]), ("2", ["2.1", "2.2"]), ("9", ["9.1"])]
    statuses = {"1.1": D, "1.2": D, "1.3": P, "2.1": P, "9.1": M}   # 1.4 and 2.2 not named: missing
    got = plan_completeness(components, statuses)
    # component 1: (1 + 1 + 0.5 + 0)/4 = 0.625; component 2: (0.5 + 0)/2 = 0.25; component 9: 0
    assert dict(got.components) == {"1": 0.625, "2": 0.25, "9": 0.0}
    assert got.overall == pytest.approx((0.625 + 0.25 + 0.0) / 3, abs=1e-15)


def test_everything_done_is_one_and_no_component_is_zero():
    assert plan_completeness([("1", ["a"]), ("2", ["b", "c"])], {"a": D, "b": D, "c": D}).overall == 1.0
    assert plan_completeness([], {}).overall == 0.0
    assert plan_completeness([("1", [])], {}).components == {}

"""Hourly receiving capacity over a planning horizon: exact hand-checked instances for every policy.

Sacco RPM model (shipped table): survival by RPM ``S``; deterioration columns at 30, 60, 90... min.
(column j from 30 j min, row index j - 1 of the deterioration table):
RPM 9 -> 9 (< 60 min), 8 (60-119 min), 7 (120-149 min) ... 0 (>= 330 min).
RPM 8 -> 8 (< 60), 7 (60-89), 6 (90-119) ... 0 (>= 270).   RPM 5 -> 5 (< 30), 3 (30-59), 2 (60-89) ... 0.
"""

from __future__ import annotations

import numpy as np
import pytest

from jedel.core.distribution import Casualty, DistributionProblem, Hospital, Reason, care_time_min, solve

S = [0.052, 0.089, 0.15, 0.23, 0.35, 0.49, 0.63, 0.75, 0.84, 0.9, 0.94, 0.97, 0.98]


def death(rpm: int) -> float:
    return 1 - S[rpm]


def one_site(casualties, hospitals, minutes, **kw) -> DistributionProblem:
    return DistributionProblem(
        tuple(casualties), tuple(hospitals), ("S1",), np.array([minutes], dtype=float), **kw
    )


def test_care_time_is_the_later_of_arrival_and_slot_opening() -> None:
    assert care_time_min([10.0, 10.0, 75.0, 75.0], [0, 1, 1, 2]).tolist() == [10.0, 60.0, 75.0, 120.0]


def test_one_place_per_hour_serves_three_casualties_over_three_hours() -> None:
    cs = [Casualty(f"c{i}", "S1", rpm=9) for i in range(3)]
    p = one_site(cs, [Hospital("H1", {"immediate": 1})], [10], planning_horizon_h=3)
    for policy in ("optimal", "nearest", "nearest_available", "proportional"):
        result = solve(p, policy)
        # care at 10, 60 and 120 min: RPM 9, 8, 7 -> 0.10 + 0.16 + 0.25
        assert result.expected_deaths == pytest.approx(death(9) + death(8) + death(7), abs=1e-12), policy
        assert [a.slot for a in result.assignments] == [0, 1, 2]
        assert [a.time_to_care_min for a in result.assignments] == [10.0, 60.0, 120.0]
        assert result.slot_loads["H1"] == tuple(
            {"immediate": 1, "delayed": 0, "minimal": 0, "expectant": 0} for _ in range(3)
        )
        assert result.loads["H1"]["immediate"] == 3 and result.n_unassigned == 0
    # The same capacity as a one-shot total (H = 1): two casualties left at the no-care horizon.
    once = solve(one_site(cs, [Hospital("H1", {"immediate": 1})], [10]))
    assert once.expected_deaths == pytest.approx(death(9) + 2 * death(0), abs=1e-12)


def test_slots_after_the_no_care_horizon_are_not_used() -> None:
    # Horizon 90 min: slots 0 and 1 start by then, slot 2 (120 min) does not. The third casualty is read
    # at 90 min (RPM 8) - no worse than the slot it could not use (RPM 7 at 120 min).
    cs = [Casualty(f"c{i}", "S1", rpm=9) for i in range(3)]
    p = one_site(cs, [Hospital("H1", {"immediate": 1})], [10], planning_horizon_h=3, untreated_horizon_min=90)
    assert p.n_slots == 2
    for policy in ("optimal", "nearest", "nearest_available", "proportional"):
        result = solve(p, policy)
        assert result.expected_deaths == pytest.approx(death(9) + death(8) + death(8), abs=1e-12)
        assert [a.slot for a in result.assignments] == [0, 1, None]
        assert result.slot_loads["H1"][2]["immediate"] == 0
    assert solve(p, "nearest").overflow["H1"]["immediate"] == 1  # sent there, never admitted
    assert solve(p, "optimal").overflow["H1"]["immediate"] == 0


def test_nearest_overwhelms_one_hospital_while_another_waits() -> None:
    # Two RPM 8 then two RPM 5 casualties; "near" 5 min and "far" 20 min away, 1 immediate place per hour
    # each, 2 hours.  Places: near@0 (care 5), far@0 (20), near@1 (60), far@1 (60).
    cs = [Casualty("a", "S1", rpm=8), Casualty("b", "S1", rpm=8)]
    cs += [Casualty("c", "S1", rpm=5), Casualty("d", "S1", rpm=5)]
    hs = [Hospital("near", {"immediate": 1}), Hospital("far", {"immediate": 1})]
    p = one_site(cs, hs, [5, 20], planning_horizon_h=2)
    got = {policy: solve(p, policy) for policy in ("optimal", "nearest", "nearest_available")}

    # nearest: all four to "near": a at 5 min, b at 60 min (RPM 7), c and d never admitted (RPM 0).
    today = got["nearest"]
    assert today.expected_deaths == pytest.approx(death(8) + death(7) + 2 * death(0), abs=1e-12)
    assert [(a.hospital_id, a.slot) for a in today.assignments] == [
        ("near", 0),
        ("near", 1),
        ("near", None),
        ("near", None),
    ]
    assert today.overflow["near"]["immediate"] == 2 and today.n_overflow == 2
    assert today.loads["far"]["immediate"] == 0
    assert (
        today.assignments[1].reason
        == "nearest feasible (5 min); immediate queue (1/h): slot 1, care at 60 min"
    )
    assert today.assignments[2].reason_code is Reason.QUEUE_BEYOND_HORIZON

    # nearest_available: a near@0; b far@0 (20 < 60 min); c near@1 (60 min, tie -> nearer); d far@1.
    dispatcher = got["nearest_available"]
    assert [(a.hospital_id, a.slot) for a in dispatcher.assignments] == [
        ("near", 0),
        ("far", 0),
        ("near", 1),
        ("far", 1),
    ]
    assert dispatcher.expected_deaths == pytest.approx(2 * death(8) + 2 * death(2), abs=1e-12)

    # optimal: the RPM 5 casualties gain more from the early places (0.34 each vs 0.09 for RPM 8).
    # 1.52 deaths vs 2.02 (nearest_available) and 2.306 (nearest).
    best = got["optimal"]
    assert [(a.hospital_id, a.slot) for a in best.assignments] == [
        ("near", 1),
        ("far", 1),
        ("near", 0),
        ("far", 0),
    ]
    assert best.expected_deaths == pytest.approx(2 * death(5) + 2 * death(7), abs=1e-12)
    reasons = [a.reason for a in best.assignments]
    assert reasons[0] == (
        "capacity for immediate at near slot 0 full (it would save 0.090 more); "
        "gain 0.698 expected survivors vs unassigned"
    )
    assert reasons[2] == "gain 0.000 expected survivors vs next best (far slot 0); 5 vs 20 min"
    assert reasons[3] == "capacity for immediate at near slot 0 full; same survival here, care 15 min later"
    assert [g.flows for g in best.groups] == [
        (("near", 0, 1), ("far", 0, 1)),
        (("near", 1, 1), ("far", 1, 1)),
    ]


def test_nearest_queue_is_in_arrival_order() -> None:
    # Two sites, one hospital with 1 delayed place per hour: the casualty 40 min away arrives after the
    # one 10 min away even though it is listed first, so it waits for slot 1.
    cs = [Casualty("far", "A", "delayed"), Casualty("close", "B", "delayed")]
    p = DistributionProblem(
        tuple(cs),
        (Hospital("H1", {"delayed": 1}),),
        ("A", "B"),
        np.array([[40.0], [10.0]]),
        planning_horizon_h=2,
    )
    today = solve(p, "nearest")
    assert [(a.slot, a.time_to_care_min) for a in today.assignments] == [(1, 60.0), (0, 10.0)]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (0, r"^planning_horizon_h: must be in 1\.\.48, got 0$"),
        (1.5, r"^planning_horizon_h: must be an integer"),
    ],
)
def test_bad_planning_horizon(hours, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        one_site(
            [Casualty("a", "S1", "minimal")], [Hospital("H1", {"minimal": 1})], [1], planning_horizon_h=hours
        )

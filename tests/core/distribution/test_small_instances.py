"""Hand-checkable instances with exact expected deaths and reasons for every policy."""

from __future__ import annotations

import numpy as np
import pytest

from jedel.core.distribution import Casualty, DistributionProblem, Hospital, Reason, solve
from jedel.core.survival import rpm_survival_model

S = [0.052, 0.089, 0.15, 0.23, 0.35, 0.49, 0.63, 0.75, 0.84, 0.9, 0.94, 0.97, 0.98]  # Sacco survival by RPM
RPM = rpm_survival_model()
ALL = ("optimal", "nearest", "nearest_available", "proportional")


def problem(casualties, hospitals, matrix, **kw) -> DistributionProblem:
    sites = tuple(dict.fromkeys(c.site_id for c in casualties)) or ("S1",)
    return DistributionProblem(
        tuple(casualties), tuple(hospitals), sites, np.array(matrix, dtype=float), **kw
    )


def by_id(allocation):
    return {a.casualty_id: a for a in allocation.assignments}


def test_optimal_saves_the_casualty_who_gains_most() -> None:
    # One immediate bed 10 min away; RPM 3 and RPM 9 both need it (same immediate band).
    # Left without care both reach RPM 0 by 360 min: death 0.948.
    # Optimal: RPM 9 in (death 0.10), RPM 3 out (0.948) = 1.048.  Nearest and nearest_available serve input
    # order: 0.77 + 0.948 (nearest sends b to H1 too, where it is not admitted within the hour).
    p = problem(
        [Casualty("a", "S1", rpm=3), Casualty("b", "S1", rpm=9)], [Hospital("H1", {"immediate": 1})], [[10]]
    )
    best, today = solve(p, "optimal"), solve(p, "nearest")
    assert best.expected_deaths == pytest.approx(1 - S[9] + 1 - S[0], abs=1e-12)
    assert today.expected_deaths == pytest.approx(1 - S[3] + 1 - S[0], abs=1e-12)
    assert solve(p, "nearest_available").expected_deaths == today.expected_deaths
    assert by_id(today)["b"].hospital_id == "H1" and today.overflow["H1"]["immediate"] == 1
    a = by_id(best)
    assert a["b"].hospital_id == "H1" and a["a"].hospital_id is None
    assert a["b"].reason_code is Reason.MAX_GAIN
    assert a["b"].reason == "gain 0.848 expected survivors vs unassigned"
    assert a["a"].reason_code is Reason.CAPACITY_FULL
    assert best.loads["H1"] == {"immediate": 1, "delayed": 0, "minimal": 0, "expectant": 0}
    assert best.n_unassigned == 1 and best.expected_survivors == pytest.approx(2 - 1.048)


def test_optimal_trades_travel_time_across_sites() -> None:
    # RPM 8 at A and at B. A: 5 min to H1, 40 min to H2; B: 25 min to H1, 100 min to H2; one bed each.
    # A->H1, B->H2: 0.16 + death(RPM 8 at 100 min = RPM 6) 0.37 = 0.53 (nearest, A served first)
    # A->H2, B->H1: 0.16 + 0.16 = 0.32 (optimal: both within the first 30/60-min columns at RPM 8)
    cs = [Casualty("a", "A", rpm=8), Casualty("b", "B", rpm=8)]
    hs = [Hospital("H1", {"immediate": 1}), Hospital("H2", {"immediate": 1})]
    p = problem(cs, hs, [[5, 40], [25, 100]])
    best, dispatcher = solve(p, "optimal"), solve(p, "nearest_available")
    assert best.expected_deaths == pytest.approx(0.32, abs=1e-12)
    assert dispatcher.expected_deaths == pytest.approx(0.16 + 0.37, abs=1e-12)
    assert {a.casualty_id: a.hospital_id for a in best.assignments} == {"a": "H2", "b": "H1"}
    assert by_id(best)["a"].reason_code is Reason.CAPACITY_FULL  # H1 would be nearer for a, used by b
    assert by_id(best)["a"].reason == "capacity for immediate at H1 full; same survival here, 35 min farther"
    assert by_id(dispatcher)["b"].reason == "capacity for immediate at H1 full; nearest with room (100 min)"
    # Today: both go to H1 (nearest for both); a arrives first, b is not admitted within the hour and
    # counts at RPM 8's no-care probability (RPM 0 at 360 min): 0.16 + 0.948.
    today = solve(p, "nearest")
    assert today.expected_deaths == pytest.approx(0.16 + 0.948, abs=1e-12)
    b = by_id(today)["b"]
    assert (b.hospital_id, b.slot, b.reason_code) == ("H1", None, Reason.QUEUE_BEYOND_HORIZON)
    assert (
        b.reason
        == "nearest feasible H1 (25 min) overwhelmed: its immediate queue (1/h) not reached within 1 h"
    )
    assert today.overflow["H1"]["immediate"] == 1 and today.n_overflow == 1 and today.n_unassigned == 1


def test_category_model_two_immediates() -> None:
    # Category model (no RPM): immediate death at 10 min = mean over RPM 3..9 = 2.81/7; at 45 min the band has
    # moved to RPM (1, 2, 3, 4, 6, 8, 9): 3.811/7.
    cs = [Casualty("a", "S1", "immediate"), Casualty("b", "S1", "immediate")]
    hs = [Hospital("H1", {"immediate": 1}), Hospital("H2", {"immediate": 1})]
    p = problem(cs, hs, [[10, 45]])
    for policy in ("optimal", "nearest_available", "proportional"):
        assert solve(p, policy).expected_deaths == pytest.approx((2.81 + 3.811) / 7, abs=1e-12)
    # nearest: both to H1; b waits past the hour: the whole band is at RPM 0 by 360 min (0.948).
    assert solve(p, "nearest").expected_deaths == pytest.approx(2.81 / 7 + 0.948, abs=1e-12)
    assert p.model.kinds == ("immediate", "delayed", "minimal", "expectant")


def test_equal_survival_goes_to_the_nearer_hospital() -> None:
    # Both hospitals inside the first 30-minute step: same survival, the tie-break picks 8 min over 20 min.
    p = problem(
        [Casualty("a", "S1", "delayed")],
        [Hospital("far", {"delayed": 1}), Hospital("near", {"delayed": 1})],
        [[20, 8]],
    )
    a = solve(p).assignments[0]
    assert a.hospital_id == "near" and a.travel_time_min == 8.0
    assert a.reason == "gain 0.000 expected survivors vs next best (far); 8 vs 20 min"


@pytest.mark.parametrize(
    ("casualty", "hospital", "minutes", "limit", "code", "reason"),
    [
        (
            Casualty("a", "S1", "immediate", needs=frozenset({"burns"})),
            Hospital("H1", {"immediate": 5}),
            10,
            None,
            Reason.NEEDS_UNMET,
            "needs burns: no hospital meets them",
        ),
        (
            Casualty("a", "S1", "immediate"),
            Hospital("H1", {"immediate": 5}),
            100,
            60.0,
            Reason.BEYOND_MAX_TRANSPORT,
            "beyond max transport time: every capable hospital over 60 min",
        ),
        (
            Casualty("a", "S1", "immediate"),
            Hospital("H1", {"immediate": 5}),
            np.inf,
            None,
            Reason.BEYOND_MAX_TRANSPORT,
            "beyond max transport time: every capable hospital unreachable",
        ),
        (
            Casualty("a", "S1", "minimal"),
            Hospital("H1", {"immediate": 5}),
            10,
            None,
            Reason.NO_CAPACITY,
            "no minimal capacity at any capable hospital within reach",
        ),
    ],
)
def test_unassigned_when_infeasible(casualty, hospital, minutes, limit, code, reason) -> None:
    p = problem([casualty], [hospital], [[minutes]], max_transport_min=limit)
    for policy in ALL:
        result = solve(p, policy)
        a = result.assignments[0]
        assert a.hospital_id is None and a.reason_code is code and a.reason == reason
        # counted at the untreated horizon (360 min) of the category model
        assert result.expected_deaths == pytest.approx(
            float(p.model.death_probability(p.model.kinds.index(casualty.category.value), 360.0))
        )


def test_needs_are_matched_to_capabilities() -> None:
    cs = [
        Casualty("kid", "S1", "delayed", needs=frozenset({"paediatric_surgery"})),
        Casualty("adult", "S1", "delayed"),
    ]
    hs = [
        Hospital("general", {"delayed": 2}),
        Hospital("children", {"delayed": 1}, frozenset({"paediatric_surgery"})),
    ]
    p = problem(cs, hs, [[5, 50]])
    for policy in ALL:
        got = {a.casualty_id: a.hospital_id for a in solve(p, policy).assignments}
        assert got == {"kid": "children", "adult": "general"}


def test_proportional_spreads_by_capacity() -> None:
    cs = [Casualty(f"m{i}", "S1", "minimal") for i in range(4)]
    hs = [Hospital("small", {"minimal": 2}), Hospital("big", {"minimal": 6})]
    result = solve(problem(cs, hs, [[5, 10]]), "proportional")
    # (load + 1) / capacity water-filling: big, big, small (tie 1/2 = 3/6, nearer), big -> 1 : 3 like 2 : 6
    assert [a.hospital_id for a in result.assignments] == ["big", "big", "small", "big"]
    assert result.loads["small"]["minimal"] == 1 and result.loads["big"]["minimal"] == 3


def test_group_results() -> None:
    cs = [Casualty(f"c{i}", "S1", rpm=9) for i in range(3)] + [Casualty("x", "S1", rpm=12)]
    hs = [Hospital("H1", {"immediate": 2, "minimal": 1}), Hospital("H2", {"immediate": 5})]
    result = solve(problem(cs, hs, [[10, 20]]))
    groups = {g.group.kind: g for g in result.groups}
    assert groups["9"].group.casualty_ids == ("c0", "c1", "c2")
    assert groups["9"].flows == (("H1", 0, 2), ("H2", 0, 1)) and groups["9"].unassigned == 0
    assert groups["9"].expected_deaths == pytest.approx(3 * 0.10)
    assert groups["12"].flows == (("H1", 0, 1),)
    assert result.expected_deaths == pytest.approx(0.30 + 0.02)


def test_empty_problem() -> None:
    p = DistributionProblem((), (Hospital("H1", {"immediate": 1}),), ("S1",), np.zeros((1, 1)))
    for policy in ALL:
        result = solve(p, policy)
        assert result.expected_deaths == 0.0 and result.assignments == ()

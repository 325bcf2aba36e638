"""START: one test per branch, both sides of every threshold, the variants and the `missing` behaviour.

Rules: Benson M, Koenig KL, Schultz CH. Disaster triage: START, then SAVE. Prehosp Disaster Med
1996;11(2):117-124 (START of Hoag Memorial Hospital / Newport Beach Fire Department, 1983).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jedel.core.triage import Category, Findings, start

NORMAL: dict[str, Any] = {
    "can_walk": False,
    "breathing": True,
    "respiratory_rate_per_min": 20,
    "peripheral_pulse_palpable": True,
    "capillary_refill_s": 1.5,
    "obeys_commands": True,
}


def adult(**changes: Any) -> Findings:
    """A non-walking adult with normal respiration, perfusion and mental status, changed as given."""
    return Findings(**{**NORMAL, **changes})


def test_walking_is_minimal_whatever_else() -> None:
    a = start(Findings(can_walk=True, respiratory_rate_per_min=40, peripheral_pulse_palpable=False))
    assert (a.category, a.method, a.rule, a.missing) == (
        Category.MINIMAL,
        "start",
        "START: walking → MINIMAL",
        (),
    )


def test_not_walking_and_all_normal_is_delayed() -> None:
    a = start(adult())
    assert a.category is Category.DELAYED
    assert a.rule == (
        "START: not walking → breathing → RR 20/min ≤ 30 → radial pulse present, capillary refill 1.5 s ≤ 2"
        " → obeys commands → DELAYED"
    )
    assert a.missing == ()


def test_breathing_after_airway_opening_is_immediate() -> None:
    a = start(Findings(can_walk=False, breathing=False, breathing_after_airway_opening=True))
    assert a.category is Category.IMMEDIATE
    assert a.rule == "START: not walking → not breathing → breathes after airway opening → IMMEDIATE"


def test_still_apnoeic_after_airway_opening_is_dead() -> None:
    """Original START tags this patient "deceased/expectant" (black); Jedel records DEAD."""
    a = start(Findings(can_walk=False, breathing=False, breathing_after_airway_opening=False))
    assert a.category is Category.DEAD
    assert a.rule == "START: not walking → not breathing → still apnoeic after airway opening → DEAD"


def test_issue_example_rr_34_is_immediate_with_exact_rule() -> None:
    a = start(Findings(can_walk=False, breathing=True, respiratory_rate_per_min=34))
    assert a.category is Category.IMMEDIATE
    assert a.rule == "START: not walking → breathing → RR 34/min > 30 → IMMEDIATE"
    assert a.missing == ()


@pytest.mark.parametrize(
    ("rr", "category"), [(30, Category.DELAYED), (30.5, Category.IMMEDIATE), (31, Category.IMMEDIATE)]
)
def test_respiratory_rate_threshold_30(rr: float, category: Category) -> None:
    assert start(adult(respiratory_rate_per_min=rr)).category is category


def test_no_radial_pulse_alone_decides_immediate() -> None:
    a = start(adult(peripheral_pulse_palpable=False, capillary_refill_s=None))
    assert a.category is Category.IMMEDIATE
    assert a.rule == "START: not walking → breathing → RR 20/min ≤ 30 → no radial pulse → IMMEDIATE"
    assert start(adult(peripheral_pulse_palpable=False, capillary_refill_s=1)).category is Category.IMMEDIATE


@pytest.mark.parametrize(("refill", "category"), [(2, Category.DELAYED), (2.1, Category.IMMEDIATE)])
def test_capillary_refill_threshold_2_s_with_pulse_present(refill: float, category: Category) -> None:
    assert start(adult(capillary_refill_s=refill)).category is category


@pytest.mark.parametrize(("refill", "category"), [(2, Category.DELAYED), (2.1, Category.IMMEDIATE)])
def test_capillary_refill_decides_when_pulse_not_checked(refill: float, category: Category) -> None:
    assert start(adult(peripheral_pulse_palpable=None, capillary_refill_s=refill)).category is category


def test_capillary_refill_rule_text() -> None:
    assert start(adult(peripheral_pulse_palpable=None, capillary_refill_s=2.1)).rule == (
        "START: not walking → breathing → RR 20/min ≤ 30 → capillary refill 2.1 s > 2 → IMMEDIATE"
    )
    assert start(adult(capillary_refill_s=3)).rule == (
        "START: not walking → breathing → RR 20/min ≤ 30 → radial pulse present, capillary refill 3 s > 2"
        " → IMMEDIATE"
    )


def test_radial_pulse_present_is_enough_without_capillary_refill() -> None:
    a = start(adult(capillary_refill_s=None))
    assert a.category is Category.DELAYED
    assert "radial pulse present → obeys commands" in a.rule


def test_no_perfusion_finding_is_missing_both() -> None:
    a = start(adult(peripheral_pulse_palpable=None, capillary_refill_s=None))
    assert a.category is None
    assert a.missing == ("peripheral_pulse_palpable", "capillary_refill_s")
    assert a.rule == (
        "START: not walking → breathing → RR 20/min ≤ 30 → perfusion not assessed → obeys commands"
        " → stopped: needs peripheral_pulse_palpable, capillary_refill_s"
    )


def test_cannot_follow_commands_is_immediate() -> None:
    a = start(adult(obeys_commands=False))
    assert a.category is Category.IMMEDIATE
    assert a.rule.endswith("→ cannot follow commands → IMMEDIATE")


def test_missing_walking() -> None:
    a = start(Findings(breathing=True, respiratory_rate_per_min=40))
    assert (a.category, a.missing) == (None, ("can_walk",))
    assert a.rule == "START: walking not assessed → stopped: needs can_walk"


def test_missing_breathing() -> None:
    a = start(Findings(can_walk=False))
    assert (a.category, a.missing) == (None, ("breathing",))
    assert a.rule == "START: not walking → breathing not assessed → stopped: needs breathing"


def test_missing_airway_opening() -> None:
    a = start(Findings(can_walk=False, breathing=False))
    assert (a.category, a.missing) == (None, ("breathing_after_airway_opening",))


def test_missing_respiratory_rate() -> None:
    a = start(adult(respiratory_rate_per_min=None))
    assert (a.category, a.missing) == (None, ("respiratory_rate_per_min",))


def test_missing_mental_status() -> None:
    a = start(adult(obeys_commands=None))
    assert (a.category, a.missing) == (None, ("obeys_commands",))


def test_all_three_rpm_findings_missing_are_listed_in_order() -> None:
    a = start(Findings(can_walk=False, breathing=True))
    assert a.category is None
    assert a.missing == (
        "respiratory_rate_per_min",
        "peripheral_pulse_palpable",
        "capillary_refill_s",
        "obeys_commands",
    )


def test_one_abnormal_finding_decides_even_if_an_earlier_one_is_missing() -> None:
    a = start(Findings(can_walk=False, breathing=True, peripheral_pulse_palpable=False))
    assert (a.category, a.missing) == (Category.IMMEDIATE, ())
    assert a.rule == "START: not walking → breathing → RR not assessed → no radial pulse → IMMEDIATE"


def test_breathing_is_inferred_from_a_respiratory_rate() -> None:
    assert start(adult(breathing=None)).category is Category.DELAYED
    a = start(Findings(can_walk=False, respiratory_rate_per_min=0, breathing_after_airway_opening=False))
    assert a.category is Category.DEAD


def test_modified_start_low_rate_threshold() -> None:
    """Modified START: RR < 10 is also immediate; original START has no low-rate criterion."""
    assert start(adult(respiratory_rate_per_min=9)).category is Category.DELAYED
    modified = start(adult(respiratory_rate_per_min=9), rr_low_threshold=10)
    assert modified.category is Category.IMMEDIATE
    assert modified.rule == "START: not walking → breathing → RR 9/min < 10 → IMMEDIATE"
    at_threshold = start(adult(respiratory_rate_per_min=10), rr_low_threshold=10)
    assert at_threshold.category is Category.DELAYED
    assert "RR 10/min within 10-30" in at_threshold.rule
    assert start(adult(respiratory_rate_per_min=31), rr_low_threshold=10).category is Category.IMMEDIATE


def test_radial_pulse_first_variant() -> None:
    """With perfusion_check="radial_pulse_first" a present radial pulse overrides capillary refill."""
    a = start(adult(capillary_refill_s=3), perfusion_check="radial_pulse_first")
    assert a.category is Category.DELAYED
    assert "→ radial pulse present → obeys commands →" in a.rule
    no_pulse = start(adult(peripheral_pulse_palpable=False), perfusion_check="radial_pulse_first")
    assert no_pulse.category is Category.IMMEDIATE
    refill_only = start(
        adult(peripheral_pulse_palpable=None, capillary_refill_s=2.1), perfusion_check="radial_pulse_first"
    )
    assert refill_only.category is Category.IMMEDIATE


@pytest.mark.parametrize("bad", [0, -1, 31, float("nan"), True])
def test_invalid_rr_low_threshold(bad: float) -> None:
    with pytest.raises(ValueError, match="^rr_low_threshold: "):
        start(adult(), rr_low_threshold=bad)


def test_invalid_perfusion_check() -> None:
    with pytest.raises(ValueError, match="^perfusion_check: "):
        start(adult(), perfusion_check="capillary")  # type: ignore[arg-type]


def test_published_red_criteria_each_alone() -> None:
    """Each START red criterion alone makes a non-walking breathing casualty IMMEDIATE (Benson 1996)."""
    for change in (
        {"respiratory_rate_per_min": 36},
        {"peripheral_pulse_palpable": False},
        {"capillary_refill_s": 4},
        {"obeys_commands": False},
    ):
        assert start(adult(**change)).category is Category.IMMEDIATE, change


def test_apnoeic_casualty_breathing_after_chin_lift_is_red() -> None:
    """No spontaneous respirations; after a chin lift, spontaneous respirations: START red (immediate).

    Case from McGraw-Hill AccessEmergencyMedicine question bank,
    https://accessemergencymedicine.mhmedical.com/content.aspx?bookid=1888&sectionid=136165951
    """
    f = Findings(can_walk=False, breathing=False, breathing_after_airway_opening=True)
    assert start(f).category is Category.IMMEDIATE


START_FIELDS = (*NORMAL, "breathing_after_airway_opening")


@st.composite
def start_findings(draw: st.DrawFn) -> Findings:
    """Every START finding given; a breathing casualty has a rate above 0, an apnoeic one 0/min."""
    breathing = draw(st.booleans())
    rate: float = 0
    if breathing:
        rate = draw(st.one_of(st.integers(1, 120), st.floats(0.01, 120, allow_nan=False)))
    return Findings(
        can_walk=draw(st.booleans()),
        breathing=breathing,
        breathing_after_airway_opening=draw(st.booleans()),
        respiratory_rate_per_min=rate,
        peripheral_pulse_palpable=draw(st.booleans()),
        capillary_refill_s=draw(st.floats(0, 30, allow_nan=False)),
        obeys_commands=draw(st.booleans()),
    )


partial = st.one_of(st.none(), st.booleans())


@given(
    start_findings(),
    st.one_of(st.none(), st.floats(1, 30)),
    st.sampled_from(["either", "radial_pulse_first"]),
)
def test_start_always_decides_when_all_start_findings_are_given(
    f: Findings, low: float | None, mode: Any
) -> None:
    a = start(f, rr_low_threshold=low, perfusion_check=mode)
    assert a.category is not None
    assert a.missing == ()


@st.composite
def partial_start_findings(draw: st.DrawFn) -> Findings:
    """Any START finding possibly not assessed; a given rate agrees with a given ``breathing``."""
    breathing = draw(partial)
    rates = st.just(0) if breathing is False else st.integers(1, 120)
    return Findings(
        can_walk=draw(partial),
        breathing=breathing,
        breathing_after_airway_opening=draw(partial),
        respiratory_rate_per_min=draw(st.one_of(st.none(), rates)),
        peripheral_pulse_palpable=draw(partial),
        capillary_refill_s=draw(st.one_of(st.none(), st.floats(0, 30))),
        obeys_commands=draw(partial),
    )


@given(partial_start_findings())
def test_category_is_none_exactly_when_something_is_missing(f: Findings) -> None:
    a = start(f)
    assert (a.category is None) == (a.missing != ())
    assert ("stopped: needs" in a.rule) == (a.category is None)
    assert set(a.missing) <= {field for field in START_FIELDS if getattr(f, field) is None}

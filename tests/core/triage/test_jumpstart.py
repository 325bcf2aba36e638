"""JumpSTART: every branch, RR 14/15 and 45/46, AVPU, the infant variant and `missing`.

Rules: Romig LE. Pediatric triage. A system to JumpSTART your triage of young patients at MCIs. JEMS
2002;27(7):52-58, 60-63.
"""

from __future__ import annotations

from typing import Any

import pytest

from jedel.core.triage import Category, Findings, jumpstart

NORMAL: dict[str, Any] = {
    "age_years": 4,
    "can_walk": False,
    "breathing": True,
    "respiratory_rate_per_min": 30,
    "peripheral_pulse_palpable": True,
    "avpu": "A",
}


def child(**changes: Any) -> Findings:
    """A non-ambulatory child with normal breathing, pulse and AVPU, changed as given."""
    return Findings(**{**NORMAL, **changes})


def apnoeic(**changes: Any) -> Findings:
    return Findings(**{"can_walk": False, "breathing": False, **changes})


def test_ambulatory_child_is_minimal() -> None:
    a = jumpstart(Findings(can_walk=True, respiratory_rate_per_min=60))
    assert (a.category, a.method, a.rule, a.missing) == (
        Category.MINIMAL,
        "jumpstart",
        "JumpSTART: ambulatory → MINIMAL",
        (),
    )


def test_normal_non_ambulatory_child_is_delayed() -> None:
    a = jumpstart(child())
    assert a.category is Category.DELAYED
    assert a.rule == (
        "JumpSTART: not ambulatory → breathing → RR 30/min within 15-45 → palpable pulse → AVPU A → DELAYED"
    )


def test_breathes_after_airway_positioning_is_immediate() -> None:
    a = jumpstart(apnoeic(breathing_after_airway_opening=True))
    assert a.category is Category.IMMEDIATE
    assert a.rule == "JumpSTART: not ambulatory → apnoeic → breathes after airway positioning → IMMEDIATE"


def test_apnoeic_without_pulse_is_dead() -> None:
    a = jumpstart(apnoeic(breathing_after_airway_opening=False, peripheral_pulse_palpable=False))
    assert a.category is Category.DEAD
    assert a.rule == (
        "JumpSTART: not ambulatory → apnoeic → still apnoeic after airway positioning → no peripheral pulse"
        " → DEAD"
    )


def test_apnoeic_with_pulse_breathing_after_rescue_breaths_is_immediate() -> None:
    a = jumpstart(
        apnoeic(
            breathing_after_airway_opening=False,
            peripheral_pulse_palpable=True,
            breathing_after_rescue_breaths=True,
        )
    )
    assert a.category is Category.IMMEDIATE
    assert a.rule.endswith("peripheral pulse present → breathes after 5 rescue breaths → IMMEDIATE")


def test_apnoeic_with_pulse_still_apnoeic_after_rescue_breaths_is_dead() -> None:
    a = jumpstart(
        apnoeic(
            breathing_after_airway_opening=False,
            peripheral_pulse_palpable=True,
            breathing_after_rescue_breaths=False,
        )
    )
    assert a.category is Category.DEAD
    assert a.rule.endswith("→ still apnoeic after 5 rescue breaths → DEAD")


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"can_walk": None}, ("can_walk",)),
        ({"breathing": None, "respiratory_rate_per_min": None}, ("breathing",)),
        ({"breathing": False, "respiratory_rate_per_min": None}, ("breathing_after_airway_opening",)),
        (
            {
                "breathing": False,
                "respiratory_rate_per_min": None,
                "breathing_after_airway_opening": False,
                "peripheral_pulse_palpable": None,
            },
            ("peripheral_pulse_palpable",),
        ),
        (
            {"breathing": False, "respiratory_rate_per_min": None, "breathing_after_airway_opening": False},
            ("breathing_after_rescue_breaths",),
        ),
        ({"respiratory_rate_per_min": None}, ("respiratory_rate_per_min",)),
        ({"peripheral_pulse_palpable": None}, ("peripheral_pulse_palpable",)),
        ({"avpu": None}, ("avpu",)),
        ({"avpu": "P"}, ("pain_response_appropriate",)),
        (
            {"respiratory_rate_per_min": None, "peripheral_pulse_palpable": None, "avpu": None},
            ("respiratory_rate_per_min", "peripheral_pulse_palpable", "avpu"),
        ),
    ],
)
def test_missing_findings_leave_category_none(changes: dict[str, Any], missing: tuple[str, ...]) -> None:
    a = jumpstart(child(**changes))
    assert (a.category, a.missing) == (None, missing)
    assert a.rule.endswith(f"stopped: needs {', '.join(missing)}")


@pytest.mark.parametrize(
    ("rr", "category"),
    [
        (14, Category.IMMEDIATE),
        (14.9, Category.IMMEDIATE),
        (15, Category.DELAYED),
        (45, Category.DELAYED),
        (45.1, Category.IMMEDIATE),
        (46, Category.IMMEDIATE),
    ],
)
def test_respiratory_rate_thresholds_15_and_45(rr: float, category: Category) -> None:
    assert jumpstart(child(respiratory_rate_per_min=rr)).category is category


def test_rr_rule_texts() -> None:
    assert "→ RR 14/min < 15 → IMMEDIATE" in jumpstart(child(respiratory_rate_per_min=14)).rule
    assert "→ RR 46/min > 45 → IMMEDIATE" in jumpstart(child(respiratory_rate_per_min=46)).rule


def test_no_palpable_pulse_is_immediate() -> None:
    a = jumpstart(child(peripheral_pulse_palpable=False))
    assert a.category is Category.IMMEDIATE
    assert a.rule.endswith("→ no palpable pulse → IMMEDIATE")


@pytest.mark.parametrize(
    ("avpu", "pain_appropriate", "category"),
    [
        ("A", None, Category.DELAYED),
        ("V", None, Category.DELAYED),
        ("P", True, Category.DELAYED),
        ("P", False, Category.IMMEDIATE),
        ("U", None, Category.IMMEDIATE),
        ("U", True, Category.IMMEDIATE),
    ],
)
def test_avpu(avpu: str, pain_appropriate: bool | None, category: Category) -> None:
    a = jumpstart(child(avpu=avpu, pain_response_appropriate=pain_appropriate))
    assert a.category is category


def test_posturing_rule_text() -> None:
    a = jumpstart(child(avpu="P", pain_response_appropriate=False))
    assert a.rule.endswith("→ AVPU P, inappropriate (posturing) → IMMEDIATE")


def test_one_abnormal_finding_decides_even_if_an_earlier_one_is_missing() -> None:
    a = jumpstart(child(respiratory_rate_per_min=None, peripheral_pulse_palpable=None, avpu="U"))
    assert (a.category, a.missing) == (Category.IMMEDIATE, ())


def test_infant_is_delayed_without_the_variant() -> None:
    infant = child(age_years=0.5, minor_injuries_only=True)
    assert jumpstart(infant).category is Category.DELAYED


def test_nonambulatory_infant_secondary_variant() -> None:
    """Infant with palpable pulse, RR 15-45, AVPU A/V/appropriate P, no significant injury → MINIMAL."""
    a = jumpstart(child(age_years=0.5, minor_injuries_only=True), nonambulatory_infant_secondary=True)
    assert a.category is Category.MINIMAL
    assert a.rule == (
        "JumpSTART: not ambulatory → breathing → RR 30/min within 15-45 → palpable pulse → AVPU A"
        " → infant (0.5 y) → no significant external injury → MINIMAL"
    )
    painful = child(age_years=0.5, minor_injuries_only=True, avpu="P", pain_response_appropriate=True)
    assert jumpstart(painful, nonambulatory_infant_secondary=True).category is Category.MINIMAL


@pytest.mark.parametrize(
    ("changes", "category", "missing"),
    [
        ({"age_years": 0.9, "minor_injuries_only": True}, Category.MINIMAL, ()),
        ({"age_years": 1, "minor_injuries_only": True}, Category.DELAYED, ()),
        ({"age_years": 0.5, "minor_injuries_only": False}, Category.DELAYED, ()),
        ({"age_years": 0.5}, None, ("minor_injuries_only",)),
        ({"age_years": None, "minor_injuries_only": True}, None,
         ("unable_to_walk_developmentally", "age_years")),
        (
            {"age_years": 0.5, "minor_injuries_only": True, "respiratory_rate_per_min": 50},
            Category.IMMEDIATE,
            (),
        ),
        ({"age_years": 0.5, "minor_injuries_only": True, "can_walk": True}, Category.MINIMAL, ()),
    ],
)
def test_infant_variant_branches(
    changes: dict[str, Any], category: Category | None, missing: tuple[str, ...]
) -> None:
    a = jumpstart(child(**changes), nonambulatory_infant_secondary=True)
    assert (a.category, a.missing) == (category, missing)

"""Three triage corrections, each with cases taken from the published algorithms.

1. ``breathing=False`` with a respiratory rate above 0/min is a contradiction, refused for every method
   (START: Benson, Koenig, Schultz. Prehosp Disaster Med 1996;11(2):117-124 -- the rate is counted only
   in a breathing casualty; an apnoeic one goes to airway opening).
2. SALT: a child still apnoeic after airway opening gets 2 rescue breaths before DEAD or IMMEDIATE
   (Lerner et al. Disaster Med Public Health Prep 2008;2 Suppl 1:S25-S34; Model Uniform Core Criteria,
   Disaster Med Public Health Prep 2011;5(2):125-128).
3. JumpSTART's non-ambulatory infant variant applies to children developmentally unable to walk, not
   only to infants (Romig. JEMS 2002;27(7):52-58, 60-63).
"""

from __future__ import annotations

from typing import Any

import pytest

from jedel.core.errors import FieldError
from jedel.core.triage import (
    TRIAGE_METHODS,
    Category,
    Findings,
    InvalidFinding,
    assess,
    findings_from_json,
    jumpstart,
    request_from_json,
    result_to_json,
    run_triage,
    salt,
    start,
)

# --- 1. breathing=False with a positive respiratory rate -------------------------------------------


@pytest.mark.parametrize("rate", [20, 1, 0.5, 120])
def test_not_breathing_with_a_counted_rate_is_refused(rate: float) -> None:
    with pytest.raises(InvalidFinding) as info:
        Findings(can_walk=False, breathing=False, respiratory_rate_per_min=rate)
    assert info.value.field == "respiratory_rate_per_min"
    assert str(info.value) == f"respiratory_rate_per_min: {rate:g}/min contradicts breathing=false"


@pytest.mark.parametrize("method", TRIAGE_METHODS)
def test_every_method_refuses_the_contradiction_in_json(method: str) -> None:
    data = {"age_years": 6, "can_walk": False, "breathing": False, "respiratory_rate_per_min": 20}
    with pytest.raises(InvalidFinding) as info:
        findings_from_json(method, data)
    assert (info.value.field, info.value.reason) == (
        "respiratory_rate_per_min", "20/min contradicts breathing=false"
    )
    with pytest.raises(FieldError) as request_info:
        request_from_json(method, {"findings": data})
    assert str(request_info.value) == "findings.respiratory_rate_per_min: 20/min contradicts breathing=false"


def test_apnoeic_with_zero_rate_still_goes_to_airway_opening() -> None:
    # START (Benson et al. 1996): not breathing → position the airway → still apnoeic → deceased (black).
    f = Findings(can_walk=False, breathing=False, respiratory_rate_per_min=0,
                 breathing_after_airway_opening=False)
    a = start(f)
    assert (a.category, a.rule) == (
        Category.DEAD, "START: not walking → not breathing → still apnoeic after airway opening → DEAD"
    )


# --- 2. SALT: rescue breaths for a child -----------------------------------------------------------

APNOEIC = {"breathing": False, "breathing_after_airway_opening": False}


def test_salt_child_apnoeic_without_rescue_breaths_is_missing_them() -> None:
    a = salt(Findings(age_years=6, **APNOEIC))
    assert (a.category, a.missing) == (None, ("breathing_after_rescue_breaths",))
    assert a.rule == (
        "SALT: not breathing → still apnoeic after airway opening → child (6 y) → 2 rescue breaths not"
        " assessed → stopped: needs breathing_after_rescue_breaths"
    )


def test_salt_child_still_apnoeic_after_rescue_breaths_is_dead() -> None:
    a = salt(Findings(age_years=6, breathing_after_rescue_breaths=False, **APNOEIC))
    assert (a.category, a.missing) == (Category.DEAD, ())
    assert a.rule == (
        "SALT: not breathing → still apnoeic after airway opening → still apnoeic after 2 rescue breaths"
        " → DEAD"
    )


def test_salt_child_breathing_after_rescue_breaths_is_immediate() -> None:
    # Breathing again but unresponsive (a "no" to SALT's first question) and likely to survive.
    f = Findings(age_years=6, breathing_after_rescue_breaths=True, obeys_commands=False,
                 purposeful_movement=False, likely_to_survive_given_resources=True, **APNOEIC)
    a = salt(f)
    assert (a.category, a.missing) == (Category.IMMEDIATE, ())
    assert a.rule == (
        "SALT: not breathing → still apnoeic after airway opening → breathes after 2 rescue breaths"
        " → neither obeys commands nor moves purposefully → likely to survive given resources → IMMEDIATE"
    )


@pytest.mark.parametrize(
    ("age", "category", "missing"),
    [
        (0.5, None, ("breathing_after_rescue_breaths",)),
        (7.9, None, ("breathing_after_rescue_breaths",)),
        (8, Category.DEAD, ()),  # Jedel's reading of "child": below JumpSTART's upper age of 8
        (35, Category.DEAD, ()),
        (None, None, ("age_years", "breathing_after_rescue_breaths")),  # a child is not ruled out
    ],
)
def test_salt_rescue_breaths_needed_only_for_a_child(
    age: float | None, category: Category | None, missing: tuple[str, ...]
) -> None:
    a = salt(Findings(age_years=age, **APNOEIC))
    assert (a.category, a.missing) == (category, missing)


def test_salt_rescue_breaths_missing_reaches_the_json_answer() -> None:
    findings = findings_from_json("salt", {"age_years": 6, **APNOEIC})
    out = result_to_json(run_triage("salt", findings))
    assert (out["category"], out["method"], out["missing"]) == (
        None, "salt", ["breathing_after_rescue_breaths"]
    )


# --- 3. JumpSTART: developmentally unable to walk -------------------------------------------------

# A non-ambulatory child with normal JumpSTART findings (RR 15-45, palpable pulse, AVPU A).
NORMAL: dict[str, Any] = {
    "can_walk": False,
    "breathing": True,
    "respiratory_rate_per_min": 30,
    "peripheral_pulse_palpable": True,
    "avpu": "A",
    "minor_injuries_only": True,
}


def child(**changes: Any) -> Findings:
    return Findings(**{**NORMAL, **changes})


def test_two_year_old_unable_to_walk_developmentally_goes_through_the_infant_path() -> None:
    f = child(age_years=2, unable_to_walk_developmentally=True)
    a = jumpstart(f, nonambulatory_infant_secondary=True)
    assert (a.category, a.missing) == (Category.MINIMAL, ())
    assert a.rule == (
        "JumpSTART: not ambulatory → breathing → RR 30/min within 15-45 → palpable pulse → AVPU A"
        " → unable to walk developmentally → no significant external injury → MINIMAL"
    )


@pytest.mark.parametrize(
    ("changes", "category", "missing"),
    [
        ({"age_years": 2}, Category.DELAYED, ()),  # finding not given: the age < 1 default
        ({"age_years": 0.5}, Category.MINIMAL, ()),
        ({"age_years": 0.9, "unable_to_walk_developmentally": False}, Category.DELAYED, ()),  # finding wins
        ({"age_years": 4, "unable_to_walk_developmentally": True, "minor_injuries_only": False},
         Category.DELAYED, ()),
        ({"unable_to_walk_developmentally": True, "minor_injuries_only": None}, None,
         ("minor_injuries_only",)),
        ({"unable_to_walk_developmentally": True}, Category.MINIMAL, ()),  # age not needed
        ({}, None, ("unable_to_walk_developmentally", "age_years")),
        ({"age_years": 2, "unable_to_walk_developmentally": True, "respiratory_rate_per_min": 50},
         Category.IMMEDIATE, ()),
    ],
)
def test_infant_variant_is_chosen_by_the_developmental_finding(
    changes: dict[str, Any], category: Category | None, missing: tuple[str, ...]
) -> None:
    a = jumpstart(child(**changes), nonambulatory_infant_secondary=True)
    assert (a.category, a.missing) == (category, missing)


def test_developmental_finding_does_not_apply_without_the_variant() -> None:
    a = jumpstart(child(age_years=2, unable_to_walk_developmentally=True))
    assert (a.category, a.missing) == (Category.DELAYED, ())


def test_auto_and_json_carry_the_developmental_finding() -> None:
    body = {
        "findings": {**NORMAL, "age_years": 2, "unable_to_walk_developmentally": True},
        "options": {"nonambulatory_infant_secondary": True},
    }
    findings, options = request_from_json("auto", body)
    assert findings.unable_to_walk_developmentally is True
    out = result_to_json(run_triage("auto", findings, options))
    assert (out["category"], out["method"]) == ("minimal", "jumpstart")
    assert out["rule"].startswith("auto: age 2 y < 8 → JumpSTART; ")
    assert assess(findings, nonambulatory_infant_secondary=True).category is Category.MINIMAL


def test_developmental_finding_must_be_a_bool() -> None:
    with pytest.raises(InvalidFinding) as info:
        findings_from_json("jumpstart", {"unable_to_walk_developmentally": "yes"})
    assert str(info.value) == "unable_to_walk_developmentally: must be true, false or null, not 'yes'"

"""SALT individual assessment: every branch and the precise `missing` list.

Rules: Lerner EB et al. Mass casualty triage: an evaluation of the data and development of a proposed
national guideline. Disaster Med Public Health Prep 2008;2 Suppl 1:S25-S34; SALT mass casualty triage.
Disaster Med Public Health Prep 2008;2(4):245-246.
"""

from __future__ import annotations

from typing import Any

import pytest

from jedel.core.triage import Category, Findings, salt

REASSURING: dict[str, Any] = {
    "breathing": True,
    "obeys_commands": True,
    "peripheral_pulse_palpable": True,
    "respiratory_distress": False,
    "major_hemorrhage_controlled": True,
}


def casualty(**changes: Any) -> Findings:
    """A breathing casualty answering yes to SALT's four questions, changed as given."""
    return Findings(**{**REASSURING, **changes})


def test_all_yes_and_minor_injuries_only_is_minimal() -> None:
    a = salt(casualty(minor_injuries_only=True))
    assert (a.category, a.method, a.missing) == (Category.MINIMAL, "salt", ())
    assert a.rule == (
        "SALT: breathing → obeys commands → peripheral pulse → no respiratory distress"
        " → major haemorrhage controlled → minor injuries only → MINIMAL"
    )


def test_all_yes_and_more_than_minor_injuries_is_delayed() -> None:
    a = salt(casualty(minor_injuries_only=False))
    assert a.category is Category.DELAYED
    assert a.rule.endswith("→ more than minor injuries → DELAYED")


def test_all_yes_without_injury_severity_is_missing_it() -> None:
    a = salt(casualty())
    assert (a.category, a.missing) == (None, ("minor_injuries_only",))


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        (
            {"obeys_commands": False, "purposeful_movement": False},
            "neither obeys commands nor moves purposefully",
        ),
        ({"peripheral_pulse_palpable": False}, "no peripheral pulse"),
        ({"respiratory_distress": True}, "respiratory distress"),
        ({"major_hemorrhage_controlled": False}, "major haemorrhage not controlled"),
    ],
)
def test_any_no_and_likely_to_survive_is_immediate(changes: dict[str, Any], text: str) -> None:
    a = salt(casualty(likely_to_survive_given_resources=True, **changes))
    assert a.category is Category.IMMEDIATE
    assert a.rule == f"SALT: breathing → {text} → likely to survive given resources → IMMEDIATE"


@pytest.mark.parametrize(
    "changes",
    [
        {"obeys_commands": False, "purposeful_movement": False},
        {"peripheral_pulse_palpable": False},
        {"respiratory_distress": True},
        {"major_hemorrhage_controlled": False},
    ],
)
def test_any_no_and_unlikely_to_survive_is_expectant(changes: dict[str, Any]) -> None:
    a = salt(casualty(likely_to_survive_given_resources=False, **changes))
    assert a.category is Category.EXPECTANT
    assert a.rule.endswith("→ unlikely to survive given resources → EXPECTANT")


def test_any_no_without_survival_judgement_needs_only_that() -> None:
    """The other three questions are not needed once one answer is no."""
    a = salt(Findings(breathing=True, respiratory_distress=True))
    assert (a.category, a.missing) == (None, ("likely_to_survive_given_resources",))
    assert a.rule == (
        "SALT: breathing → respiratory distress → survival given resources not assessed"
        " → stopped: needs likely_to_survive_given_resources"
    )


def test_purposeful_movement_answers_the_first_question() -> None:
    f = casualty(obeys_commands=False, purposeful_movement=True, minor_injuries_only=False)
    a = salt(f)
    assert a.category is Category.DELAYED
    assert "→ purposeful movement →" in a.rule


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"obeys_commands": None}, ("obeys_commands", "purposeful_movement")),
        ({"obeys_commands": False}, ("purposeful_movement",)),
        ({"obeys_commands": None, "purposeful_movement": False}, ("obeys_commands",)),
        ({"peripheral_pulse_palpable": None}, ("peripheral_pulse_palpable",)),
        ({"respiratory_distress": None}, ("respiratory_distress",)),
        ({"major_hemorrhage_controlled": None}, ("major_hemorrhage_controlled",)),
        (
            {
                "obeys_commands": None,
                "peripheral_pulse_palpable": None,
                "respiratory_distress": None,
                "major_hemorrhage_controlled": None,
            },
            (
                "obeys_commands",
                "purposeful_movement",
                "peripheral_pulse_palpable",
                "respiratory_distress",
                "major_hemorrhage_controlled",
            ),
        ),
    ],
)
def test_unanswered_questions_without_a_no_are_missing(
    changes: dict[str, Any], missing: tuple[str, ...]
) -> None:
    a = salt(casualty(minor_injuries_only=True, **changes))
    assert (a.category, a.missing) == (None, missing)


def test_not_breathing_after_airway_opening_is_dead() -> None:
    a = salt(Findings(age_years=30, breathing=False, breathing_after_airway_opening=False))
    assert a.category is Category.DEAD
    assert a.rule == (
        "SALT: not breathing → still apnoeic after airway opening → age 30 y ≥ 8, not a child → DEAD"
    )


def test_still_apnoeic_after_rescue_breaths_is_dead() -> None:
    a = salt(
        Findings(breathing=False, breathing_after_airway_opening=False, breathing_after_rescue_breaths=False)
    )
    assert a.category is Category.DEAD


def test_breathing_after_rescue_breaths_continues_assessment() -> None:
    f = casualty(
        breathing=False,
        breathing_after_airway_opening=False,
        breathing_after_rescue_breaths=True,
        minor_injuries_only=False,
    )
    a = salt(f)
    assert a.category is Category.DELAYED
    assert a.rule.startswith(
        "SALT: not breathing → still apnoeic after airway opening → breathes after 2 rescue breaths → obeys"
    )


def test_breathing_after_airway_opening_continues_assessment() -> None:
    f = casualty(
        breathing=False,
        breathing_after_airway_opening=True,
        peripheral_pulse_palpable=False,
        likely_to_survive_given_resources=True,
    )
    a = salt(f)
    assert a.category is Category.IMMEDIATE
    assert a.rule.startswith("SALT: not breathing → breathes after airway opening → no peripheral pulse")


def test_missing_breathing() -> None:
    a = salt(Findings(obeys_commands=True))
    assert (a.category, a.missing, a.rule) == (
        None,
        ("breathing",),
        "SALT: breathing not assessed → stopped: needs breathing",
    )


def test_missing_airway_opening() -> None:
    a = salt(Findings(breathing=False))
    assert (a.category, a.missing) == (None, ("breathing_after_airway_opening",))


def test_breathing_inferred_from_respiratory_rate() -> None:
    a = salt(casualty(breathing=None, respiratory_rate_per_min=18, minor_injuries_only=True))
    assert a.category is Category.MINIMAL

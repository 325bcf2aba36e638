"""assess(): automatic choice between JumpSTART (< 8 years) and START, explicit methods and options."""

from __future__ import annotations

from typing import Any

import pytest

from jedel.core.triage import Category, Findings, assess, jumpstart, salt, start

# RR 40/min separates the two methods: START immediate (> 30), JumpSTART delayed (15-45).
FAST_BREATHER: dict[str, Any] = {
    "can_walk": False,
    "breathing": True,
    "respiratory_rate_per_min": 40,
    "peripheral_pulse_palpable": True,
    "capillary_refill_s": 1,
    "obeys_commands": True,
    "avpu": "A",
}


def patient(**changes: Any) -> Findings:
    return Findings(**{**FAST_BREATHER, **changes})


def test_age_7_9_uses_jumpstart() -> None:
    a = assess(patient(age_years=7.9))
    assert (a.method, a.category) == ("jumpstart", Category.DELAYED)
    assert a.rule == (
        "auto: age 7.9 y < 8 → JumpSTART; JumpSTART: not ambulatory → breathing → RR 40/min within 15-45"
        " → palpable pulse → AVPU A → DELAYED"
    )


def test_age_8_uses_start() -> None:
    a = assess(patient(age_years=8))
    assert (a.method, a.category) == ("start", Category.IMMEDIATE)
    assert a.rule == "auto: age 8 y ≥ 8 → START; START: not walking → breathing → RR 40/min > 30 → IMMEDIATE"


def test_unknown_age_uses_start_and_says_so() -> None:
    a = assess(patient())
    assert (a.method, a.category) == ("start", Category.IMMEDIATE)
    assert a.rule.startswith("auto: age unknown → START; START: ")


def test_auto_keeps_missing_from_the_chosen_method() -> None:
    a = assess(Findings(age_years=3, can_walk=False, breathing=True, respiratory_rate_per_min=30))
    assert (a.category, a.method, a.missing) == (None, "jumpstart", ("peripheral_pulse_palpable", "avpu"))


@pytest.mark.parametrize("method", ["start", "jumpstart", "salt"])
def test_explicit_method_equals_the_algorithm(method: str) -> None:
    f = patient(
        age_years=30, respiratory_distress=False, major_hemorrhage_controlled=True, minor_injuries_only=False
    )
    direct = {"start": start, "jumpstart": jumpstart, "salt": salt}[method](f)
    assert assess(f, method) == direct  # type: ignore[arg-type]


def test_explicit_start_ignores_age() -> None:
    assert assess(patient(age_years=3), "start").category is Category.IMMEDIATE


def test_unknown_method() -> None:
    with pytest.raises(ValueError, match="^method: must be one of auto, start, jumpstart, salt"):
        assess(patient(), "triage-sieve")  # type: ignore[arg-type]


def test_start_options_pass_through_auto() -> None:
    slow = patient(age_years=40, respiratory_rate_per_min=8)
    assert assess(slow).category is Category.DELAYED
    assert assess(slow, rr_low_threshold=10).category is Category.IMMEDIATE
    refill = patient(age_years=40, respiratory_rate_per_min=20, capillary_refill_s=3)
    assert assess(refill).category is Category.IMMEDIATE
    assert assess(refill, perfusion_check="radial_pulse_first").category is Category.DELAYED


def test_jumpstart_option_passes_through_auto() -> None:
    infant = patient(age_years=0.5, respiratory_rate_per_min=30, minor_injuries_only=True)
    assert assess(infant).category is Category.DELAYED
    assert assess(infant, nonambulatory_infant_secondary=True).category is Category.MINIMAL


def test_invalid_start_option_is_refused_even_when_jumpstart_is_chosen() -> None:
    with pytest.raises(ValueError, match="^rr_low_threshold: "):
        assess(patient(age_years=3), rr_low_threshold=-5)

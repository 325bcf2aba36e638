"""Findings validation, Category values and the shared helpers."""

from __future__ import annotations

import dataclasses
import math

import pytest

from jedel.core.triage import AVPU_LEVELS, Category, Findings, InvalidFinding
from jedel.core.triage.findings import breathing_status, fmt


def test_all_findings_default_to_not_assessed() -> None:
    f = Findings()
    assert all(getattr(f, field.name) is None for field in dataclasses.fields(f))
    assert len(dataclasses.fields(f)) == 19


def test_findings_are_frozen_and_keyword_only() -> None:
    f = Findings(can_walk=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.can_walk = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        Findings(30)  # type: ignore[misc]


def test_category_values() -> None:
    assert [c.value for c in Category] == ["minimal", "delayed", "immediate", "expectant", "dead"]
    assert Category("dead") is Category.DEAD
    assert Category.IMMEDIATE == "immediate"


def test_avpu_levels() -> None:
    assert AVPU_LEVELS == ("A", "V", "P", "U")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("respiratory_rate_per_min", -1),
        ("respiratory_rate_per_min", -0.1),
        ("respiratory_rate_per_min", 120.1),
        ("respiratory_rate_per_min", 121),
        ("respiratory_rate_per_min", math.nan),
        ("respiratory_rate_per_min", math.inf),
        ("respiratory_rate_per_min", "20"),
        ("respiratory_rate_per_min", True),
        ("pulse_rate_per_min", -1),
        ("pulse_rate_per_min", 301),
        ("capillary_refill_s", -0.1),
        ("capillary_refill_s", 30.1),
        ("gcs_motor", 0),
        ("gcs_motor", 7),
        ("gcs_motor", 4.0),
        ("gcs_motor", True),
        ("gcs_motor", "6"),
        ("age_years", -0.01),
        ("age_years", 130.5),
        ("avpu", "X"),
        ("avpu", "a"),
        ("avpu", "Alert"),
        ("avpu", 1),
        ("can_walk", 1),
        ("can_walk", "true"),
        ("breathing", 0),
        ("peripheral_pulse_palpable", "yes"),
        ("obeys_commands", []),
        ("likely_to_survive_given_resources", 1.0),
    ],
)
def test_impossible_or_mistyped_values_are_rejected_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"^{field}: ") as info:
        Findings(**{field: value})  # type: ignore[arg-type]
    assert isinstance(info.value, InvalidFinding)
    assert info.value.field == field


def test_rejection_message_is_exact() -> None:
    with pytest.raises(InvalidFinding) as info:
        Findings(respiratory_rate_per_min=150)
    assert str(info.value) == "respiratory_rate_per_min: must be between 0 and 120 breaths/min, got 150"
    with pytest.raises(InvalidFinding) as info:
        Findings(gcs_motor=7)
    assert str(info.value) == "gcs_motor: must be between 1 and 6, got 7"
    with pytest.raises(InvalidFinding) as info:
        Findings(avpu="X")
    assert str(info.value) == "avpu: must be one of A, V, P, U, not 'X'"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("respiratory_rate_per_min", 0),
        ("respiratory_rate_per_min", 120),
        ("pulse_rate_per_min", 0),
        ("pulse_rate_per_min", 300),
        ("capillary_refill_s", 0),
        ("capillary_refill_s", 30),
        ("gcs_motor", 1),
        ("gcs_motor", 6),
        ("age_years", 0),
        ("age_years", 130),
        ("age_years", 0.25),
        ("avpu", "U"),
    ],
)
def test_extreme_but_possible_values_are_accepted(field: str, value: object) -> None:
    f = Findings(**{field: value})  # type: ignore[arg-type]
    assert getattr(f, field) == value


def test_breathing_with_zero_respiratory_rate_is_contradictory() -> None:
    with pytest.raises(InvalidFinding, match="^respiratory_rate_per_min: 0/min contradicts breathing=true$"):
        Findings(breathing=True, respiratory_rate_per_min=0)
    assert Findings(breathing=False, respiratory_rate_per_min=0).respiratory_rate_per_min == 0
    assert Findings(breathing=True, respiratory_rate_per_min=1).respiratory_rate_per_min == 1


def test_from_mapping_builds_the_same_findings() -> None:
    data = {"can_walk": False, "respiratory_rate_per_min": 34, "avpu": "V", "gcs_motor": None}
    assert Findings.from_mapping(data) == Findings(can_walk=False, respiratory_rate_per_min=34, avpu="V")


def test_from_mapping_rejects_unknown_names() -> None:
    with pytest.raises(InvalidFinding, match="^radial_pulse: unknown finding$") as info:
        Findings.from_mapping({"can_walk": False, "radial_pulse": True})
    assert info.value.field == "radial_pulse"


def test_from_mapping_validates_values() -> None:
    with pytest.raises(InvalidFinding, match="^capillary_refill_s: "):
        Findings.from_mapping({"capillary_refill_s": 31})


def test_breathing_status_prefers_the_finding_then_infers_from_rate() -> None:
    assert breathing_status(Findings()) is None
    assert breathing_status(Findings(breathing=False)) is False
    assert breathing_status(Findings(breathing=True)) is True
    assert breathing_status(Findings(respiratory_rate_per_min=12)) is True
    assert breathing_status(Findings(respiratory_rate_per_min=0)) is False


def test_fmt_drops_needless_decimals() -> None:
    assert (fmt(34), fmt(34.0), fmt(2.1), fmt(0.5)) == ("34", "34", "2.1", "0.5")

"""Sacco RPM survival model and the derived category model: pinned table values and monotonicity."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jedel.core.survival import (
    DEFAULT_CATEGORY_RPM_BANDS,
    CareCategory,
    RpmSurvivalParameters,
    SurvivalModel,
    category_survival_model,
    default_rpm_parameters,
    parse_category,
    rpm_at,
    rpm_category,
    rpm_survival_model,
)

# Sacco et al. 2005 survival by RPM 0..12 as shipped in parameters.json (status: secondary).
SURVIVAL = [0.052, 0.089, 0.15, 0.23, 0.35, 0.49, 0.63, 0.75, 0.84, 0.9, 0.94, 0.97, 0.98]

RPM_MODEL = rpm_survival_model()
CATEGORY_MODEL = category_survival_model()
minutes = st.floats(min_value=0.0, max_value=2000.0, allow_nan=False)


def test_shipped_parameters_are_read_with_status() -> None:
    p = default_rpm_parameters()
    assert list(p.survival_by_rpm) == SURVIVAL
    assert p.step_min == 30.0 and p.first_column_min == 30.0 and p.n_columns == 12
    assert p.deterioration_by_rpm[9] == (9, 8, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0)
    assert "secondary" in p.status
    assert p.horizon_min == 360.0 and RPM_MODEL.horizon_min == 360.0


@pytest.mark.parametrize(
    ("rpm", "t", "expected"),
    [
        (7, 0.0, 1 - 0.75),  # scene value until the first column
        (7, 29.99, 1 - 0.75),
        (7, 30.0, 1 - 0.63),  # first column (30 min): RPM 6
        (7, 59.99, 1 - 0.63),
        (7, 60.0, 1 - 0.49),  # second column: RPM 5
        (9, 90.0, 1 - 0.84),  # third column: RPM 8
        (12, 360.0, 1 - 0.84),  # last column: RPM 8
        (12, 10_000.0, 1 - 0.84),  # held after the table ends
        (12, math.inf, 1 - 0.84),
        (3, 30.0, 1 - 0.089),  # RPM 3 -> 1 after 30 min
        (0, 0.0, 1 - 0.052),
    ],
)
def test_rpm_death_probability_pinned(rpm: int, t: float, expected: float) -> None:
    assert RPM_MODEL.death_probability(rpm, t) == pytest.approx(expected, abs=1e-15)


def test_rpm_at_steps_through_the_table() -> None:
    assert rpm_at(default_rpm_parameters(), 9, [0, 29, 30, 60, 90, 400]).tolist() == [9, 9, 9, 8, 8, 0]


def test_vectorised_broadcast() -> None:
    out = RPM_MODEL.death_probability(np.array([[8], [12]]), np.array([0.0, 45.0, 75.0]))
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out, [[0.16, 0.16, 0.25], [0.02, 0.02, 0.02]], atol=1e-15)


def test_category_model_is_mean_over_bands() -> None:
    death = CATEGORY_MODEL.death_probability(np.arange(4), 0.0)
    immediate = np.mean([1 - SURVIVAL[r] for r in range(3, 10)])  # 2.81 / 7
    assert CATEGORY_MODEL.kinds == ("immediate", "delayed", "minimal", "expectant")
    np.testing.assert_allclose(death, [immediate, 0.045, 0.02, 2.709 / 3], atol=1e-12)
    assert death[0] == pytest.approx(0.40142857142857, abs=1e-12)
    # after 45 min every immediate RPM has moved to its first column: 3->1, 4->2, 5->3, 6->4, 7->6, 8->8, 9->9
    first = np.mean([1 - SURVIVAL[r] for r in (1, 2, 3, 4, 6, 8, 9)])
    assert CATEGORY_MODEL.death_probability(0, 45.0) == pytest.approx(first, abs=1e-12)


def test_custom_bands_and_first_column_at_zero() -> None:
    model = category_survival_model({**DEFAULT_CATEGORY_RPM_BANDS, CareCategory.IMMEDIATE: (8,)})
    assert model.death_probability(0, 0.0) == pytest.approx(0.16)
    p = default_rpm_parameters()
    at_zero = RpmSurvivalParameters(p.survival_by_rpm, p.deterioration_by_rpm, 30.0, 0.0)
    assert rpm_survival_model(at_zero).death_probability(7, 0.0) == pytest.approx(1 - 0.63)
    assert rpm_survival_model(at_zero).horizon_min == 330.0


def test_rpm_category_bands_partition_0_to_12() -> None:
    assert [rpm_category(r).value for r in range(13)] == (
        ["expectant"] * 3 + ["immediate"] * 7 + ["delayed"] * 2 + ["minimal"]
    )


@settings(max_examples=200, deadline=None)
@given(rpm=st.integers(0, 12), t1=minutes, t2=minutes)
def test_survival_non_increasing_in_time(rpm: int, t1: float, t2: float) -> None:
    lo, hi = sorted((t1, t2))
    assert RPM_MODEL.survival_probability(rpm, hi) <= RPM_MODEL.survival_probability(rpm, lo)


@settings(max_examples=200, deadline=None)
@given(r1=st.integers(0, 12), r2=st.integers(0, 12), t=minutes)
def test_survival_non_decreasing_in_rpm(r1: int, r2: int, t: float) -> None:
    lo, hi = sorted((r1, r2))
    assert RPM_MODEL.survival_probability(lo, t) <= RPM_MODEL.survival_probability(hi, t)


@settings(max_examples=100, deadline=None)
@given(k=st.integers(0, 3), t1=minutes, t2=minutes)
def test_category_model_non_increasing_in_time(k: int, t1: float, t2: float) -> None:
    lo, hi = sorted((t1, t2))
    assert CATEGORY_MODEL.death_probability(k, lo) <= CATEGORY_MODEL.death_probability(k, hi)


def test_models_satisfy_protocol() -> None:
    assert isinstance(RPM_MODEL, SurvivalModel) and isinstance(CATEGORY_MODEL, SurvivalModel)


def test_parse_category_accepts_strings_and_triage_enum() -> None:
    assert parse_category("delayed") is CareCategory.DELAYED
    assert parse_category(CareCategory.MINIMAL) is CareCategory.MINIMAL
    triage = pytest.importorskip("jedel.core.triage")
    assert parse_category(triage.Category.IMMEDIATE) is CareCategory.IMMEDIATE
    with pytest.raises(ValueError, match="unknown category 'dead'"):
        parse_category("dead")


@pytest.mark.parametrize(
    ("kind", "t", "message"),
    [(13, 0.0, "kind_index"), (-1, 0.0, "kind_index"), (1, -1.0, "minutes"), (1, math.nan, "minutes")],
)
def test_bad_arguments_raise(kind: int, t: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RPM_MODEL.death_probability(kind, t)


def test_invalid_parameters_are_rejected() -> None:
    p = default_rpm_parameters()
    rising = list(p.deterioration_by_rpm)
    rising[5] = (3, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    with pytest.raises(ValueError, match=r"deterioration_by_rpm\[5\]\[1\]"):
        RpmSurvivalParameters(p.survival_by_rpm, tuple(rising))
    falling = (0.5, *p.survival_by_rpm[1:])
    with pytest.raises(ValueError, match=r"survival_by_rpm\[1\]"):
        RpmSurvivalParameters(falling, p.deterioration_by_rpm)
    with pytest.raises(ValueError, match="missing key"):
        RpmSurvivalParameters.from_mapping({"survival_probability_by_rpm": {}})
    with pytest.raises(ValueError, match="bands.immediate"):
        category_survival_model({CareCategory.DELAYED: (10,)})

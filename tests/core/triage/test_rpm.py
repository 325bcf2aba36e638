"""Sacco RPM: coding at every band boundary, totals, missing findings, provenance, range property.

Source: Sacco WJ et al. Precise formulation and evidence-based application of resource-constrained
triage. Acad Emerg Med 2005;12(8):759-770. Coding table from jedel/core/data/parameters.json
(sacco_rpm.coding, status "commonly cited").
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jedel.core.triage import (
    RPM_CODING_STATUS,
    RPM_MAX,
    Findings,
    code_gcs_motor,
    code_pulse_rate,
    code_respiratory_rate,
    load_rpm_coding,
    rpm_assess,
    rpm_score,
)


@pytest.mark.parametrize(
    ("rate", "code"),
    [
        (0, 0),
        (0.5, 1),
        (1, 1),
        (9, 1),
        (9.5, 4),
        (10, 4),
        (24, 4),
        (24.5, 3),
        (25, 3),
        (35, 3),
        (35.5, 2),
        (36, 2),
        (120, 2),
    ],
)
def test_respiratory_rate_coding(rate: float, code: int) -> None:
    assert code_respiratory_rate(rate) == code


@pytest.mark.parametrize(
    ("rate", "code"),
    [(0, 0), (1, 1), (40, 1), (41, 2), (60, 2), (61, 4), (120, 4), (120.5, 3), (121, 3), (300, 3)],
)
def test_pulse_rate_coding(rate: float, code: int) -> None:
    assert code_pulse_rate(rate) == code


@pytest.mark.parametrize(("motor", "code"), [(1, 0), (2, 1), (3, 1), (4, 2), (5, 3), (6, 4)])
def test_gcs_motor_coding(motor: int, code: int) -> None:
    assert code_gcs_motor(motor) == code


@pytest.mark.parametrize("motor", [0, 7])
def test_gcs_motor_out_of_range(motor: int) -> None:
    with pytest.raises(ValueError, match="^gcs_motor: "):
        code_gcs_motor(motor)


@pytest.mark.parametrize(
    ("rr", "pulse", "motor", "score"),
    [
        (16, 80, 6, 12),  # normal physiology
        (0, 0, 1, 0),  # no respiration, no pulse, no motor response
        (34, 130, 5, 9),  # 3 + 3 + 3
        (8, 50, 4, 5),  # 1 + 2 + 2
        (40, 35, 2, 4),  # 2 + 1 + 1
        (24, 61, 3, 9),  # 4 + 4 + 1
    ],
)
def test_rpm_score_examples(rr: float, pulse: float, motor: int, score: int) -> None:
    f = Findings(respiratory_rate_per_min=rr, pulse_rate_per_min=pulse, gcs_motor=motor)
    assert rpm_score(f) == score
    assert rpm_assess(f).score == score


def test_rpm_assess_rule_text() -> None:
    a = rpm_assess(Findings(respiratory_rate_per_min=34, pulse_rate_per_min=130, gcs_motor=5))
    assert (a.score, a.missing) == (9, ())
    assert a.rule == "RPM: RR 34/min → 3 + pulse 130/min → 3 + motor M5 → 3 = 9"


def test_rpm_score_raises_naming_missing_findings() -> None:
    with pytest.raises(ValueError) as info:
        rpm_score(Findings(respiratory_rate_per_min=20))
    assert str(info.value) == "rpm_score needs pulse_rate_per_min, gcs_motor (not assessed)"
    with pytest.raises(
        ValueError, match="^rpm_score needs respiratory_rate_per_min, pulse_rate_per_min, gcs_motor"
    ):
        rpm_score(Findings())


def test_rpm_assess_missing_gives_no_score() -> None:
    a = rpm_assess(Findings(pulse_rate_per_min=90))
    assert (a.score, a.missing) == (None, ("respiratory_rate_per_min", "gcs_motor"))
    assert a.rule == "RPM: stopped: needs respiratory_rate_per_min, gcs_motor"


def test_coding_provenance() -> None:
    coding = load_rpm_coding()
    assert RPM_CODING_STATUS == coding.status == "commonly cited"
    assert coding.reference.startswith("Sacco WJ")
    assert coding.gcs_motor == (0, 1, 1, 2, 3, 4)
    assert [(b.low, b.high, b.code) for b in coding.respiratory_rate] == [
        (0, 0, 0),
        (1, 9, 1),
        (10, 24, 4),
        (25, 35, 3),
        (36, None, 2),
    ]
    assert RPM_MAX == 12


@given(
    st.one_of(st.integers(0, 120), st.floats(0, 120)),
    st.one_of(st.integers(0, 300), st.floats(0, 300)),
    st.integers(1, 6),
)
def test_rpm_score_is_always_between_0_and_12(rr: float, pulse: float, motor: int) -> None:
    score = rpm_score(Findings(respiratory_rate_per_min=rr, pulse_rate_per_min=pulse, gcs_motor=motor))
    assert isinstance(score, int)
    assert 0 <= score <= RPM_MAX


@pytest.mark.parametrize(
    "rows",
    [
        [[0, 0, 0], [2, 9, 1], [10, None, 4]],  # gap between bands
        [[0, 0, 0], [1, 9, 5], [10, None, 4]],  # code above 4
        [[0, 0, 0], [1, 9, 1], [10, 24, 4]],  # no open-ended last band
        [[1, 9, 1], [10, None, 4]],  # does not start at 0
    ],
)
def test_malformed_coding_table_is_refused(rows: list[list[int | None]]) -> None:
    from jedel.core.triage.rpm import _bands

    with pytest.raises(ValueError, match="^sacco_rpm.coding.test: "):
        _bands(rows, "test")

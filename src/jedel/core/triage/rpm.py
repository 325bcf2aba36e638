"""Sacco RPM score (Respiratory rate, Pulse rate, best Motor response), 0-12.

Source: Sacco WJ, Navin DM, Fiedler KE, Waddell RK, Long WB, Buckman RF. Precise formulation and
evidence-based application of resource-constrained triage. Acad Emerg Med 2005;12(8):759-770.

The definition (three coded values, each 0-4, summed to 0-12) is confirmed from the paper's abstract. The
band table itself is read from ``jedel/core/data/parameters.json`` (``sacco_rpm.coding``), whose status is
"commonly cited": it matches secondary sources but has not been checked against the paper's own table.
:data:`RPM_CODING_STATUS` carries that status so callers can show it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from jedel.core.triage.findings import Findings, fmt

RPM_MAX = 12
"""Highest possible RPM (best prognosis)."""

_RPM_FIELDS = ("respiratory_rate_per_min", "pulse_rate_per_min", "gcs_motor")


@dataclass(frozen=True, slots=True)
class RpmBand:
    """One row of a coding table: values in ``(previous band's high, high]`` get ``code``.

    Attributes:
        low: Lowest integer value of the band as published (per minute).
        high: Highest integer value as published, or ``None`` for no upper bound.
        code: Coded value 0-4.
    """

    low: int
    high: int | None
    code: int


@dataclass(frozen=True, slots=True)
class RpmCoding:
    """The RPM coding tables (Sacco et al. 2005) with their provenance.

    Attributes:
        respiratory_rate: Bands for respiratory rate, breaths/min, ascending.
        pulse_rate: Bands for pulse rate, beats/min, ascending.
        gcs_motor: Code for GCS best motor response 1..6, as ``gcs_motor[m - 1]``.
        status: Provenance status of the table (e.g. "commonly cited").
        reference: Bibliographic reference.
    """

    respiratory_rate: tuple[RpmBand, ...]
    pulse_rate: tuple[RpmBand, ...]
    gcs_motor: tuple[int, ...]
    status: str
    reference: str


@dataclass(frozen=True, slots=True)
class RpmAssessment:
    """RPM of one casualty.

    Attributes:
        score: RPM 0-12, or ``None`` when a needed finding was not assessed.
        rule: How it was computed, e.g. ``"RPM: RR 34/min → 3 + pulse 130/min → 3 + motor M5 → 3 = 9"``,
            or where it stopped.
        missing: Findings needed but not assessed; empty exactly when ``score`` is not ``None``.
    """

    score: int | None
    rule: str
    missing: tuple[str, ...] = ()


@functools.cache
def load_rpm_coding() -> RpmCoding:
    """Load and check the RPM coding from the ``jedel.core.data`` package (cached).

    Returns:
        The coding tables.

    Raises:
        ValueError: If the shipped table is malformed (bands not contiguous from 0, codes outside 0-4).
    """
    raw = json.loads(resources.files("jedel.core.data").joinpath("parameters.json").read_text("utf-8"))
    section = raw["sacco_rpm"]
    coding = section["coding"]
    motor = coding["gcs_motor_to_code"]
    result = RpmCoding(
        respiratory_rate=_bands(coding["respiratory_rate_per_min"], "respiratory_rate_per_min"),
        pulse_rate=_bands(coding["pulse_rate_per_min"], "pulse_rate_per_min"),
        gcs_motor=tuple(int(motor[str(m)]) for m in range(1, 7)),
        status=str(coding["status"]),
        reference=str(section["reference"]),
    )
    if any(not 0 <= c <= 4 for c in result.gcs_motor):
        raise ValueError("sacco_rpm.coding.gcs_motor_to_code: codes must be 0-4")
    return result


def _bands(rows: list[list[int | None]], name: str) -> tuple[RpmBand, ...]:
    bands: list[RpmBand] = []
    expected_low = 0
    for low, high, code in rows:
        if low is None or low != expected_low or code is None or not 0 <= code <= 4 or (high is not None and high < low):
            raise ValueError(f"sacco_rpm.coding.{name}: malformed band {[low, high, code]}")
        bands.append(RpmBand(low, high, code))
        expected_low = high + 1 if high is not None else -1
    if not bands or bands[-1].high is not None:
        raise ValueError(f"sacco_rpm.coding.{name}: last band must be open-ended")
    return tuple(bands)


RPM_CODING_STATUS: str = load_rpm_coding().status
"""Provenance status of the coding table in use ("commonly cited")."""


def _code(value: float, bands: tuple[RpmBand, ...]) -> int:
    # Fractional rates fall into the band whose (previous high, high] interval holds them, so any rate
    # above 0 counts as present: 0.5/min codes like 1-9/min, 9.5/min like 10-24/min.
    for band in bands:
        if band.high is None or value <= band.high:
            return band.code
    raise AssertionError("unreachable: the last band is open-ended")


def code_respiratory_rate(rate_per_min: float) -> int:
    """Coded respiratory rate (Sacco et al. 2005): 0 → 0, 1-9 → 1, 10-24 → 4, 25-35 → 3, ≥ 36 → 2.

    Args:
        rate_per_min: Respiratory rate, breaths/min, ≥ 0.

    Returns:
        The code 0-4.
    """
    return _code(rate_per_min, load_rpm_coding().respiratory_rate)


def code_pulse_rate(rate_per_min: float) -> int:
    """Coded pulse rate (Sacco et al. 2005): 0 → 0, 1-40 → 1, 41-60 → 2, 61-120 → 4, ≥ 121 → 3.

    Args:
        rate_per_min: Pulse rate, beats/min, ≥ 0.

    Returns:
        The code 0-4.
    """
    return _code(rate_per_min, load_rpm_coding().pulse_rate)


def code_gcs_motor(gcs_motor: int) -> int:
    """Coded best motor response (Sacco et al. 2005): GCS-M 6 → 4, 5 → 3, 4 → 2, 3 and 2 → 1, 1 → 0.

    Args:
        gcs_motor: Glasgow Coma Scale motor score, 1-6.

    Returns:
        The code 0-4.

    Raises:
        ValueError: If ``gcs_motor`` is not 1-6.
    """
    if not 1 <= gcs_motor <= 6:
        raise ValueError(f"gcs_motor: must be between 1 and 6, got {gcs_motor}")
    return load_rpm_coding().gcs_motor[gcs_motor - 1]


def rpm_score(f: Findings) -> int:
    """RPM = coded respiratory rate + coded pulse rate + coded best motor response (Sacco et al. 2005).

    Higher is better: 12 is normal physiology, 0 is no respiration, no pulse and no motor response.

    Args:
        f: Findings with ``respiratory_rate_per_min``, ``pulse_rate_per_min`` and ``gcs_motor``.

    Returns:
        The score, an integer 0-12.

    Raises:
        ValueError: If any of the three findings is missing, e.g.
            ``"rpm_score needs respiratory_rate_per_min, gcs_motor (not assessed)"``.
    """
    result = rpm_assess(f)
    if result.score is None:
        raise ValueError(f"rpm_score needs {', '.join(result.missing)} (not assessed)")
    return result.score


def rpm_assess(f: Findings) -> RpmAssessment:
    """RPM with its computation spelled out; ``score`` is ``None`` when a finding is missing.

    Args:
        f: The casualty's findings.

    Returns:
        The score (or ``None``), the rule text and the missing findings.
    """
    missing = tuple(name for name in _RPM_FIELDS if getattr(f, name) is None)
    rr, pulse, motor = f.respiratory_rate_per_min, f.pulse_rate_per_min, f.gcs_motor
    if missing or rr is None or pulse is None or motor is None:
        return RpmAssessment(None, f"RPM: stopped: needs {', '.join(missing)}", missing)
    codes = (code_respiratory_rate(rr), code_pulse_rate(pulse), code_gcs_motor(motor))
    score = sum(codes)
    rule = (
        f"RPM: RR {fmt(rr)}/min → {codes[0]} + pulse {fmt(pulse)}/min → {codes[1]}"
        f" + motor M{motor} → {codes[2]} = {score}"
    )
    return RpmAssessment(score, rule, ())

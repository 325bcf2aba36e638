"""Choosing and running a triage method: :func:`assess`."""

from __future__ import annotations

import dataclasses
from typing import Literal

from jedel.core.triage.findings import Assessment, Findings, fmt
from jedel.core.triage.jumpstart_triage import jumpstart
from jedel.core.triage.salt_triage import salt
from jedel.core.triage.start_triage import PerfusionCheck, check_start_options, start

AssessMethod = Literal["auto", "start", "jumpstart", "salt"]

METHODS: tuple[str, ...] = ("auto", "start", "jumpstart", "salt")
"""Values accepted by :func:`assess` for ``method``."""

JUMPSTART_MAX_AGE_YEARS = 8
"""Automatic mode uses JumpSTART below this age in years, START from it on (Romig 2002: JumpSTART is for
children up to about 8 years; older children and adults are triaged with START)."""


def assess(
    f: Findings,
    method: AssessMethod = "auto",
    *,
    rr_low_threshold: float | None = None,
    perfusion_check: PerfusionCheck = "either",
    nonambulatory_infant_secondary: bool = False,
) -> Assessment:
    """Triage one casualty with the chosen method.

    ``"auto"`` uses JumpSTART when ``age_years`` < 8 (so 7.9 → JumpSTART, 8 → START) and START otherwise;
    when the age is unknown it uses START and the rule says so (``"auto: age unknown → START; ..."``).
    The returned ``method`` is the algorithm actually applied.

    Args:
        f: The casualty's findings.
        method: ``"auto"``, ``"start"``, ``"jumpstart"`` or ``"salt"``.
        rr_low_threshold: START variant option, see :func:`jedel.core.triage.start`.
        perfusion_check: START variant option, see :func:`jedel.core.triage.start`.
        nonambulatory_infant_secondary: JumpSTART variant option, see :func:`jedel.core.triage.jumpstart`.

    Returns:
        The assessment.

    Raises:
        ValueError: If ``method`` is unknown or a START option is invalid.
    """
    check_start_options(rr_low_threshold, perfusion_check)
    if method == "start":
        return start(f, rr_low_threshold=rr_low_threshold, perfusion_check=perfusion_check)
    if method == "jumpstart":
        return jumpstart(f, nonambulatory_infant_secondary=nonambulatory_infant_secondary)
    if method == "salt":
        return salt(f)
    if method != "auto":
        raise ValueError(f"method: must be one of {', '.join(METHODS)}, got {method!r}")

    if f.age_years is not None and f.age_years < JUMPSTART_MAX_AGE_YEARS:
        why = f"auto: age {fmt(f.age_years)} y < {JUMPSTART_MAX_AGE_YEARS} → JumpSTART"
        result = jumpstart(f, nonambulatory_infant_secondary=nonambulatory_infant_secondary)
    else:
        if f.age_years is None:
            why = "auto: age unknown → START"
        else:
            why = f"auto: age {fmt(f.age_years)} y ≥ {JUMPSTART_MAX_AGE_YEARS} → START"
        result = start(f, rr_low_threshold=rr_low_threshold, perfusion_check=perfusion_check)
    return dataclasses.replace(result, rule=f"{why}; {result.rule}")

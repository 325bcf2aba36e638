"""START (Simple Triage And Rapid Treatment) for adults.

Source: developed in 1983 by Hoag Memorial Hospital Presbyterian and the Newport Beach Fire Department
(Super G et al.); described in Benson M, Koenig KL, Schultz CH. Disaster triage: START, then SAVE -- a new
method of dynamic triage for victims of a catastrophic earthquake. Prehosp Disaster Med 1996;11(2):117-124.
"""

from __future__ import annotations

import math
from typing import Literal

from jedel.core.triage._path import Check, any_yes, decided, stopped
from jedel.core.triage.findings import Assessment, Category, Findings, breathing_status, fmt

PerfusionCheck = Literal["either", "radial_pulse_first"]

START_RR_HIGH_PER_MIN = 30
"""START: respiratory rate above this (breaths/min) → immediate (Benson et al. 1996)."""

START_CAPILLARY_REFILL_MAX_S = 2
"""START: capillary refill longer than this (seconds) → immediate (Benson et al. 1996)."""

MODIFIED_START_RR_LOW_PER_MIN = 10
"""Usual low-rate threshold of "modified START" (breaths/min); pass it as ``rr_low_threshold``."""

_LABEL = "START"


def start(
    f: Findings,
    *,
    rr_low_threshold: float | None = None,
    perfusion_check: PerfusionCheck = "either",
) -> Assessment:
    """Triage an adult with START.

    Steps (Benson, Koenig, Schultz 1996; Super et al. 1983):

    1. Walks → MINIMAL.
    2. Not breathing → open the airway: breathes → IMMEDIATE; still apnoeic → DEAD. Original START tags
       this patient "deceased/expectant" (black); Jedel records :attr:`Category.DEAD`.
    3. Respiratory rate > 30/min → IMMEDIATE (exactly 30 is not).
    4. Perfusion: no radial pulse OR capillary refill > 2 s → IMMEDIATE (exactly 2 s is not). Either
       abnormal finding suffices; an absent radial pulse decides alone; a present pulse is enough when
       capillary refill was not measured; capillary refill alone is enough when the pulse was not checked.
    5. Cannot follow simple commands → IMMEDIATE.
    6. Otherwise → DELAYED.

    Steps 3-5 are joined by OR: one abnormal finding decides IMMEDIATE even if an earlier one of them was
    not assessed. ``breathing`` is inferred from ``respiratory_rate_per_min`` when only the rate is given.

    Args:
        f: The casualty's findings.
        rr_low_threshold: "Modified START" variant: also IMMEDIATE when the respiratory rate (breaths/min)
            is below this value (usually :data:`MODIFIED_START_RR_LOW_PER_MIN` = 10). ``None`` (default)
            follows original START, which has no low-rate criterion.
        perfusion_check: ``"either"`` (default) as above. ``"radial_pulse_first"``: the radial pulse, when
            checked, decides alone (capillary refill is then ignored); capillary refill > 2 s is used only
            when the pulse was not checked. Capillary refill was START's original perfusion test; the radial
            pulse is the commonly taught alternative because capillary refill is hard to judge in cold or
            poor light.

    Returns:
        The assessment; ``category`` is ``None`` and ``missing`` names the findings when a step could not
        be answered.

    Raises:
        ValueError: If ``rr_low_threshold`` is not a number in (0, 30] or ``perfusion_check`` is unknown.
    """
    check_start_options(rr_low_threshold, perfusion_check)
    if f.can_walk is None:
        return stopped("start", _LABEL, ["walking not assessed"], ["can_walk"])
    if f.can_walk:
        return decided("start", _LABEL, ["walking"], Category.MINIMAL)
    path = ["not walking"]

    breathing = breathing_status(f)
    if breathing is None:
        return stopped("start", _LABEL, [*path, "breathing not assessed"], ["breathing"])
    if not breathing:
        path.append("not breathing")
        reopened = f.breathing_after_airway_opening
        if reopened is None:
            return stopped("start", _LABEL, [*path, "airway opening not assessed"],
                           ["breathing_after_airway_opening"])
        if reopened:
            return decided("start", _LABEL, [*path, "breathes after airway opening"], Category.IMMEDIATE)
        return decided("start", _LABEL, [*path, "still apnoeic after airway opening"], Category.DEAD)
    path.append("breathing")

    verdict, steps, missing = any_yes(
        [_rr_check(f, rr_low_threshold), _perfusion(f, perfusion_check), _commands_check(f)]
    )
    if verdict == "yes":
        return decided("start", _LABEL, [*path, *steps], Category.IMMEDIATE)
    if verdict == "unknown":
        return stopped("start", _LABEL, [*path, *steps], missing)
    return decided("start", _LABEL, [*path, *steps], Category.DELAYED)


def _rr_check(f: Findings, rr_low_threshold: float | None) -> Check:
    """START respiration: ``yes`` when the rate is > 30/min (or below ``rr_low_threshold`` if set)."""
    rr = f.respiratory_rate_per_min
    if rr is None:
        return Check("unknown", "RR not assessed", ("respiratory_rate_per_min",))
    if rr > START_RR_HIGH_PER_MIN:
        return Check("yes", f"RR {fmt(rr)}/min > {START_RR_HIGH_PER_MIN}")
    if rr_low_threshold is not None:
        if rr < rr_low_threshold:
            return Check("yes", f"RR {fmt(rr)}/min < {fmt(rr_low_threshold)}")
        return Check("no", f"RR {fmt(rr)}/min within {fmt(rr_low_threshold)}-{START_RR_HIGH_PER_MIN}")
    return Check("no", f"RR {fmt(rr)}/min ≤ {START_RR_HIGH_PER_MIN}")


def _perfusion(f: Findings, mode: PerfusionCheck) -> Check:
    """START perfusion: ``yes`` when the radial pulse is absent or capillary refill is > 2 s."""
    pulse = f.peripheral_pulse_palpable
    refill = f.capillary_refill_s
    if pulse is False:
        return Check("yes", "no radial pulse")
    refill_text = ""
    if refill is not None and (pulse is None or mode == "either"):
        if refill > START_CAPILLARY_REFILL_MAX_S:
            prefix = "radial pulse present, " if pulse else ""
            return Check("yes", f"{prefix}capillary refill {fmt(refill)} s > {START_CAPILLARY_REFILL_MAX_S}")
        refill_text = f"capillary refill {fmt(refill)} s ≤ {START_CAPILLARY_REFILL_MAX_S}"
    if pulse:
        return Check("no", ", ".join(t for t in ("radial pulse present", refill_text) if t))
    if refill_text:
        return Check("no", refill_text)
    return Check("unknown", "perfusion not assessed", ("peripheral_pulse_palpable", "capillary_refill_s"))


def _commands_check(f: Findings) -> Check:
    """START mental status: ``yes`` when the casualty cannot follow simple commands."""
    if f.obeys_commands is None:
        return Check("unknown", "mental status not assessed", ("obeys_commands",))
    if f.obeys_commands:
        return Check("no", "obeys commands")
    return Check("yes", "cannot follow commands")


def check_start_options(rr_low_threshold: float | None, perfusion_check: str) -> None:
    """Validate START's variant options.

    Raises:
        ValueError: If ``rr_low_threshold`` is not ``None`` or a number in (0, 30], or ``perfusion_check``
            is not ``"either"`` or ``"radial_pulse_first"``.
    """
    if rr_low_threshold is not None and (
        isinstance(rr_low_threshold, bool)
        or not isinstance(rr_low_threshold, int | float)
        or not math.isfinite(rr_low_threshold)
        or not 0 < rr_low_threshold <= START_RR_HIGH_PER_MIN
    ):
        raise ValueError(f"rr_low_threshold: must be a number in (0, 30], got {rr_low_threshold!r}")
    if perfusion_check not in ("either", "radial_pulse_first"):
        raise ValueError(
            f"perfusion_check: must be 'either' or 'radial_pulse_first', got {perfusion_check!r}"
        )

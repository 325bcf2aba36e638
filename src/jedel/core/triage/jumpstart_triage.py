"""JumpSTART paediatric triage (children under about 8 years).

Source: Romig LE. Pediatric triage. A system to JumpSTART your triage of young patients at MCIs. JEMS
2002;27(7):52-58, 60-63.

Non-ambulatory infant variant: Romig's rule applies to children who cannot walk because of their
developmental age or a developmental disability -- infants, and also older children who have not learnt,
or are unable, to walk -- not to children who cannot walk because of the injury. The finding
``unable_to_walk_developmentally`` says so; when it was not assessed Jedel falls back to its own proxy,
age below 1 year (:data:`INFANT_MAX_AGE_YEARS`), and the rule text says which one decided.
"""

from __future__ import annotations

from jedel.core.triage._path import Check, any_yes, decided, stopped
from jedel.core.triage.findings import Assessment, Category, Findings, breathing_status, fmt

JUMPSTART_RR_LOW_PER_MIN = 15
"""JumpSTART: respiratory rate below this (breaths/min) → immediate; exactly 15 is not (Romig 2002)."""

JUMPSTART_RR_HIGH_PER_MIN = 45
"""JumpSTART: respiratory rate above this (breaths/min) → immediate; exactly 45 is not (Romig 2002)."""

JUMPSTART_RESCUE_BREATHS = 5
"""JumpSTART: rescue breaths (about 15 s) given to an apnoeic child with a pulse (Romig 2002)."""

INFANT_MAX_AGE_YEARS = 1
"""Jedel's default for the non-ambulatory infant variant when ``unable_to_walk_developmentally`` was not
assessed: age below 1 year counts as developmentally unable to walk (Romig 2002 keys on development, not
age)."""

_LABEL = "JumpSTART"


def jumpstart(f: Findings, *, nonambulatory_infant_secondary: bool = False) -> Assessment:
    """Triage a young child with JumpSTART.

    Steps (Romig 2002):

    1. Ambulatory → MINIMAL.
    2. Apnoeic → position the airway: breathes → IMMEDIATE; still apnoeic → feel a peripheral pulse: none
       → DEAD; pulse present → 5 rescue breaths: breathing resumes → IMMEDIATE, still apnoeic → DEAD.
       (JumpSTART's black tag is "deceased/expectant"; Jedel records :attr:`Category.DEAD`.)
    3. Respiratory rate < 15 or > 45 breaths/min → IMMEDIATE (exactly 15 and 45 are not).
    4. No palpable peripheral pulse → IMMEDIATE.
    5. AVPU "U", or "P" with an inappropriate response (posturing; ``pain_response_appropriate`` False)
       → IMMEDIATE.
    6. Otherwise → DELAYED.

    Steps 3-5 are joined by OR: one abnormal finding decides IMMEDIATE even if an earlier one of them was
    not assessed. ``breathing`` is inferred from ``respiratory_rate_per_min`` when only the rate is given.

    Args:
        f: The child's findings.
        nonambulatory_infant_secondary: Non-ambulatory infant variant. Romig notes that children who cannot
            walk because of developmental age or disability go through the algorithm and may be MINIMAL
            when everything is normal. With ``True``, a child who cannot walk developmentally
            (``unable_to_walk_developmentally``; when not assessed, ``age_years`` < 1) and who would be
            DELAYED -- i.e. palpable pulse, RR 15-45, AVPU A, V or appropriate P -- and has no
            significant external injury (``minor_injuries_only``) is MINIMAL instead. Needs
            ``unable_to_walk_developmentally`` or ``age_years`` and then ``minor_injuries_only``.
            Default ``False``: original ambulatory rule only.

    Returns:
        The assessment; ``category`` is ``None`` and ``missing`` names the findings when a step could not
        be answered.
    """
    if f.can_walk is None:
        return stopped("jumpstart", _LABEL, ["ambulation not assessed"], ["can_walk"])
    if f.can_walk:
        return decided("jumpstart", _LABEL, ["ambulatory"], Category.MINIMAL)
    path = ["not ambulatory"]

    breathing = breathing_status(f)
    if breathing is None:
        return stopped("jumpstart", _LABEL, [*path, "breathing not assessed"], ["breathing"])
    if not breathing:
        return _apnoeic(f, [*path, "apnoeic"])
    path.append("breathing")

    verdict, steps, missing = any_yes([_rr_check(f), _pulse_check(f), _avpu_check(f)])
    path.extend(steps)
    if verdict == "yes":
        return decided("jumpstart", _LABEL, path, Category.IMMEDIATE)
    if verdict == "unknown":
        return stopped("jumpstart", _LABEL, path, missing)
    if not nonambulatory_infant_secondary:
        return decided("jumpstart", _LABEL, path, Category.DELAYED)
    return _infant_secondary(f, path)


def _apnoeic(f: Findings, path: list[str]) -> Assessment:
    """Airway positioning, pulse check and rescue breaths for an apnoeic child."""
    if f.breathing_after_airway_opening is None:
        return stopped("jumpstart", _LABEL, [*path, "airway positioning not assessed"],
                       ["breathing_after_airway_opening"])
    if f.breathing_after_airway_opening:
        return decided("jumpstart", _LABEL, [*path, "breathes after airway positioning"],
                       Category.IMMEDIATE)
    path = [*path, "still apnoeic after airway positioning"]
    if f.peripheral_pulse_palpable is None:
        return stopped("jumpstart", _LABEL, [*path, "pulse not assessed"], ["peripheral_pulse_palpable"])
    if not f.peripheral_pulse_palpable:
        return decided("jumpstart", _LABEL, [*path, "no peripheral pulse"], Category.DEAD)
    path.append("peripheral pulse present")
    breaths = f"{JUMPSTART_RESCUE_BREATHS} rescue breaths"
    if f.breathing_after_rescue_breaths is None:
        return stopped("jumpstart", _LABEL, [*path, f"{breaths} not assessed"],
                       ["breathing_after_rescue_breaths"])
    if f.breathing_after_rescue_breaths:
        return decided("jumpstart", _LABEL, [*path, f"breathes after {breaths}"], Category.IMMEDIATE)
    return decided("jumpstart", _LABEL, [*path, f"still apnoeic after {breaths}"], Category.DEAD)


def _rr_check(f: Findings) -> Check:
    rr = f.respiratory_rate_per_min
    low, high = JUMPSTART_RR_LOW_PER_MIN, JUMPSTART_RR_HIGH_PER_MIN
    if rr is None:
        return Check("unknown", "RR not assessed", ("respiratory_rate_per_min",))
    if rr < low:
        return Check("yes", f"RR {fmt(rr)}/min < {low}")
    if rr > high:
        return Check("yes", f"RR {fmt(rr)}/min > {high}")
    return Check("no", f"RR {fmt(rr)}/min within {low}-{high}")


def _pulse_check(f: Findings) -> Check:
    if f.peripheral_pulse_palpable is None:
        return Check("unknown", "pulse not assessed", ("peripheral_pulse_palpable",))
    if f.peripheral_pulse_palpable:
        return Check("no", "palpable pulse")
    return Check("yes", "no palpable pulse")


def _avpu_check(f: Findings) -> Check:
    if f.avpu is None:
        return Check("unknown", "AVPU not assessed", ("avpu",))
    if f.avpu == "U":
        return Check("yes", "AVPU U")
    if f.avpu != "P":
        return Check("no", f"AVPU {f.avpu}")
    if f.pain_response_appropriate is None:
        return Check("unknown", "AVPU P, response to pain not assessed", ("pain_response_appropriate",))
    if f.pain_response_appropriate:
        return Check("no", "AVPU P, appropriate")
    return Check("yes", "AVPU P, inappropriate (posturing)")


def _infant_secondary(f: Findings, path: list[str]) -> Assessment:
    """Non-ambulatory infant variant, reached only with normal breathing, pulse and AVPU."""
    if f.unable_to_walk_developmentally is not None:
        if not f.unable_to_walk_developmentally:
            return decided("jumpstart", _LABEL, [*path, "can walk developmentally"], Category.DELAYED)
        path = [*path, "unable to walk developmentally"]
    elif f.age_years is None:
        return stopped("jumpstart", _LABEL, [*path, "developmental walking and age not assessed"],
                       ["unable_to_walk_developmentally", "age_years"])
    elif f.age_years >= INFANT_MAX_AGE_YEARS:
        return decided("jumpstart", _LABEL, [*path, f"age {fmt(f.age_years)} y, not an infant"],
                       Category.DELAYED)
    else:
        path = [*path, f"infant ({fmt(f.age_years)} y)"]
    if f.minor_injuries_only is None:
        return stopped("jumpstart", _LABEL, [*path, "external injuries not assessed"],
                       ["minor_injuries_only"])
    if f.minor_injuries_only:
        return decided("jumpstart", _LABEL, [*path, "no significant external injury"], Category.MINIMAL)
    return decided("jumpstart", _LABEL, [*path, "significant external injury"], Category.DELAYED)

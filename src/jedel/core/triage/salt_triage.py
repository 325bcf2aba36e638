"""SALT (Sort, Assess, Lifesaving interventions, Treatment/Transport): the individual assessment.

Sources: Lerner EB, Schwartz RB, Coule PL, et al. Mass casualty triage: an evaluation of the data and
development of a proposed national guideline. Disaster Med Public Health Prep 2008;2 Suppl 1:S25-S34;
SALT mass casualty triage (concept endorsed by ACEP, ACS-COT, NAEMSP and others). Disaster Med Public
Health Prep 2008;2(4):245-246; Model Uniform Core Criteria for Mass Casualty Triage. Disaster Med Public
Health Prep 2011;5(2):125-128 (the national guideline SALT meets).

SALT's first step, global sorting (walk / wave / still), only orders who is assessed first; it is not a
category decision and is not modelled here.
"""

from __future__ import annotations

from jedel.core.triage._path import Check, decided, stopped
from jedel.core.triage.findings import Assessment, Category, Findings, breathing_status, fmt

SALT_RESCUE_BREATHS = 2
"""SALT: rescue breaths given to a child still apnoeic after airway opening (Lerner et al. 2008)."""

SALT_CHILD_MAX_AGE_YEARS = 8
"""Jedel's reading of "child" for SALT's rescue breaths: age below 8 years. SALT does not define the age;
this is the upper age of JumpSTART (Romig 2002), Jedel's paediatric algorithm."""

_LABEL = "SALT"


def salt(f: Findings) -> Assessment:
    """Triage one casualty with SALT's individual assessment.

    Lifesaving interventions (control major haemorrhage, open the airway, chest decompression, antidote
    auto-injectors; for children consider 2 rescue breaths) are assumed done before the questions below
    (Lerner et al. 2008):

    1. Breathing? -- ``breathing``, else ``breathing_after_airway_opening``, else
       ``breathing_after_rescue_breaths``. No → DEAD. A child (``age_years`` < 8, Jedel's reading) still
       apnoeic after airway opening gets 2 rescue breaths before this decision, so for a child
       ``breathing_after_rescue_breaths`` is needed (reported missing, never assumed). An adult still
       apnoeic after airway opening is DEAD unless rescue breaths were given and worked. When the age
       was not assessed and no rescue-breath result is given, both ``age_years`` and
       ``breathing_after_rescue_breaths`` are reported missing (either settles it) rather than guessing
       that the casualty is an adult.
    2. Four questions: obeys commands or makes purposeful movements? has a peripheral pulse? not in
       respiratory distress? major haemorrhage controlled? (``major_hemorrhage_controlled`` must be
       ``True`` when there is no major haemorrhage; ``None`` is "not assessed".)
    3. All four yes → minor injuries only? yes → MINIMAL, no → DELAYED.
    4. Any no → likely to survive given current resources? yes → IMMEDIATE, no → EXPECTANT.

    A single "no" in step 2 is enough to go to step 4, so the other questions are then not needed and not
    reported missing. ``missing`` names only findings needed on the path actually taken.

    Args:
        f: The casualty's findings.

    Returns:
        The assessment; ``category`` is ``None`` and ``missing`` names the findings when a step could not
        be answered.
    """
    path: list[str] = []
    breathing = breathing_status(f)
    if breathing is None:
        return stopped("salt", _LABEL, ["breathing not assessed"], ["breathing"])
    if breathing:
        path.append("breathing")
    else:
        path.append("not breathing")
        if f.breathing_after_airway_opening is None:
            return stopped("salt", _LABEL, [*path, "airway opening not assessed"],
                           ["breathing_after_airway_opening"])
        if f.breathing_after_airway_opening:
            path.append("breathes after airway opening")
        else:
            path.append("still apnoeic after airway opening")
            stop = _rescue_breaths(f, path)
            if stop is not None:
                return stop

    checks = [_responsive(f), _pulse(f), _distress(f), _hemorrhage(f)]
    failed = next((c for c in checks if c.verdict == "no"), None)
    if failed is not None:
        path.append(failed.text)
        survive = f.likely_to_survive_given_resources
        if survive is None:
            return stopped("salt", _LABEL, [*path, "survival given resources not assessed"],
                           ["likely_to_survive_given_resources"])
        if survive:
            return decided("salt", _LABEL, [*path, "likely to survive given resources"], Category.IMMEDIATE)
        return decided("salt", _LABEL, [*path, "unlikely to survive given resources"], Category.EXPECTANT)

    unknown = [c for c in checks if c.verdict == "unknown"]
    path.extend(c.text for c in checks)
    if unknown:
        return stopped("salt", _LABEL, path, [name for c in unknown for name in c.missing])
    if f.minor_injuries_only is None:
        return stopped("salt", _LABEL, [*path, "injury severity not assessed"], ["minor_injuries_only"])
    if f.minor_injuries_only:
        return decided("salt", _LABEL, [*path, "minor injuries only"], Category.MINIMAL)
    return decided("salt", _LABEL, [*path, "more than minor injuries"], Category.DELAYED)


def _rescue_breaths(f: Findings, path: list[str]) -> Assessment | None:
    """After airway opening failed: ``None`` when rescue breaths restored breathing (``path`` grows),
    else the DEAD decision or the stop for a missing finding."""
    breaths = f"{SALT_RESCUE_BREATHS} rescue breaths"
    if f.breathing_after_rescue_breaths:
        path.append(f"breathes after {breaths}")
        return None
    if f.breathing_after_rescue_breaths is False:
        return decided("salt", _LABEL, [*path, f"still apnoeic after {breaths}"], Category.DEAD)
    if f.age_years is None:
        return stopped("salt", _LABEL, [*path, f"child? age not assessed, {breaths} not assessed"],
                       ["age_years", "breathing_after_rescue_breaths"])
    if f.age_years < SALT_CHILD_MAX_AGE_YEARS:
        return stopped("salt", _LABEL, [*path, f"child ({fmt(f.age_years)} y)", f"{breaths} not assessed"],
                       ["breathing_after_rescue_breaths"])
    not_child = f"age {fmt(f.age_years)} y ≥ {SALT_CHILD_MAX_AGE_YEARS}, not a child"
    return decided("salt", _LABEL, [*path, not_child], Category.DEAD)


# Each check answers SALT's question; verdict "yes" means the reassuring answer.


def _responsive(f: Findings) -> Check:
    if f.obeys_commands or f.purposeful_movement:
        return Check("yes", "obeys commands" if f.obeys_commands else "purposeful movement")
    if f.obeys_commands is False and f.purposeful_movement is False:
        return Check("no", "neither obeys commands nor moves purposefully")
    missing = tuple(n for n in ("obeys_commands", "purposeful_movement") if getattr(f, n) is None)
    return Check("unknown", "commands / purposeful movement not assessed", missing)


def _pulse(f: Findings) -> Check:
    if f.peripheral_pulse_palpable is None:
        return Check("unknown", "peripheral pulse not assessed", ("peripheral_pulse_palpable",))
    if f.peripheral_pulse_palpable:
        return Check("yes", "peripheral pulse")
    return Check("no", "no peripheral pulse")


def _distress(f: Findings) -> Check:
    if f.respiratory_distress is None:
        return Check("unknown", "respiratory distress not assessed", ("respiratory_distress",))
    if f.respiratory_distress:
        return Check("no", "respiratory distress")
    return Check("yes", "no respiratory distress")


def _hemorrhage(f: Findings) -> Check:
    if f.major_hemorrhage_controlled is None:
        return Check("unknown", "haemorrhage control not assessed", ("major_hemorrhage_controlled",))
    if f.major_hemorrhage_controlled:
        return Check("yes", "major haemorrhage controlled")
    return Check("no", "major haemorrhage not controlled")

"""`jedel triage`: triage one casualty from JSON findings (START, JumpSTART, SALT, RPM or automatic).

Findings and result formats: :mod:`jedel.core.triage.io` (the same as ``POST /api/triage/{method}``).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, cast, get_args

import typer

from jedel.cli.django_setup import fail
from jedel.core.triage import (
    TRIAGE_METHODS,
    PerfusionCheck,
    TriageOptionsIn,
    findings_from_json,
    result_to_json,
    run_triage,
)

METHOD_CHOICES = TRIAGE_METHODS
PERFUSION_CHOICES: tuple[str, ...] = get_args(PerfusionCheck)

# The findings each algorithm reads, in the order it asks for them (the engines' docstrings cite the
# published algorithms). A finding not given is "not assessed"; the result then names what it still needs.
FINDINGS_BY_METHOD: dict[str, tuple[str, ...]] = {
    "start": ("can_walk", "breathing", "breathing_after_airway_opening", "respiratory_rate_per_min",
              "peripheral_pulse_palpable", "capillary_refill_s", "obeys_commands"),
    "jumpstart": ("can_walk", "breathing", "breathing_after_airway_opening", "peripheral_pulse_palpable",
                  "breathing_after_rescue_breaths", "respiratory_rate_per_min", "avpu",
                  "pain_response_appropriate", "age_years", "unable_to_walk_developmentally", "minor_injuries_only"),
    "salt": ("age_years", "breathing", "breathing_after_airway_opening", "breathing_after_rescue_breaths",
             "obeys_commands", "purposeful_movement", "peripheral_pulse_palpable", "respiratory_distress",
             "major_hemorrhage_controlled", "minor_injuries_only", "likely_to_survive_given_resources"),
    "rpm": ("respiratory_rate_per_min", "pulse_rate_per_min", "gcs_motor"),
}
_UNITS = {"respiratory_rate_per_min": "breaths/min", "pulse_rate_per_min": "beats/min", "capillary_refill_s": "s",
          "age_years": "years", "avpu": "A/V/P/U", "gcs_motor": "1-6"}


def _findings_help() -> str:
    """The epilog of `jedel triage --help`: each method's findings (true/false unless a unit is shown)."""
    lines = ["Findings each method reads (true/false unless a unit or range is shown):"]
    for method, names in FINDINGS_BY_METHOD.items():
        shown = ", ".join(f"{n} ({_UNITS[n]})" if n in _UNITS else n for n in names)
        lines.append(f"{method}: {shown}")
    lines += ["auto: age_years, then jumpstart under 8 years, start otherwise",
              "Example: jedel triage --method start '{\"can_walk\": false, \"breathing\": true, "
              "\"respiratory_rate_per_min\": 24, \"peripheral_pulse_palpable\": true, \"obeys_commands\": true}'"]
    return "\n\n".join(lines)


def triage(
    findings: Annotated[
        str | None,
        typer.Argument(help="findings as a JSON object, e.g. '{\"can_walk\": false}'; '-' reads stdin"),
    ] = None,
    method: Annotated[str, typer.Option(help="auto, start, jumpstart, salt or rpm")] = "auto",
    file: Annotated[str | None, typer.Option("--file", help="read the JSON findings from this file")] = None,
    rr_low_threshold: Annotated[
        str | None, typer.Option(help="modified START: also immediate when RR/min is below this (e.g. 10)")
    ] = None,
    perfusion_check: Annotated[str, typer.Option(help="START: either or radial_pulse_first")] = "either",
    nonambulatory_infant_secondary: Annotated[
        bool,
        typer.Option(
            "--nonambulatory-infant-secondary",
            help="JumpSTART: non-ambulatory infant with normal findings and no significant injury → minimal",
        ),
    ] = False,
) -> None:
    """Triage one casualty and print the result as JSON (category, method, rule, missing).

    Automatic mode uses JumpSTART under 8 years of age and START otherwise (START when age is unknown).
    Findings not given count as not assessed; a result that needs them has category null and lists them.
    """
    if method not in METHOD_CHOICES:
        fail(f"--method: must be one of {', '.join(METHOD_CHOICES)}, not {method!r}")
    if perfusion_check not in PERFUSION_CHOICES:
        fail(f"--perfusion-check: must be one of {', '.join(PERFUSION_CHOICES)}, not {perfusion_check!r}")
    low = _parse_threshold(rr_low_threshold)
    data = _read_findings(findings, file)
    options = TriageOptionsIn(
        rr_low_threshold=low,
        perfusion_check=cast(PerfusionCheck, perfusion_check),  # checked against PERFUSION_CHOICES above
        nonambulatory_infant_secondary=nonambulatory_infant_secondary,
    )
    try:  # FieldError: unknown name, wrong type or impossible value, with the finding's name first
        result = run_triage(method, findings_from_json(method, data), options)
    except ValueError as exc:
        fail(str(exc))
    typer.echo(json.dumps(result_to_json(result), ensure_ascii=False))


def register(app: typer.Typer) -> None:
    """Add the `triage` command to the `jedel` app."""
    app.command("triage", epilog=_findings_help(), rich_help_panel=None)(triage)


def _parse_threshold(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        fail(f"--rr-low-threshold: must be a number, not {text!r}")
    if not math.isfinite(value) or not 0 < value <= 30:
        fail(f"--rr-low-threshold: must be above 0 and at most 30, not {text}")
    return value


def _read_findings(argument: str | None, file: str | None) -> object:
    """The parsed findings JSON from the argument, stdin ('-') or --file; exits on any problem."""
    if argument is not None and file is not None:
        fail("give the findings either as an argument or with --file, not both")
    if file is not None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"--file: cannot read {file}: {getattr(exc, 'strerror', None) or exc}")
    elif argument == "-":
        text = sys.stdin.read()
    elif argument is not None:
        text = argument
    else:
        fail("findings: give a JSON object as an argument, '-' to read stdin, or --file PATH")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"findings: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    return data

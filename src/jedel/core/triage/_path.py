"""Building blocks shared by the algorithms: a yes/no/unknown check and the rule-text path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from jedel.core.triage.findings import Assessment, Category, MethodName

Verdict = Literal["yes", "no", "unknown"]


@dataclass(frozen=True, slots=True)
class Check:
    """One question of an algorithm, answered from the findings.

    Attributes:
        verdict: ``"yes"`` when the question's condition holds, ``"no"`` when it does not, ``"unknown"``
            when a finding it needs was not assessed.
        text: The step as it appears in the rule text, e.g. ``"RR 34/min > 30"``.
        missing: The findings that would answer the question (only when ``verdict`` is ``"unknown"``).
    """

    verdict: Verdict
    text: str
    missing: tuple[str, ...] = ()


def decided(method: MethodName, label: str, path: Sequence[str], category: Category) -> Assessment:
    """An assessment with a category; the rule reads ``"LABEL: step → step → CATEGORY"``."""
    return Assessment(category, method, " → ".join([f"{label}: {path[0]}", *path[1:], category.name]))


def stopped(method: MethodName, label: str, path: Sequence[str], missing: Sequence[str]) -> Assessment:
    """An assessment without a category because ``missing`` findings were not assessed."""
    unique = tuple(dict.fromkeys(missing))
    steps = [*path, f"stopped: needs {', '.join(unique)}"]
    return Assessment(None, method, " → ".join([f"{label}: {steps[0]}", *steps[1:]]), unique)


def any_yes(checks: Sequence[Check]) -> tuple[Verdict, list[str], tuple[str, ...]]:
    """Evaluate criteria joined by OR, in order, stopping at the first that holds.

    A criterion that holds decides the question even if an earlier one was not assessed (the answer
    cannot change); otherwise any unassessed criterion leaves the answer unknown.

    Returns:
        The combined verdict, the rule-text steps taken, and the findings missing (when unknown).
    """
    path: list[str] = []
    missing: list[str] = []
    for check in checks:
        path.append(check.text)
        if check.verdict == "yes":
            return "yes", path, ()
        if check.verdict == "unknown":
            missing.extend(check.missing)
    if missing:
        return "unknown", path, tuple(dict.fromkeys(missing))
    return "no", path, ()

"""Triage JSON in and out (the request and response of POST /api/triage/{method} and `jedel triage`)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from jedel.core.errors import FieldError
from jedel.core.triage import (
    TRIAGE_METHODS,
    AssessmentOut,
    Findings,
    FindingsIn,
    InvalidFinding,
    RpmOut,
    TriageOptionsIn,
    findings_from_json,
    findings_to_json,
    request_from_json,
    result_to_json,
    run_triage,
)

ADULT = {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34}
SLOW = {
    "can_walk": False,
    "respiratory_rate_per_min": 8,
    "peripheral_pulse_palpable": True,
    "obeys_commands": True,
}


def test_methods() -> None:
    assert TRIAGE_METHODS == ("auto", "start", "jumpstart", "salt", "rpm")


def test_findings_model_mirrors_the_engine() -> None:
    assert list(FindingsIn.model_fields) == [f.name for f in dataclasses.fields(Findings)]


def test_start_round_trip_exact() -> None:
    findings = findings_from_json("start", ADULT)
    assert findings == Findings(can_walk=False, breathing=True, respiratory_rate_per_min=34)
    assert result_to_json(run_triage("start", findings)) == {
        "category": "immediate",
        "method": "start",
        "rule": "START: not walking → breathing → RR 34/min > 30 → IMMEDIATE",
        "missing": [],
    }


def test_auto_and_missing() -> None:
    out = result_to_json(run_triage("auto", findings_from_json("auto", {**ADULT, "age_years": 5})))
    assert out == {
        "category": None,
        "method": "jumpstart",
        "rule": "auto: age 5 y < 8 → JumpSTART; JumpSTART: not ambulatory → breathing → RR 34/min within "
        "15-45 → pulse not assessed → AVPU not assessed → stopped: needs peripheral_pulse_palpable, avpu",
        "missing": ["peripheral_pulse_palpable", "avpu"],
    }
    assert AssessmentOut.model_validate(out).category is None


def test_rpm_exact() -> None:
    rpm_findings = {"respiratory_rate_per_min": 34, "pulse_rate_per_min": 130, "gcs_motor": 5}
    findings = findings_from_json("rpm", rpm_findings)
    out = result_to_json(run_triage("rpm", findings))
    assert out == {
        "method": "rpm",
        "rpm": 9,
        "rule": "RPM: RR 34/min → 3 + pulse 130/min → 3 + motor M5 → 3 = 9",
        "missing": [],
        "coding_status": "commonly cited",
    }
    assert RpmOut.model_validate(out).rpm == 9


def test_options() -> None:
    findings = findings_from_json("start", SLOW)
    assert run_triage("start", findings).category == "delayed"  # type: ignore[union-attr]
    modified = run_triage("start", findings, TriageOptionsIn(rr_low_threshold=10))
    assert result_to_json(modified)["rule"] == "START: not walking → breathing → RR 8/min < 10 → IMMEDIATE"


def test_comments_and_nulls_are_not_assessed() -> None:
    comment = {"_note": "scene 2", "can_walk": None, "avpu": "A"}
    assert findings_from_json("salt", comment) == Findings(avpu="A")
    assert findings_to_json(Findings(avpu="A", gcs_motor=6)) == {"avpu": "A", "gcs_motor": 6}


@pytest.mark.parametrize(
    ("method", "data", "message"),
    [
        ("sieve", {}, "method: must be one of auto, start, jumpstart, salt, rpm, not 'sieve'"),
        ("start", [1, 2], "findings: must be a JSON object, e.g. '{\"can_walk\": false}'"),
        ("start", {"radial_pulse": True}, "radial_pulse: unknown finding"),
        ("start", {"can_walk": "no"}, "can_walk: must be true, false or null, not 'no'"),
        ("start", {"can_walk": 1}, "can_walk: must be true, false or null, not 1"),
        ("start", {"respiratory_rate_per_min": 150},
         "respiratory_rate_per_min: must be between 0 and 120 breaths/min, got 150"),
        ("start", {"pulse_rate_per_min": "90"}, "pulse_rate_per_min: must be a number, not '90'"),
        ("start", {"age_years": math.inf}, "age_years: must be a finite number, not inf"),
        ("rpm", {"gcs_motor": 2.5}, "gcs_motor: must be an integer from 1 to 6, not 2.5"),
        ("rpm", {"gcs_motor": 7}, "gcs_motor: must be between 1 and 6, got 7"),
        ("jumpstart", {"avpu": "X"}, "avpu: must be one of A, V, P, U, not 'X'"),
        ("start", {"breathing": True, "respiratory_rate_per_min": 0},
         "respiratory_rate_per_min: 0/min contradicts breathing=true"),
    ],
)
def test_bad_findings_name_the_field(method: str, data: object, message: str) -> None:
    with pytest.raises(FieldError) as info:
        findings_from_json(method, data)
    assert str(info.value) == message
    if not message.startswith(("method", "findings")):
        assert isinstance(info.value, InvalidFinding) and info.value.field == message.split(":")[0]


def test_request_body() -> None:
    findings, options = request_from_json("start", {"findings": SLOW, "options": {"rr_low_threshold": 10}})
    assert findings.respiratory_rate_per_min == 8 and options.rr_low_threshold == 10
    assert request_from_json("auto", {})[0] == Findings()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "request: must be a JSON object"),
        ({"finding": {}}, "finding: unknown field"),
        ({"findings": {"can_walk": 1}}, "findings.can_walk: must be true, false or null, not 1"),
        ({"findings": {"breathing": True, "respiratory_rate_per_min": 0}},
         "findings.respiratory_rate_per_min: 0/min contradicts breathing=true"),
        ({"options": {"rr_low_threshold": 40}}, "options.rr_low_threshold: must be <= 30"),
        ({"options": {"rr_low_threshold": "10"}}, "options.rr_low_threshold: must be a finite number"),
        ({"options": {"perfusion_check": "refill"}},
         "options.perfusion_check: must be one of either, radial_pulse_first, not 'refill'"),
        ({"options": {"nonambulatory_infant_secondary": "yes"}},
         "options.nonambulatory_infant_secondary: must be true or false"),
    ],
)
def test_bad_request_names_the_field(data: object, message: str) -> None:
    with pytest.raises(FieldError) as info:
        request_from_json("start", data)
    assert str(info.value) == message


def test_run_triage_rejects_unknown_method() -> None:
    with pytest.raises(FieldError) as info:
        run_triage("x", Findings())
    assert str(info.value) == "method: must be one of auto, start, jumpstart, salt, rpm, not 'x'"

"""`jedel triage`: JSON in, JSON out; bad input gives one line on stderr and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jedel.cli.triage import register

runner = CliRunner()

ADULT = {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34}


@pytest.fixture
def app() -> typer.Typer:
    """A fresh app with `triage` registered as a sub-command, as in `jedel.cli.main`."""
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def main() -> None:
        """Test app."""

    register(app)
    return app


def run_ok(app: typer.Typer, *args: str, stdin: str | None = None) -> dict[str, object]:
    result = runner.invoke(app, ["triage", *args], input=stdin)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_register_adds_the_triage_command() -> None:
    app = typer.Typer()
    register(app)
    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    assert names == ["triage"]


def test_start_prints_the_assessment(app: typer.Typer) -> None:
    assert run_ok(app, "--method", "start", json.dumps(ADULT)) == {
        "category": "immediate",
        "method": "start",
        "rule": "START: not walking → breathing → RR 34/min > 30 → IMMEDIATE",
        "missing": [],
    }


def test_default_method_is_auto(app: typer.Typer) -> None:
    out = run_ok(app, json.dumps({**ADULT, "age_years": 5}))
    assert out["method"] == "jumpstart"
    assert out["category"] is None
    assert out["missing"] == ["peripheral_pulse_palpable", "avpu"]
    assert str(out["rule"]).startswith("auto: age 5 y < 8 → JumpSTART; ")


def test_salt(app: typer.Typer) -> None:
    findings = {"breathing": True, "peripheral_pulse_palpable": False, "likely_to_survive_given_resources": False}
    out = run_ok(app, "--method", "salt", json.dumps(findings))
    assert (out["category"], out["method"]) == ("expectant", "salt")


def test_missing_findings_give_null_category(app: typer.Typer) -> None:
    out = run_ok(app, "--method", "start", "{}")
    assert out == {
        "category": None,
        "method": "start",
        "rule": "START: walking not assessed → stopped: needs can_walk",
        "missing": ["can_walk"],
    }


def test_rpm(app: typer.Typer) -> None:
    findings = {"respiratory_rate_per_min": 34, "pulse_rate_per_min": 130, "gcs_motor": 5}
    assert run_ok(app, "--method", "rpm", json.dumps(findings)) == {
        "method": "rpm",
        "rpm": 9,
        "rule": "RPM: RR 34/min → 3 + pulse 130/min → 3 + motor M5 → 3 = 9",
        "missing": [],
        "coding_status": "commonly cited",
    }


def test_rpm_missing(app: typer.Typer) -> None:
    out = run_ok(app, "--method", "rpm", '{"gcs_motor": 6}')
    assert (out["rpm"], out["missing"]) == (None, ["respiratory_rate_per_min", "pulse_rate_per_min"])


def test_reads_stdin_with_dash(app: typer.Typer) -> None:
    assert run_ok(app, "--method", "start", "-", stdin=json.dumps(ADULT))["category"] == "immediate"


def test_reads_file(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "casualty.json"
    path.write_text(json.dumps({"can_walk": True}), encoding="utf-8")
    assert run_ok(app, "--method", "start", "--file", str(path))["category"] == "minimal"


def test_variant_options(app: typer.Typer) -> None:
    slow = {"can_walk": False, "respiratory_rate_per_min": 8, "peripheral_pulse_palpable": True,
            "obeys_commands": True}
    assert run_ok(app, "--method", "start", json.dumps(slow))["category"] == "delayed"
    assert run_ok(app, "--method", "start", "--rr-low-threshold", "10", json.dumps(slow))["category"] == "immediate"
    refill = {**slow, "respiratory_rate_per_min": 20, "capillary_refill_s": 3}
    assert run_ok(app, "--method", "start", json.dumps(refill))["category"] == "immediate"
    out = run_ok(app, "--method", "start", "--perfusion-check", "radial_pulse_first", json.dumps(refill))
    assert out["category"] == "delayed"
    infant = {"age_years": 0.5, "can_walk": False, "respiratory_rate_per_min": 30,
              "peripheral_pulse_palpable": True, "avpu": "A", "minor_injuries_only": True}
    assert run_ok(app, json.dumps(infant))["category"] == "delayed"
    assert run_ok(app, "--nonambulatory-infant-secondary", json.dumps(infant))["category"] == "minimal"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{not json"],
         "error: findings: invalid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
        (["[1, 2]"], "error: findings: must be a JSON object, e.g. '{\"can_walk\": false}'"),
        (['{"radial_pulse": true}'], "error: radial_pulse: unknown finding"),
        (['{"can_walk": "no"}'], "error: can_walk: must be true, false or null, not 'no'"),
        (['{"respiratory_rate_per_min": 150}'],
         "error: respiratory_rate_per_min: must be between 0 and 120 breaths/min, got 150"),
        (['{"respiratory_rate_per_min": -3}'],
         "error: respiratory_rate_per_min: must be between 0 and 120 breaths/min, got -3"),
        (['{"gcs_motor": 2.5}'], "error: gcs_motor: must be an integer from 1 to 6, not 2.5"),
        (['{"avpu": "X"}'], "error: avpu: must be one of A, V, P, U, not 'X'"),
        (['{"breathing": true, "respiratory_rate_per_min": 0}'],
         "error: respiratory_rate_per_min: 0/min contradicts breathing=true"),
        (["--method", "sieve", "{}"],
         "error: --method: must be one of auto, start, jumpstart, salt, rpm, not 'sieve'"),
        (["--perfusion-check", "refill", "{}"],
         "error: --perfusion-check: must be one of either, radial_pulse_first, not 'refill'"),
        (["--rr-low-threshold", "ten", "{}"], "error: --rr-low-threshold: must be a number, not 'ten'"),
        (["--rr-low-threshold", "40", "{}"], "error: --rr-low-threshold: must be above 0 and at most 30, not 40"),
        ([], "error: findings: give a JSON object as an argument, '-' to read stdin, or --file PATH"),
        (["--file", "/nonexistent/casualty.json"],
         "error: --file: cannot read /nonexistent/casualty.json: No such file or directory"),
        (["--file", "x.json", "{}"], "error: give the findings either as an argument or with --file, not both"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(app: typer.Typer, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["triage", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"
    assert "Traceback" not in result.output


def test_bad_json_from_stdin(app: typer.Typer) -> None:
    result = runner.invoke(app, ["triage", "-"], input="")
    assert result.exit_code == 2
    assert result.stderr == "error: findings: invalid JSON: Expecting value (line 1, column 1)\n"

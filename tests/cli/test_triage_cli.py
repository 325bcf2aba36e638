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


# -- issue 7: the README example runs as printed; --help lists the findings each method reads -------------------

README = Path(__file__).resolve().parents[2] / "README.md"

# The findings of each published algorithm (START: Benson 1996; JumpSTART: Romig 2002; SALT: Lerner 2008;
# RPM: Sacco 2005), written here independently of jedel.cli.triage.
PUBLISHED_FINDINGS = {
    "start": {"can_walk", "breathing", "breathing_after_airway_opening", "respiratory_rate_per_min",
              "peripheral_pulse_palpable", "capillary_refill_s", "obeys_commands"},
    "jumpstart": {"can_walk", "breathing", "breathing_after_airway_opening", "peripheral_pulse_palpable",
                  "breathing_after_rescue_breaths", "respiratory_rate_per_min", "avpu", "pain_response_appropriate",
                  "age_years", "unable_to_walk_developmentally", "minor_injuries_only"},  # Romig 2002: the infant
    # variant is for those developmentally unable to walk; SALT (Lerner 2008) gives a child two rescue breaths.
    "salt": {"age_years", "breathing", "breathing_after_airway_opening", "breathing_after_rescue_breaths", "obeys_commands",
             "purposeful_movement", "peripheral_pulse_palpable", "respiratory_distress",
             "major_hemorrhage_controlled", "minor_injuries_only", "likely_to_survive_given_resources"},
    "rpm": {"respiratory_rate_per_min", "pulse_rate_per_min", "gcs_motor"},
}


def test_readme_triage_example_runs_as_printed(app: typer.Typer) -> None:
    import shlex

    lines = [line.split("  #")[0].strip() for line in README.read_text(encoding="utf-8").splitlines()
             if line.startswith("jedel triage ")]
    assert lines, "README shows no `jedel triage` example"
    for line in lines:
        result = runner.invoke(app, shlex.split(line)[1:])
        assert result.exit_code == 0, (line, result.output)
        assert json.loads(result.stdout)["category"] == "delayed"


def test_help_lists_the_findings_of_each_method(app: typer.Typer) -> None:
    result = runner.invoke(app, ["triage", "--help"], env={"COLUMNS": "400", "TERMINAL_WIDTH": "400"})
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for method, names in PUBLISHED_FINDINGS.items():
        start = text.index(f"{method}: ")
        listed = text[start + len(method) + 2:].split(" auto: ")[0]
        for other in PUBLISHED_FINDINGS:  # cut at the next method's line
            listed = listed.split(f" {other}: ")[0]
        shown = {part.split(" (")[0].strip() for part in listed.split(", ")}
        assert shown == names, method


def test_engines_ask_only_for_listed_findings() -> None:
    """Whatever is given, a method never reports a finding missing that its help line does not name."""
    import random

    from jedel.core.triage import findings_from_json, run_triage

    rng = random.Random(7)
    values = {"age_years": [0.5, 5, 30], "respiratory_rate_per_min": [0, 10, 24, 40, 50],
              "pulse_rate_per_min": [0, 40, 80, 130], "capillary_refill_s": [1, 3], "gcs_motor": [1, 4, 6],
              "avpu": ["A", "V", "P", "U"]}
    for method, names in PUBLISHED_FINDINGS.items():
        seen: set[str] = set()
        for _ in range(400):
            data = {n: rng.choice(values.get(n, [True, False])) for n in names if rng.random() < 0.5}
            try:
                result = run_triage(method, findings_from_json(method, data))
            except ValueError:
                continue  # a contradictory combination (e.g. breathing with RR 0)
            seen.update(result.missing)
        assert seen <= names, (method, seen - names)

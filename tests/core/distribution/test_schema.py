"""The published JSON Schemas in docs/schemas/ are exactly what the models generate, and the example fits.

After changing a format, regenerate the files with
``JEDEL_WRITE_SCHEMAS=1 .venv/bin/pytest tests/core/distribution/test_schema.py`` and commit them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jedel.core.distribution import ProblemIn, parse_problem, plan_json_schema, problem_json_schema
from jedel.core.triage import request_json_schema, result_json_schema

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "distribution-problem.schema.json": problem_json_schema,
    "distribution-plan.schema.json": plan_json_schema,
    "triage-request.schema.json": request_json_schema,
    "triage-result.schema.json": result_json_schema,
}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_committed_schema_equals_generated(name: str) -> None:
    path = ROOT / "docs" / "schemas" / name
    generated = render(SCHEMAS[name]())
    if os.environ.get("JEDEL_WRITE_SCHEMAS") == "1":
        path.write_text(generated, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == generated, (
        f"docs/schemas/{name} is stale: run JEDEL_WRITE_SCHEMAS=1 .venv/bin/pytest {__file__}"
    )


def test_schema_essentials() -> None:
    problem = problem_json_schema()
    assert problem["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert problem["title"] == "Jedel casualty distribution problem"
    assert problem["required"] == ["casualties", "hospitals"]
    assert problem["additionalProperties"] is False
    assert problem["patternProperties"] == {"^_": {"description": "comment, ignored"}}
    needs = problem["$defs"]["CasualtyIn"]["properties"]["needs"]["items"]
    assert needs["enum"][-1] == "paediatric" and "paediatric_surgery" in needs["enum"]
    assert problem["$defs"]["CapacityIn"]["properties"]["immediate"] == {
        "default": 0, "minimum": 0, "title": "Immediate", "type": "integer"
    }
    assert problem["properties"]["planning_horizon_h"]["maximum"] == 48
    plan = plan_json_schema()
    assert list(plan["properties"]) == [
        "policy", "planning_horizon_h", "expected_deaths", "expected_survivors", "n_casualties",
        "n_unassigned", "n_overflow", "assignments", "loads", "slot_loads", "overflow", "groups",
    ]
    assert plan["$defs"]["Reason"]["enum"][0] == "max_gain"


def test_example_validates() -> None:
    data = json.loads((ROOT / "docs" / "examples" / "distribution-problem.json").read_text(encoding="utf-8"))
    model = ProblemIn.model_validate(data)
    assert (len(model.casualties), len(model.hospitals), len(model.sites)) == (9, 4, 3)
    assert len(parse_problem(data).casualties) == 18
    assert set(data) - set(problem_json_schema()["properties"]) == {"_about"}  # a comment

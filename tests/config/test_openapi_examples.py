"""The request examples shown in Swagger UI (/api/docs) are requests that work when tried on the demo:
each main write operation, sent exactly as its example (body and path parameters), is accepted."""

from __future__ import annotations

import json

import pytest
from tests.capacity.capacity_helpers import make_facility, make_user

from jedel.config.openapi_examples import DEMO_FACILITY, add_examples

OPERATIONS = {"submit_report": 201, "plan_distribution": 200, "assess_triage": 200, "create_facility": 201,
              "create_token": 201}


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if operation.get("operationId") in OPERATIONS:
                yield path, method, operation


@pytest.mark.django_db
def test_examples_work_when_tried(client, kz):
    from jedel.config.api import api

    make_facility(kz["KZ-75"], DEMO_FACILITY, kind="city_hospital")
    client.force_login(make_user("demo-national", "national_coordinator"))
    schema = add_examples(api.get_openapi_schema())
    tried = {}
    for path, method, operation in _operations(schema):
        url = path
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", parameter["example"])
        body = operation["requestBody"]["content"]["application/json"]["example"]
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
        tried[operation["operationId"]] = response.status_code
        assert response.status_code == OPERATIONS[operation["operationId"]], (url, response.content[:500])
    assert tried == OPERATIONS


def test_examples_are_fresh_and_json():
    from jedel.config.openapi_examples import request_examples

    examples = request_examples()
    json.dumps(examples)  # plain JSON
    assert examples["submit_report"]["reported_at"].endswith("+05:00")
    examples["plan_distribution"]["sites"].clear()
    assert request_examples()["plan_distribution"]["sites"]  # every call hands out its own copy

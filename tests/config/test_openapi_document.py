"""The OpenAPI document states what the API answers: shared error statuses, media types, ranges and enums."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture(scope="module")
def document():
    return Client().get("/api/openapi.json").json()


def _op(document, method, path):
    return document["paths"][path][method]


def test_report_submission_declares_every_answer_and_the_idempotency_key(document):
    op = _op(document, "post", "/api/facilities/{code}/reports")
    assert sorted(op["responses"]) == ["201", "400", "401", "403", "404", "409", "413", "422", "503"]
    assert op["responses"]["413"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    [key] = [p for p in op["parameters"] if p["name"] == "Idempotency-Key"]
    assert (key["in"], key["required"]) == ("header", False)


def test_a_read_without_path_or_body_declares_only_what_it_can_answer(document):
    assert sorted(_op(document, "get", "/api/status/regions")["responses"]) == ["200", "401", "403", "422", "503"]


def test_an_export_filtered_by_region_can_answer_404(document):
    assert "404" in _op(document, "get", "/api/export/saner.json")["responses"]


@pytest.mark.parametrize("path, media", [("/api/facilities/export.csv", "text/csv"),
                                         ("/api/facilities/export.fhir.json", "application/fhir+json"),
                                         ("/api/export/saner.json", "application/fhir+json"),
                                         ("/api/export/edxl-have.xml", "application/xml")])
def test_exports_declare_their_media_type(document, path, media):
    assert list(_op(document, "get", path)["responses"]["200"]["content"]) == [media]


def test_report_schema_states_ranges_enums_and_strict_types(document):
    report = document["components"]["schemas"]["ReportIn"]["properties"]
    assert report["ventilators_total"]["anyOf"][0] == {"type": "integer", "minimum": 0, "maximum": 1_000_000}
    assert report["ed_status"]["enum"] == ["open", "diversion", "closed"]
    assert report["oxygen_status"]["enum"] == ["adequate", "limited", "critical", "unknown"]
    assert report["reported_at"]["pattern"].startswith("^20[0-9]{2}-")
    bed = document["components"]["schemas"]["BedIn"]["properties"]
    assert "AdultICU" in bed["bed_type"]["enum"]


def _models(annotation, seen: set) -> None:
    """Every pydantic model reachable from an annotation (fields, list/optional/union arguments)."""
    import typing

    import pydantic

    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
    for argument in typing.get_args(annotation):
        _models(argument, seen)


def test_no_two_schemas_share_a_name():
    """The document keys schemas by class name: two apps' `AssessmentOut` (a triage assessment and a Hospital
    Safety Index one) were silently merged into one, and clients and the fuzzer read the wrong shape."""
    from collections import defaultdict

    from jedel.config.api import api

    api.get_openapi_schema()  # builds every operation's response models
    seen: set = set()
    for _prefix, router in api._routers:
        for path_operation in router.path_operations.values():
            for operation in path_operation.operations:
                for model in (operation.response_models or {}).values():
                    _models(model, seen)
                _models(operation.models, seen) if not isinstance(operation.models, list) else [
                    _models(m, seen) for m in operation.models]
    names = defaultdict(set)
    for model in seen:
        names[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert {name: places for name, places in names.items() if len(places) > 1} == {}
    assert len(seen) > 100  # the walk reached the schemas (about 150 today), not an empty list

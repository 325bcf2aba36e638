"""The read-only FHIR server at /fhir/: CapabilityStatement, Location/Organization search and read,
MeasureReport search by subject and date (FHIR prefixes), OperationOutcome errors, all valid FHIR
(fhir.resources R4B) as application/fhir+json."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.measure import Measure
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization

from tests.capacity.fhir.conftest import BASE

FACILITY_SYSTEM = f"{BASE}/sid/facility-code"


def get(client: Client, path: str, status: int = 200, **params) -> dict:
    response = client.get(path, params)
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    return json.loads(response.content)


def same_as_models(model, doc: dict) -> None:
    assert json.loads(model.model_validate(doc).model_dump_json(exclude_none=True)) == doc


def test_metadata_is_a_public_capability_statement():
    doc = get(Client(), "/fhir/metadata")
    same_as_models(CapabilityStatement, doc)
    assert (doc["fhirVersion"], doc["format"], doc["kind"]) == ("4.0.1", ["json"], "instance")
    served = {r["type"]: [p["name"] for p in r.get("searchParam", [])] for r in doc["rest"][0]["resource"]}
    assert served["MeasureReport"] == ["subject", "date", "_count", "_offset"]
    assert set(served) == {"Location", "Organization", "MeasureReport", "Measure", "CodeSystem"}


def test_location_search_is_a_searchset_of_valid_locations(fhir_network, national):
    doc = get(national, "/fhir/Location")
    same_as_models(Bundle, doc)
    assert (doc["type"], doc["total"]) == ("searchset", 3)
    codes = [e["resource"]["identifier"][0]["value"] for e in doc["entry"]]
    assert codes == ["ALA-1", "ALA_2", "AST-1"]
    ala = doc["entry"][0]
    assert ala["fullUrl"] == "http://testserver/fhir/Location/ALA-1"
    assert ala["search"] == {"mode": "match"}
    Location.model_validate(ala["resource"])
    assert ala["resource"]["identifier"] == [{"system": FACILITY_SYSTEM, "value": "ALA-1"}]
    assert ala["resource"]["managingOrganization"] == {"reference": "Organization/ALA-1"}
    assert doc["entry"][1]["resource"]["id"] != "ALA_2"


@pytest.mark.parametrize(("params", "codes"), [
    ({"identifier": "AST-1"}, ["AST-1"]),
    ({"identifier": f"{FACILITY_SYSTEM}|ALA-1"}, ["ALA-1"]),
    ({"identifier": "urn:other|ALA-1"}, []),
    ({"_id": "ALA-1"}, ["ALA-1"]),
    ({"address-state": "KZ-75"}, ["ALA-1", "ALA_2"]),
    ({"address-state": "KZ-75", "_id": "AST-1"}, []),
])
def test_location_search_parameters(fhir_network, national, params, codes):
    doc = get(national, "/fhir/Location", **params)
    assert [e["resource"]["identifier"][0]["value"] for e in doc.get("entry", [])] == codes
    assert doc["total"] == len(codes)


def test_paging_links(fhir_network, national):
    first = get(national, "/fhir/Location", _count="2")
    assert [link["relation"] for link in first["link"]] == ["self", "next"]
    assert first["link"][1]["url"] == "http://testserver/fhir/Location?_count=2&_offset=2"
    second = get(national, "/fhir/Location", _count="2", _offset="2")
    assert [e["resource"]["identifier"][0]["value"] for e in second["entry"]] == ["AST-1"]
    assert [link["relation"] for link in second["link"]] == ["self"]


def test_reads_by_id_and_not_found(fhir_network, national):
    loc = get(national, "/fhir/Location/ALA-1")
    same_as_models(Location, loc)
    org = get(national, "/fhir/Organization/ALA-1")
    same_as_models(Organization, org)
    assert org["identifier"] == loc["identifier"]
    uuid_id = get(national, "/fhir/Location", identifier="ALA_2")["entry"][0]["resource"]["id"]
    assert get(national, f"/fhir/Location/{uuid_id}")["identifier"][0]["value"] == "ALA_2"
    missing = get(national, "/fhir/Location/NOPE-1", 404)
    same_as_models(OperationOutcome, missing)
    assert missing["issue"][0]["code"] == "not-found"
    assert get(national, "/fhir/Patient", 404)["issue"][0]["code"] == "not-supported"


def test_measure_report_search_by_subject_and_date(fhir_network, national):
    everything = get(national, "/fhir/MeasureReport")
    same_as_models(Bundle, everything)
    assert everything["total"] == 3
    # Newest first: AST-1 10 min ago, ALA-1 30 min ago, ALA-1 two days ago (NOW = 2026-03-10T06:00Z).
    assert [(e["resource"]["subject"]["identifier"]["value"], e["resource"]["date"]) for e in everything["entry"]] == [
        ("AST-1", "2026-03-10T05:50:00Z"), ("ALA-1", "2026-03-10T05:30:00Z"), ("ALA-1", "2026-03-08T06:00:00Z")]
    ala = get(national, "/fhir/MeasureReport", subject="Location/ALA-1")
    assert ala["total"] == 2
    assert get(national, "/fhir/MeasureReport", subject=f"{BASE}/Location/ALA-1")["total"] == 2
    assert get(national, "/fhir/MeasureReport", subject="ALA-1")["total"] == 2
    assert get(national, "/fhir/MeasureReport", subject="Organization/ALA-1")["total"] == 0
    old = ala["entry"][1]["resource"]
    assert {g["code"]["coding"][0]["code"]: [p.get("count") for p in g["population"]] for g in old["group"]} == {
        "AdultICU": [10, 6, 4, None], "Burn": [4, 1, 3, None], "Beds": [14, 7, 10, 6], "Ventilators": [5, 2]}
    by_date = {q: [e["resource"]["date"] for e in get(national, "/fhir/MeasureReport", date=q).get("entry", [])]
               for q in ("2026-03-08", "ge2026-03-09", "le2026-03-09", "gt2026-03-10T05:30:00Z",
                         "lt2026-03-10T05:30:00Z", "2026-03")}
    assert by_date == {
        "2026-03-08": ["2026-03-08T06:00:00Z"],
        "ge2026-03-09": ["2026-03-10T05:50:00Z", "2026-03-10T05:30:00Z"],
        "le2026-03-09": ["2026-03-08T06:00:00Z"],
        "gt2026-03-10T05:30:00Z": ["2026-03-10T05:50:00Z"],
        "lt2026-03-10T05:30:00Z": ["2026-03-08T06:00:00Z"],
        "2026-03": ["2026-03-10T05:50:00Z", "2026-03-10T05:30:00Z", "2026-03-08T06:00:00Z"],
    }
    both = national.get("/fhir/MeasureReport?subject=Location/ALA-1&date=ge2026-03-08&date=le2026-03-09")
    assert [e["resource"]["date"] for e in json.loads(both.content)["entry"]] == ["2026-03-08T06:00:00Z"]


@pytest.mark.parametrize(("url", "fragment"), [
    ("/fhir/MeasureReport?date=yesterday", "date"),
    ("/fhir/MeasureReport?date=ne2026-03-10", "date"),
    ("/fhir/MeasureReport?date=2026-13-01", "date"),
    ("/fhir/MeasureReport?patient=x", "patient"),
    ("/fhir/Location?_count=0", "_count"),
    ("/fhir/Location?_count=many", "_count"),
    ("/fhir/Location?name=x", "name"),
])
def test_bad_searches_are_400_operation_outcomes(fhir_network, national, url, fragment):
    response = national.get(url)
    assert response.status_code == 400
    doc = json.loads(response.content)
    same_as_models(OperationOutcome, doc)
    assert fragment in doc["issue"][0]["diagnostics"]


def test_writes_are_refused(national):
    response = national.post("/fhir/Location", data="{}", content_type="application/fhir+json")
    assert response.status_code == 405
    assert json.loads(response.content)["issue"][0]["code"] == "not-supported"


def test_the_measure_and_every_code_system_used_are_published(fhir_network, national):
    reports = get(national, "/fhir/MeasureReport")["entry"]
    locations = get(national, "/fhir/Location")["entry"]
    measure_url = reports[0]["resource"]["measure"]
    assert measure_url == f"{BASE}/Measure/HospitalBedCapacity"
    [measure] = get(Client(), "/fhir/Measure", url=measure_url)["entry"]
    same_as_models(Measure, measure["resource"])
    assert get(Client(), "/fhir/Measure/HospitalBedCapacity")["url"] == measure_url
    used: set[str] = set()

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("system"), str) and node["system"].startswith(f"{BASE}/CodeSystem/"):
                used.add(node["system"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect([e["resource"] for e in reports + locations])
    collect(get(national, "/fhir/Organization")["entry"])
    assert used == {f"{BASE}/CodeSystem/{n}" for n in (
        "havbed-bed-type", "bed-population", "facility-kind", "facility-ownership")}
    served = get(Client(), "/fhir/CodeSystem")
    same_as_models(Bundle, served)
    by_url = {e["resource"]["url"]: e["resource"] for e in served["entry"]}
    assert used <= set(by_url)
    for resource in by_url.values():
        same_as_models(CodeSystem, resource)
    assert {c["code"] for c in by_url[f"{BASE}/CodeSystem/facility-kind"]["concept"]} >= {"burns", "city_hospital"}
    assert get(Client(), "/fhir/CodeSystem/trauma-level")["count"] == 3
    assert get(Client(), "/fhir/CodeSystem/nope", 404)["issue"][0]["code"] == "not-found"

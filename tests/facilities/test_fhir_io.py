"""Facilities as a FHIR R4 Bundle: valid per fhir.resources (R4B), standard fields, exact round trip, and
all-or-nothing import with errors naming the entry index and field."""

from __future__ import annotations

import copy
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from jedel.accounts.models import AuditEvent, Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.facilities.io import ImportFailed
from jedel.facilities.io.csv_format import COLUMNS, facilities_import_csv
from jedel.facilities.io.fhir_bundle import facilities_export_fhir
from jedel.facilities.io.fhir_import import facilities_import_fhir
from jedel.facilities.models import Facility
from jedel.facilities.selectors import facility_list

# Written out, not taken from the code under test: the test settings' canonical base.
BASE = "http://127.0.0.1:8000/fhir"
CODE_SYSTEM, KIND_CS, TRAUMA_CS, CAPABILITY_CS = (f"{BASE}/sid/facility-code", f"{BASE}/CodeSystem/facility-kind",
                                                  f"{BASE}/CodeSystem/trauma-level",
                                                  f"{BASE}/CodeSystem/facility-capability")
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
NATIONAL = Principal(label="ncc", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)
CSV = "\n".join([
    ",".join(COLUMNS),
    ("AST-1,National Centre,Ұлттық орталық,Национальный центр,national_centre,public,KZ-71,1526273,51.1801,"
     "71.44598,1,neurosurgery;helipad;ct,60,false"),
    "ALA-1,City Hospital 1,,Городская больница 1,city_hospital,private,KZ-75,,43.25,76.95,,,240,true",
]) + "\n"


@pytest.fixture(autouse=True)
def _fhir_base(settings):
    settings.JEDEL_FHIR_BASE = BASE


@pytest.fixture
def registry(kz):
    facilities_import_csv(CSV, actor=NATIONAL)
    return kz


def export() -> str:
    return facilities_export_fhir(facility_list())


def test_export_is_a_valid_r4_collection_of_organization_and_location_pairs(registry):
    text = export()
    doc = json.loads(text)
    # Not validated per request (seconds for the national file): what we write is what the models write.
    assert json.loads(Bundle.model_validate(doc).model_dump_json(exclude_none=True)) == doc
    assert text == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert (doc["resourceType"], doc["type"], len(doc["entry"])) == ("Bundle", "collection", 4)
    assert [e["resource"]["resourceType"] for e in doc["entry"]] == ["Organization", "Location"] * 2
    org, loc = (e["resource"] for e in doc["entry"][2:])
    assert org["identifier"] == loc["identifier"] == [{"system": CODE_SYSTEM, "value": "AST-1"}]
    assert loc["managingOrganization"]["reference"] == doc["entry"][2]["fullUrl"]
    assert loc["position"] == {"longitude": 71.44598, "latitude": 51.1801}
    address = loc["address"]
    assert (address["state"], address["country"], address["city"]) == ("KZ-71", "KZ", "Astana")
    assert [(t["coding"][0]["system"], t["coding"][0]["code"]) for t in loc["type"]] == [
        (ROLE_CODE, "HOSP"), (KIND_CS, "national_centre"), (TRAUMA_CS, "1"), (CAPABILITY_CS, "neurosurgery"),
        (CAPABILITY_CS, "helipad"), (CAPABILITY_CS, "ct")]
    langs = {x["extension"][0]["valueCode"]: x["extension"][1]["valueString"]
             for x in loc["_name"]["extension"]}
    assert (loc["name"], langs) == ("National Centre", {"kk": "Ұлттық орталық", "ru": "Национальный центр"})
    assert loc["extension"][0]["valueDuration"]["value"] == 60
    assert "meta" not in loc
    synthetic = doc["entry"][1]["resource"]
    assert synthetic["meta"]["tag"][0]["code"] == "HTEST"


def test_export_import_export_is_identical_through_an_empty_registry(registry):
    first = export()
    Facility.objects.all().delete()
    result = facilities_import_fhir(first, actor=NATIONAL)
    assert (result.created, result.updated) == (2, 0)
    assert export() == first
    f = Facility.objects.get(code="ALA-1")
    assert (f.ownership, f.synthetic, f.town, f.name_kk, f.name_ru) == ("private", True, None, "",
                                                                        "Городская больница 1")
    assert AuditEvent.objects.filter(action="facility_import", changes__source="fhir").count() == 1


def test_reimport_of_an_export_changes_nothing(registry):
    result = facilities_import_fhir(export().encode(), actor=NATIONAL)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def _bundle(registry_export: str) -> dict:
    return json.loads(registry_export)


def test_required_fhir_fields_are_reported_per_entry(kz):
    doc = {"resourceType": "Bundle", "type": "collection",
           "entry": [{"resource": {"resourceType": "Location", "position": {}}}]}
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert [(i.index, i.field, i.message) for i in exc.value.issues] == [
        (0, "Location.position.latitude", "Value for the field 'latitude' is required."),
        (0, "Location.position.longitude", "Value for the field 'longitude' is required.")]


def test_fhir_validation_errors_name_the_entry_and_field(registry):
    doc = _bundle(export())
    doc["entry"][3]["resource"]["position"]["latitude"] = "north"
    doc["entry"][0]["resource"]["colour"] = "red"
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert [(i.where, i.index, i.field, i.code.value) for i in exc.value.issues] == [
        ("entry", 0, "Organization.colour", "bad_entry"),
        ("entry", 3, "Location.position.latitude", "bad_entry"),
    ]
    assert str(exc.value.issues[1]).startswith("entry 3: Location.position.latitude: ")


def test_registry_rule_errors_name_the_entry_and_fhir_field(registry):
    doc = _bundle(export())
    loc = doc["entry"][3]["resource"]
    loc["address"]["state"] = "KZ-99"
    loc["position"]["latitude"] = 60.5
    doc["entry"][1]["resource"]["identifier"] = []
    del doc["entry"][1]["resource"]["identifier"]
    Facility.objects.all().delete()
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert [(i.index, i.field, i.code.value, i.message) for i in exc.value.issues] == [
        (1, "Location.identifier", "bad_entry", "needs an identifier with system http://127.0.0.1:8000/fhir/sid/facility-code, or another system's "
            "identifier that is a valid facility code"),
        (3, "Location.address.state", "unknown_region", "unknown region 'KZ-99' (ISO 3166-2, e.g. KZ-75)"),
        (3, "Location.position.latitude", "bad_entry", "must be between 40 and 56"),
    ]
    assert not Facility.objects.exists()


def test_duplicate_codes_and_foreign_resources_are_rejected(registry):
    doc = _bundle(export())
    twin = copy.deepcopy(doc["entry"][1])
    twin["fullUrl"] = "urn:uuid:00000000-0000-5000-8000-000000000001"
    doc["entry"].append(twin)
    doc["entry"].append({"resource": {"resourceType": "Patient"}})
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert [(i.index, i.field, i.code.value) for i in exc.value.issues] == [
        (4, "Location.identifier", "duplicate_code"), (5, "resourceType", "bad_entry")]
    assert exc.value.issues[0].message == "code ALA-1 is also on entry 1"


def test_missing_managing_organization(registry):
    doc = _bundle(export())
    elsewhere = "urn:uuid:00000000-0000-5000-8000-00000000dead"
    doc["entry"][1]["resource"]["managingOrganization"]["reference"] = elsewhere
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert [(i.index, i.field) for i in exc.value.issues] == [(1, "Location.managingOrganization")]


@pytest.mark.parametrize(("text", "field"), [
    ("{not json", "json"),
    ('{"resourceType": "Patient"}', "resourceType"),
    ('{"resourceType": "Bundle"}', "type"),
    ('{"resourceType": "Bundle", "type": "collection", "entry": "x"}', "entry"),
])
def test_document_level_errors(kz, text, field):
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(text, actor=NATIONAL)
    [issue] = exc.value.issues
    assert (issue.where, issue.field, issue.code.value) == ("document", field, "fhir_invalid")
    assert exc.value.as_dict()["detail"][0]["loc"] == [field]


def test_a_reporting_interval_without_a_value_is_an_entry_error(registry):
    doc = _bundle(export())
    del doc["entry"][1]["resource"]["extension"][0]["valueDuration"]["value"]
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert [(i.index, i.field, i.code.value) for i in exc.value.issues] == [
        (1, "Location.extension(reporting-interval)", "bad_entry")]

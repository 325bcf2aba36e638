"""Ordinary foreign FHIR R4 Location/Organization bundles import (issue 7): relative references resolved
within the Bundle, v3-RoleCode facility types mapped to the registry's kinds, foreign identifier systems
mapped (the value kept as the code, so a re-import matches the same facilities).

fixtures/foreign-locations.fhir.json is written from the FHIR R4 published examples (location-example
"South Wing, second floor" with its identifier B1-S.F2 and managingOrganization Organization/f001,
organization-example-f001-burgers, location-example-ambulance) with Kazakh addresses and coordinates, as the
registry holds only Kazakh facilities, plus one Location with two RoleCodes and a Russian region name."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.facilities.io import ImportFailed
from jedel.facilities.io.fhir_import import facilities_import_fhir
from jedel.facilities.models import Facility
from tests.capacity.capacity_helpers import make_facility

NATIONAL = Principal(label="ncc", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)
FIXTURE = Path(__file__).parent / "fixtures" / "foreign-locations.fhir.json"


def bundle() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_a_foreign_bundle_imports_with_mapped_kinds_regions_and_identifiers(kz):
    result = facilities_import_fhir(FIXTURE.read_bytes(), actor=NATIONAL)
    assert (result.created, result.updated) == (3, 0)
    got = {f.code: (f.name_en, f.kind, f.region.iso_code, f.lat, f.lon, f.ownership, f.reporting_interval_min)
           for f in Facility.objects.select_related("region")}
    assert got == {
        "B1-S.F2": ("South Wing, second floor", "city_hospital", "KZ-75", 43.238, 76.945, "public", 240),
        "BUMC-AMB-1": ("BUMC Ambulance", "ambulance_station", "KZ-75", 43.25, 76.9, "public", 240),
        "91654-BURN": ("Burns unit", "burns", "KZ-75", 43.24, 76.95, "public", 240),
    }
    again = facilities_import_fhir(FIXTURE.read_bytes(), actor=NATIONAL)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_foreign_identifier_matches_an_existing_facility(kz):
    existing = make_facility(kz["KZ-75"], "B1-S.F2", kind="city_hospital")
    result = facilities_import_fhir(FIXTURE.read_bytes(), actor=NATIONAL)
    assert (result.created, result.updated) == (2, 1)
    existing.refresh_from_db()
    assert (existing.name_en, existing.lat) == ("South Wing, second floor", 43.238)


def test_a_relative_reference_to_a_missing_organization_is_an_entry_error(kz):
    doc = bundle()
    doc["entry"][1]["resource"]["managingOrganization"]["reference"] = "Organization/f999"
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert [(i.index, i.field, i.message) for i in exc.value.issues] == [
        (1, "Location.managingOrganization", "must refer to an Organization entry of this Bundle")]


def test_an_unmapped_facility_type_and_an_unusable_identifier_are_reported(kz):
    doc = bundle()
    loc = doc["entry"][2]["resource"]
    loc["type"][0]["coding"][0]["code"] = "SLEEP"
    loc["identifier"] = [{"system": "urn:x", "value": "not a code!"}]
    with pytest.raises(ImportFailed) as exc:
        facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert [(i.index, i.field) for i in exc.value.issues] == [
        (2, "Location.identifier"), (2, "Location.type(facility-kind)")]
    assert "AMB, BURN, CHR, ER, ETU" in exc.value.issues[1].message
    assert not Facility.objects.exists()


def test_our_own_earlier_identifier_system_still_matches(kz):
    doc = copy.deepcopy(bundle())
    doc["entry"][1]["resource"]["identifier"] = [{"system": "urn:jedel:facility-code", "value": "ALA-OLD"},
                                                 {"value": "B1-S.F2"}]
    facilities_import_fhir(json.dumps(doc), actor=NATIONAL)
    assert Facility.objects.filter(code="ALA-OLD").exists()
    assert not Facility.objects.filter(code="B1-S.F2").exists()

"""SANER-style FHIR MeasureReports: exact populations and scores per facility and per region, valid FHIR
(fhir.resources R4B models), the same shape as the HL7 SANER example, and byte-identical on repeat."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.measurereport import MeasureReport

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import NotFound
from jedel.capacity.interop.saner import saner_export, saner_export_chunks
from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus
from jedel.facilities.models import Facility

SANER_EXAMPLE = (Path(__file__).parents[2] / ".." / "shared" / "schemas" / "fhir-saner" / "examples"
                 / "MeasureReport-ExampleNJ-20200404-CDCPatientImpactAndHospitalCapacity.json")
# Written out, not taken from the code under test.
BASE = "https://jedel.example.org/fhir"
BED_POPULATION_SYSTEM, BED_TYPE_SYSTEM, MEASURE_URL = (f"{BASE}/CodeSystem/bed-population",
                                                       f"{BASE}/CodeSystem/havbed-bed-type",
                                                       f"{BASE}/Measure/HospitalBedCapacity")
NOW = datetime(2026, 3, 10, 6, 0, 30, 123456, tzinfo=UTC)
NATIONAL = Principal(label="ncc", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)
DATA_ABSENT = {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                              "valueCode": "unknown"}]}


def facility(region, code: str, **extra) -> Facility:
    fields = {"name_en": f"Hospital {code}", "kind": "city_hospital", "lat": 43.25, "lon": 76.95, **extra}
    return Facility.objects.create(code=code, region=region, **fields)


def status(f: Facility, at: datetime, beds: tuple = (), **fields) -> None:
    report = CapacityReport.objects.create(facility=f, reported_at=at, received_at=at, source="web",
                                           reporter="test", **fields)
    for bed_type, staffed, occupied, available, surge in beds:
        BedCapacity.objects.create(report=report, bed_type=bed_type, staffed=staffed, occupied=occupied,
                                   available=available, surge_24h=surge)
    FacilityStatus.objects.create(facility=f, report=report, reported_at=at)


@pytest.fixture(autouse=True)
def _fhir_base(settings):
    settings.JEDEL_FHIR_BASE = BASE


@pytest.fixture
def network(kz):
    """KZ-75: B (on time, full), A (overdue, partial figures), C (never reported); KZ-11: one hospital."""
    b = facility(kz["KZ-75"], "ALA-B")
    status(b, datetime(2026, 3, 10, 5, 30, 0, 900000, tzinfo=UTC),
           beds=(("AdultICU", 12, 10, 2, 3), ("Burn", 4, 4, 0, None)), ventilators_total=10, ventilators_in_use=4)
    a = facility(kz["KZ-75"], "ALA-A", reporting_interval_min=60)
    status(a, datetime(2026, 3, 10, 3, 0, tzinfo=UTC), beds=(("AdultICU", 8, None, 5, None),),
           ventilators_total=3)
    facility(kz["KZ-75"], "ALA-C")
    status(facility(kz["KZ-11"], "AKM-A"), datetime(2026, 3, 10, 4, 0, tzinfo=UTC),
           beds=(("MedicalSurgical", 50, 20, 30, 10),))
    return kz


def export(region: str | None = "KZ-75", scope: str = "facility") -> dict:
    return saner_export(actor=NATIONAL, region_iso=region, scope=scope, now=NOW)  # type: ignore[arg-type]


def groups(report: dict) -> dict[str, dict]:
    """code → {population code: count (or 'absent')} plus 'score' → measureScore value."""
    out = {}
    for g in report["group"]:
        pops = {p["code"]["coding"][0]["code"]: p.get("count", "absent" if p.get("_count") == DATA_ABSENT else None)
                for p in g["population"]}
        out[g["code"]["coding"][0]["code"]] = {**pops, "score": g.get("measureScore", {}).get("value")}
    return out


def test_one_report_per_reporting_facility_with_exact_figures(network):
    bundle = export()
    assert (bundle["resourceType"], bundle["type"], bundle["timestamp"]) == ("Bundle", "collection",
                                                                             "2026-03-10T06:00:30Z")
    reports = [e["resource"] for e in bundle["entry"]]
    assert [r["subject"]["identifier"]["value"] for r in reports] == ["ALA-A", "ALA-B"]
    a, b = reports
    assert groups(b) == {
        "AdultICU": {"staffed": 12, "occupied": 10, "available": 2, "surge24h": 3, "score": 2},
        "Burn": {"staffed": 4, "occupied": 4, "available": 0, "surge24h": "absent", "score": 0},
        "Beds": {"numTotBeds": 16, "numBedsOcc": 14, "numICUBeds": 12, "numICUBedsOcc": 10, "score": None},
        "Ventilators": {"numVent": 10, "numVentUse": 4, "score": 6},
    }
    # A: occupancy and surge not reported, in-use ventilators unknown, so no free-ventilator score.
    assert groups(a) == {
        "AdultICU": {"staffed": 8, "occupied": "absent", "available": 5, "surge24h": "absent", "score": 5},
        "Beds": {"numTotBeds": 8, "numBedsOcc": "absent", "numICUBeds": 8, "numICUBedsOcc": "absent",
                 "score": None},
        "Ventilators": {"numVent": 3, "numVentUse": "absent", "score": None},
    }
    assert b["period"] == {"start": "2026-03-10T05:30:00Z", "end": "2026-03-10T05:30:00Z"}
    assert b["date"] == "2026-03-10T06:00:30Z"
    assert b["subject"] == {
        "extension": [{"url": "http://hl7.org/fhir/us/saner/StructureDefinition/GeoLocation",
                       "extension": [{"url": "latitude", "valueDecimal": 43.25},
                                     {"url": "longitude", "valueDecimal": 76.95}]}],
        "reference": f"{BASE}/Location/ALA-B",
        "type": "Location", "identifier": {"system": f"{BASE}/sid/facility-code", "value": "ALA-B"},
        "display": "Hospital ALA-B"}
    assert b["reporter"] == {"reference": f"{BASE}/Organization/ALA-B", "type": "Organization",
                             "identifier": b["subject"]["identifier"], "display": "Hospital ALA-B"}
    assert b["text"]["div"] == '<div xmlns="http://www.w3.org/1999/xhtml"><p>Hospital ALA-B: 2 beds available.</p></div>'
    icu = b["group"][0]
    assert icu["code"] == {"coding": [{"system": BED_TYPE_SYSTEM, "code": "AdultICU", "display": "Adult ICU"}]}
    assert icu["population"][0]["code"]["coding"] == [
        {"system": BED_POPULATION_SYSTEM, "code": "staffed"},
        {"system": "http://terminology.hl7.org/CodeSystem/measure-population", "code": "initial-population"}]
    assert icu["measureScore"] == {"value": 2, "unit": "beds", "system": "http://unitsofmeasure.org",
                                   "code": "{beds}"}


def test_one_report_per_region_sums_the_current_reports_and_states_coverage(network):
    [entry] = export(scope="region")["entry"]
    report = entry["resource"]
    assert report["subject"]["identifier"] == {"system": "urn:iso:std:iso:3166:-2", "value": "KZ-75"}
    assert groups(report) == {
        # Occupied sums only what was reported (B's 10); A's unknown occupancy adds nothing.
        "AdultICU": {"staffed": 20, "occupied": 10, "available": 7, "surge24h": 3, "score": 7},
        "Burn": {"staffed": 4, "occupied": 4, "available": 0, "surge24h": "absent", "score": 0},
        "Beds": {"numTotBeds": 24, "numBedsOcc": 14, "numICUBeds": 20, "numICUBedsOcc": 10, "score": None},
        "Ventilators": {"numVent": 13, "numVentUse": 4, "score": None},
        "facilities": {"facilities": 3, "reporting": 1, "overdue": 2, "score": None},
    }
    assert report["period"] == {"start": "2026-03-10T03:00:00Z", "end": "2026-03-10T05:30:00Z"}
    assert report["reporter"] == {"identifier": {"system": f"{BASE}/sid/system", "value": "jedel"},
                                  "display": "Jedel"}
    assert report["text"]["div"] == ('<div xmlns="http://www.w3.org/1999/xhtml"><p>Almaty: 7 beds available. '
                                     "1 of 3 inpatient facilities reported on time.</p></div>")


def test_every_region_gets_a_report_sorted_by_iso_code_even_without_facilities(network):
    reports = [e["resource"] for e in export(None, "region")["entry"]]
    codes = [r["subject"]["identifier"]["value"] for r in reports]
    assert len(codes) == 20 and codes == sorted(codes)
    empty = next(r for r in reports if r["subject"]["identifier"]["value"] == "KZ-10")
    assert groups(empty) == {"facilities": {"facilities": 0, "reporting": 0, "overdue": 0, "score": None}}
    assert empty["period"] == {"start": "2026-03-10T06:00:30Z", "end": "2026-03-10T06:00:30Z"}


def test_reports_validate_as_fhir_and_meet_the_saner_profile_rules(network):
    for scope in ("facility", "region"):
        bundle = export(None, scope)
        # Not validated per request: what we write must be exactly what the FHIR models write.
        assert json.loads(Bundle.model_validate(bundle).model_dump_json(exclude_none=True)) == bundle
        for entry in bundle["entry"]:
            report = entry["resource"]
            MeasureReport.model_validate(report)
            assert entry["fullUrl"] == f"urn:uuid:{report['id']}" == report["identifier"][0]["value"]
            # PublicHealthMeasureReport: summary, reporter present, subject identifier, precise instants.
            assert (report["status"], report["type"], report["measure"]) == ("complete", "summary", MEASURE_URL)
            assert report["reporter"] and report["subject"]["identifier"]["value"]
            for moment in (report["date"], report["period"]["start"], report["period"]["end"]):
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", moment)
            for group in report["group"]:
                assert group["code"]["coding"][0]["code"]
                for population in group["population"]:
                    assert population["code"]["coding"][0]["code"]
                    assert ("count" in population) != (population.get("_count") == DATA_ABSENT)


def test_our_report_has_every_element_the_saner_example_has(network):
    if not SANER_EXAMPLE.is_file():
        pytest.skip("../shared/schemas/fhir-saner is absent")
    example = json.loads(SANER_EXAMPLE.read_text())
    MeasureReport.model_validate(example)  # the reference parses with the models we validate with
    ours = export(scope="region")["entry"][0]["resource"]
    assert set(example) - {"meta"} <= set(ours)  # meta.profile deliberately not claimed (US Core subject)
    assert set(example["subject"]) - {"reference"} <= set(ours["subject"])
    assert ours["subject"]["extension"][0]["url"] == example["subject"]["extension"][0]["url"]
    assert [e["url"] for e in ours["subject"]["extension"][0]["extension"]] == \
        [e["url"] for e in example["subject"]["extension"][0]["extension"]]
    ex_pop, our_pop = example["group"][0]["population"][0], ours["group"][0]["population"][0]
    assert [c["system"] for c in our_pop["code"]["coding"]][1] == ex_pop["code"]["coding"][1]["system"]
    absent = next(p for g in example["group"] for p in g["population"] if "_count" in p)
    assert absent["_count"]["extension"][0]["url"] == DATA_ABSENT["extension"][0]["url"]
    ex_vent = next(g for g in example["group"] if g["code"]["coding"][0]["code"] == "Ventilators")
    our_vent = next(g for g in ours["group"] if g["code"]["coding"][0]["code"] == "Ventilators")
    assert our_vent["code"] == ex_vent["code"]
    assert [p["code"]["coding"][0] for p in our_vent["population"]] == \
        [{"system": c["system"], "code": c["code"]} for c in (p["code"]["coding"][0] for p in ex_vent["population"])]
    # The standard Beds group: the example's codes (numbeds aside: Jedel has no separate inpatient count).
    ex_beds = next(g for g in example["group"] if g["code"]["coding"][0]["code"] == "Beds")
    our_beds = next(g for g in ours["group"] if g["code"]["coding"][0]["code"] == "Beds")
    assert our_beds["code"] == ex_beds["code"]
    ex_codes = {p["code"]["coding"][0]["code"]: p["code"]["coding"][0] for p in ex_beds["population"]}
    assert [p["code"]["coding"][0] for p in our_beds["population"]] == [
        ex_codes[c] for c in ("numTotBeds", "numBedsOcc", "numICUBeds", "numICUBedsOcc")]


def test_streamed_export_is_the_export(network):
    for scope in ("facility", "region"):
        text = b"".join(saner_export_chunks(actor=NATIONAL, region_iso=None, scope=scope, now=NOW))  # type: ignore[arg-type]
        assert json.loads(text) == export(None, scope)


def test_output_is_deterministic(network):
    assert json.dumps(export(None, "facility")) == json.dumps(export(None, "facility"))
    assert json.dumps(export(None, "region")) == json.dumps(export(None, "region"))
    first = export(scope="facility")["entry"][0]["resource"]["id"]
    assert first == export(scope="facility")["entry"][0]["resource"]["id"]


def test_an_unknown_region_is_not_found(kz):
    with pytest.raises(NotFound) as exc:
        export("KZ-99")
    assert (exc.value.code.value, exc.value.field) == ("unknown_region", "region")


def test_reports_and_the_facility_bundle_name_a_facility_the_same_way(network):
    """A consumer joins MeasureReport.subject to the Bundle's Location by identifier (and by id)."""
    from jedel.facilities.io.fhir_bundle import facilities_export_fhir
    from jedel.facilities.selectors import facility_list

    locations = {e["resource"]["identifier"][0]["value"]: e["resource"]
                 for e in json.loads(facilities_export_fhir(facility_list()))["entry"]
                 if e["resource"]["resourceType"] == "Location"}
    for entry in export(None)["entry"]:
        subject = entry["resource"]["subject"]
        location = locations[subject["identifier"]["value"]]
        assert location["identifier"] == [subject["identifier"]]
        assert subject["identifier"]["system"] == f"{BASE}/sid/facility-code"
        assert subject["reference"] == f"{BASE}/Location/{location['id']}"

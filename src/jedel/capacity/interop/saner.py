"""Bed capacity as HL7 FHIR R4 MeasureReports in the style of the HL7 SANER implementation guide
(Situational Awareness for Novel Epidemic Response, IG 0.1.0 on FHIR 4.0.1, PublicHealthMeasureReport).

Shape, as in the SANER examples: `status` complete, `type` summary, `measure` = a canonical Measure,
`subject` = the location reported on (identifier, display, SANER GeoLocation extension), `reporter`, `date`
and `period` precise to the second, one `group` per bed type with coded populations and a `measureScore`.
A figure nobody reported is sent as a data-absent-reason extension on `count`, never as 0 (SANER
HasValueOrDataAbsentReason). Jedel does not claim the SANER profile in `meta.profile`: the profile's subject
must be a US Core Location, which a Kazakh facility or region is not.

Populations per bed-type group (codes of bed_population_system()): staffed (initial-population), occupied
and available (measure-population), surge24h; measureScore = available beds (cohort scoring: the figure a
dispatcher needs). SANER's own groups follow, with its codes, so a consumer of the standard measure gets beds
and ventilators: "Beds" (numTotBeds, numBedsOcc, numICUBeds, numICUBedsOcc) and "Ventilators" (numVent,
numVentUse). A region report sums each facility's current report; a facility that did not report a figure
adds nothing, and the "facilities" group says how many facilities the figures cover.

URLs come from facilities/io/fhir_ids.py (the configurable canonical base): a facility report's subject has the
same identifier and Location id as the facility Bundle, and the Measure and CodeSystems are served at /fhir/
(capacity/fhir/). The dicts are built as `fhir.resources.R4B` (FHIR 4.3.0; fhir.resources 8 has no 4.0.1
package, and MeasureReport and Bundle are unchanged between R4 and R4B for every element used here) serialises
them, which the tests check; validating per request cost seconds for the national bundle.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from html import escape
from typing import Any, Literal

import orjson
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.capacity.interop import region_resolve, reported_rows
from jedel.capacity.models import BedType
from jedel.capacity.selectors.status import BED_TYPE_ORDER, ICU_BED_TYPES, StatusRow, status_rows
from jedel.geo.models import Region
from jedel.geo.selectors import region_list
from jedel.facilities.io.fhir_ids import codesystem_url, facility_reference, facility_system, fhir_base
from jedel.facilities.permissions import EXPORT

Scope = Literal["facility", "region"]
# Report ids are UUIDv5s of this key and the subject: fixed, so ids do not change with the canonical base.
_KEY_MEASURE = "https://jedel.kz/fhir/Measure/HospitalBedCapacity"

ISO_3166_2 = "urn:iso:std:iso:3166:-2"
SANER_GROUP_SYSTEM = "http://hl7.org/fhir/us/saner/CodeSystem/GroupSystem"
SANER_POPULATION_SYSTEM = "http://hl7.org/fhir/us/saner/CodeSystem/PopulationSystem"
SANER_GEOLOCATION = "http://hl7.org/fhir/us/saner/StructureDefinition/GeoLocation"
MEASURE_POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
UCUM = "http://unitsofmeasure.org"
BED_POPULATIONS = (("staffed", "initial-population"), ("occupied", "measure-population"),
                   ("available", "measure-population"), ("surge_24h", None))
# The SANER "Beds" group (CDC Patient Impact and Hospital Capacity measure): staffed beds of every bed type but
# operating rooms (not beds), and of the ICU types; numbeds is left out: Jedel has no separate inpatient count.
NOT_BEDS = frozenset({"OperatingRooms"})
SANER_BED_POPULATIONS = (("numTotBeds", "initial-population"), ("numBedsOcc", None), ("numICUBeds", None),
                         ("numICUBedsOcc", None))


# Canonical URLs, all under the configurable base (fhir_ids): functions, since the setting is read per call.
def measure_url() -> str:
    return f"{fhir_base()}/Measure/HospitalBedCapacity"


def bed_type_system() -> str:
    return codesystem_url("havbed-bed-type")  # codes = EDXL-HAVE 1.0 BedType names


def bed_population_system() -> str:
    return codesystem_url("bed-population")


def reporting_system() -> str:
    return codesystem_url("reporting")


def saner_export_chunks(*, actor: Principal | None, region_iso: str | None = None, scope: Scope = "facility",
                        now: datetime | None = None) -> Iterator[bytes]:
    """saner_export as UTF-8 JSON, one MeasureReport at a time (checks and reads happen before the first chunk)."""
    bundle = saner_export(actor=actor, region_iso=region_iso, scope=scope, now=now)
    entries = bundle.pop("entry", [])

    def chunks() -> Iterator[bytes]:
        head = orjson.dumps(bundle)
        if not entries:
            yield head
            return
        yield head[:-1] + b',"entry":['
        for i, entry in enumerate(entries):
            yield (b"," if i else b"") + orjson.dumps(entry)
        yield b"]}"
    return chunks()


def saner_export(*, actor: Principal | None, region_iso: str | None = None, scope: Scope = "facility",
                 now: datetime | None = None) -> dict[str, Any]:
    """A FHIR Bundle (collection) of MeasureReports, one per facility or per region, sorted by code.

    Built as the FHIR models serialise it and checked against fhir.resources in the tests, not per request
    (validating the national bundle took seconds)."""
    region = region_resolve(region_iso)
    require(actor, EXPORT, Target(region_id=region.pk if region else None))
    now = (now or utcnow()).astimezone(UTC).replace(microsecond=0)
    with _gc_paused():
        if scope == "facility":
            reports = [facility_report(row, now=now) for row in reported_rows(now=now, region=region)]
        else:
            rows = status_rows(now=now, region_id=region.pk if region else None)
            regions = [region] if region is not None else list(region_list().defer("boundary"))
            reports = [region_report(r, [row for row in rows if row.region_id == r.pk], now=now) for r in regions]
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection", "timestamp": _instant(now)}
    if reports:
        bundle["entry"] = [{"fullUrl": f"urn:uuid:{mr['id']}", "resource": mr} for mr in reports]
    return bundle


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a national export is built: it allocates ~200,000 small acyclic
    objects, which set off full collections over the whole process heap (measured: 0.55 s → 0.25 s to build
    855 reports). Collection resumes (and catches up) as soon as the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def facility_report(row: StatusRow, *, now: datetime) -> dict[str, Any]:
    """One facility's current report as a MeasureReport (period = the moment the figures were true)."""
    report = row.current
    assert report is not None
    identifier = {"system": facility_system(), "value": row.code}
    # The same identifier (and id) as the facility's Location and Organization (facilities/io/fhir_bundle.py).
    subject = {"extension": [_geo(row.lat, row.lon)], "reference": facility_reference(row.code),
               "type": "Location", "identifier": identifier, "display": row.names["en"]}
    reporter = {"reference": facility_reference(row.code, "Organization"), "type": "Organization",
                "identifier": identifier, "display": row.names["en"]}
    return _measure_report(subject=subject, reporter=reporter, rows=[row], now=now, with_reporting=False)


def region_report(region: Region, rows: list[StatusRow], *, now: datetime) -> dict[str, Any]:
    """The sum of a region's current facility reports as one MeasureReport, with reporting coverage."""
    subject = {"extension": [_geo(region.admin_center_lat, region.admin_center_lon)], "type": "Location",
               "identifier": {"system": ISO_3166_2, "value": region.iso_code}, "display": region.name_en}
    # The figures are compiled by this platform, not reported by a regional body: say so.
    reporter = {"identifier": {"system": f"{fhir_base()}/sid/system", "value": "jedel"}, "display": "Jedel"}
    return _measure_report(subject=subject, reporter=reporter, rows=rows, now=now, with_reporting=True)


def _measure_report(*, subject: dict[str, Any], reporter: dict[str, Any], rows: list[StatusRow], now: datetime,
                    with_reporting: bool) -> dict[str, Any]:
    reported = sorted(r.current.reported_at for r in rows if r.current is not None)
    start, end = (reported[0], reported[-1]) if reported else (now, now)
    key = f"{_KEY_MEASURE}|{subject['identifier']['system']}|{subject['identifier']['value']}|{_instant(end)}"
    report_id = str(uuid.uuid5(uuid.NAMESPACE_URL, key))
    groups = _bed_groups(rows) + _saner_beds_group(rows) + _ventilator_group(rows)
    type_system = bed_type_system()
    available = sum(g["measureScore"]["value"] for g in groups if g["code"]["coding"][0]["system"] == type_system)
    text = ngettext("%(subject)s: %(available)d bed available.", "%(subject)s: %(available)d beds available.",
                    available) % {"subject": subject["display"], "available": available}
    if with_reporting:
        groups.append(_reporting_group(rows))
        counts = {p["code"]["coding"][0]["code"]: p["count"] for p in groups[-1]["population"]}
        text += " " + _("%(reporting)d of %(facilities)d inpatient facilities reported on time.") % counts
    return {
        "resourceType": "MeasureReport", "id": report_id,
        "text": {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></div>'},
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{report_id}"}],
        "status": "complete", "type": "summary", "measure": measure_url(), "subject": subject,
        "date": _instant(now), "reporter": reporter,
        "period": {"start": _instant(start), "end": _instant(end)}, "group": groups,
    }


@lru_cache(maxsize=8)
def _bed_labels(language: str) -> dict[str, str]:
    # Translated once per language, not once per report (an export has hundreds).
    return {value: str(label) for value, label in BedType.choices}


def _bed_groups(rows: list[StatusRow]) -> list[dict[str, Any]]:
    labels = _bed_labels(get_language() or "en")
    type_system, population_system = bed_type_system(), bed_population_system()
    groups = []
    for bed_type in BED_TYPE_ORDER:
        figures = [r.beds[bed_type] for r in rows if bed_type in r.beds]
        if not figures:
            continue
        populations = [_population(population_system, name.replace("_", ""), basis,
                                   _sum(getattr(f, name) for f in figures)) for name, basis in BED_POPULATIONS]
        groups.append({
            "code": {"coding": [{"system": type_system, "code": bed_type, "display": labels[bed_type]}]},
            "population": populations,
            "measureScore": {"value": sum(f.available for f in figures), "unit": "beds", "system": UCUM,
                             "code": "{beds}"},
        })
    return groups


def _saner_beds_group(rows: list[StatusRow]) -> list[dict[str, Any]]:
    figures = [(t, f) for r in rows for t, f in r.beds.items() if t not in NOT_BEDS]
    if not figures:
        return []
    icu = [f for t, f in figures if t in ICU_BED_TYPES]
    counts = (_sum(f.staffed for _t, f in figures), _sum(f.occupied for _t, f in figures),
              _sum(f.staffed for f in icu), _sum(f.occupied for f in icu))
    return [{"code": {"coding": [{"system": SANER_GROUP_SYSTEM, "code": "Beds"}]},
             "population": [_population(SANER_POPULATION_SYSTEM, code, basis, n)
                            for (code, basis), n in zip(SANER_BED_POPULATIONS, counts, strict=True)]}]


def _ventilator_group(rows: list[StatusRow]) -> list[dict[str, Any]]:
    reports = [r.current for r in rows if r.current is not None]
    total = _sum(r.ventilators_total for r in reports)
    in_use = _sum(r.ventilators_in_use for r in reports)
    if total is None and in_use is None:
        return []
    group: dict[str, Any] = {
        "code": {"coding": [{"system": SANER_GROUP_SYSTEM, "code": "Ventilators"}]},
        "population": [_population(SANER_POPULATION_SYSTEM, "numVent", "initial-population", total),
                       _population(SANER_POPULATION_SYSTEM, "numVentUse", "measure-population", in_use)]}
    # Free ventilators only where both figures come from the same facilities; otherwise there is no score.
    both = [r for r in reports if r.ventilators_total is not None and r.ventilators_in_use is not None]
    if both and len(both) == len([r for r in reports if r.ventilators_total is not None]):
        free = sum((r.ventilators_total or 0) - (r.ventilators_in_use or 0) for r in both)
        group["measureScore"] = {"value": free, "unit": "ventilators", "system": UCUM, "code": "{ventilators}"}
    return [group]


def _reporting_group(rows: list[StatusRow]) -> dict[str, Any]:
    # As on the board: a facility is reporting when its current report is within its interval, overdue
    # otherwise (never reported included); the bed sums above still include overdue facilities' last figures.
    inpatient = [r for r in rows if r.is_inpatient]
    counts = (("facilities", "initial-population", len(inpatient)),
              ("reporting", "measure-population", sum(not r.overdue for r in inpatient)),
              ("overdue", "measure-population", sum(r.overdue for r in inpatient)))
    return {"code": {"coding": [{"system": reporting_system(), "code": "facilities"}]},
            "population": [_population(reporting_system(), code, basis, n) for code, basis, n in counts]}


def _population(system: str, code: str, basis: str | None, count: int | None) -> dict[str, Any]:
    coding = [{"system": system, "code": code}]
    if basis:
        coding.append({"system": MEASURE_POPULATION, "code": basis})
    population: dict[str, Any] = {"code": {"coding": coding}}
    if count is None:
        population["_count"] = {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "unknown"}]}
    else:
        population["count"] = count
    return population


def _sum(values: Any) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _geo(lat: float, lon: float) -> dict[str, Any]:
    return {"url": SANER_GEOLOCATION,
            "extension": [{"url": "latitude", "valueDecimal": lat}, {"url": "longitude", "valueDecimal": lon}]}


def _instant(moment: datetime) -> str:
    """dateTime precise to the second with an offset (SANER PreciseDateTime), in UTC."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

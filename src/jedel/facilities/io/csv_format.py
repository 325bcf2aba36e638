"""The Jedel facility CSV and referral-link CSV: documented formats, all-or-nothing import, exact export.

Facility CSV (UTF-8, comma-separated, RFC 4180 quoting; a leading BOM is accepted). Also read as Excel saves
it on a Russian or Kazakh Windows: semicolon-separated (told from the header line) with decimal commas in
lat/lon, and Windows-1251 when the file is not UTF-8. Cells that a spreadsheet would run as a formula (starting
with = + - @, tab or CR) are written with a leading apostrophe, which import removes. Line 1 is exactly

    code,name_en,name_kk,name_ru,kind,ownership,region_iso,town_geonameid,lat,lon,trauma_level,capabilities,reporting_interval_min,synthetic

and every other non-blank line is one facility:

- code: 1–32 letters, digits, '.', '_' or '-' (unique; the key for updates)
- name_en (required), name_kk, name_ru: names in English, Kazakh, Russian (at most 200 characters)
- kind: a FacilityKind value (national_centre, regional_multiprofile, city_hospital, central_district,
  childrens, perinatal, trauma, burns, infectious, psychiatric, polyclinic, ambulance_station,
  air_ambulance_base)
- ownership: public, private or departmental (empty = public)
- region_iso: ISO 3166-2 code of the first-level unit, e.g. KZ-75
- town_geonameid: GeoNames id of the town (must lie in the region), or empty
- lat, lon: WGS84 decimal degrees, lat 40–56, lon 46–88; stored rounded to 6 decimals
- trauma_level: 1 (highest), 2, 3, or empty
- capabilities: Capability values separated by ';' (burns;paediatric_surgery;neurosurgery;cath_lab;
  obstetric;dialysis;helipad;ct;mri;laboratory), or empty
- reporting_interval_min: minutes between capacity reports, 5–10080 (empty = 240)
- synthetic: true or false (also 1/0, yes/no; empty = false)

Import upserts by code: new codes are created, existing ones updated; facilities not in the file are left
alone, and an update never changes `active`. Export writes active facilities ordered by code, in exactly
this format (coordinates as the shortest decimal, capabilities in the order above), so CSV → import →
export reproduces a canonical file byte for byte.

Referral CSV: header `source_code,target_code,specialty` (specialty: a Specialty value). Import adds the
links listed (links already present are kept, none are removed).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from jedel.accounts.policy import Principal
from jedel.facilities.errors import FacilityError
from jedel.facilities.io import ImportFailed, ImportIssue, ParsedItem, decode, facilities_import_run
from jedel.facilities.models import Facility, ReferralLink, Specialty
from jedel.facilities.services.registry import UpsertResult, referral_links_upsert
from jedel.facilities.services.registry_rules import FacilitySpec, spec_from_facility

COLUMNS = ("code", "name_en", "name_kk", "name_ru", "kind", "ownership", "region_iso", "town_geonameid",
           "lat", "lon", "trauma_level", "capabilities", "reporting_interval_min", "synthetic")
REFERRAL_COLUMNS = ("source_code", "target_code", "specialty")
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}
_SAME_NAMES = {c: c for c in COLUMNS}


class _BadValue(ValueError):
    pass


def _int(text: str, default: int | None = None) -> int | None:
    if text == "":
        return default
    try:
        return int(text)
    except ValueError:
        raise _BadValue(_("must be a whole number, not %(v)r") % {"v": text}) from None


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _BadValue(_("must be a number, not %(v)r") % {"v": text}) from None
    if not math.isfinite(value):
        raise _BadValue(_("must be a finite number"))
    return value


def _bool(text: str) -> bool:
    low = text.lower()
    if low not in _TRUE | _FALSE:
        raise _BadValue(_("must be true or false, not %(v)r") % {"v": text})
    return low in _TRUE


_PARSERS: dict[str, Callable[[str], Any]] = {
    "town_geonameid": _int, "trauma_level": _int, "lat": _float, "lon": _float, "synthetic": _bool,
    "reporting_interval_min": lambda t: _int(t, 240),
    "capabilities": lambda t: tuple(c.strip() for c in t.split(";") if c.strip()),
    "ownership": lambda t: t or "public",
    "region_iso": str.upper,
}


def sniff_delimiter(text: str) -> str:
    """',' or ';' (Excel's delimiter where the decimal separator is a comma, as in Russian or Kazakh Windows),
    told by csv.Sniffer from the header line alone: the data lines may quote anything."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:
        return ","


# OWASP "CSV Injection": a cell starting with one of these is a formula to a spreadsheet. On export such a cell
# gets a leading apostrophe (shown as text by Excel and LibreOffice); import removes exactly one again. Cells
# that already start with apostrophes before such a character get one more, so the mapping is reversible.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    """The cell as written to a CSV: an apostrophe before anything a spreadsheet would run as a formula."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    """The inverse of escape_cell."""
    return value[1:] if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS) else value


def _records(text: str, delimiter: str = ",") -> Iterator[tuple[int, list[str] | str]]:
    """(first physical line number, fields) per CSV record; quoted fields may span lines. A record the csv
    module cannot read (a NUL byte, an unterminated quote) comes as its error text, and ends the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, str(exc)
            return
        yield start, row
        start = reader.line_num + 1


def _header_issue(header: list[str] | str, expected: tuple[str, ...]) -> ImportIssue | None:
    if isinstance(header, str):
        return ImportIssue("line", 1, "header", FacilityError.BAD_HEADER, header)
    got = [h.strip() for h in header]
    if tuple(got) == expected:
        return None
    missing = [c for c in expected if c not in got]
    unknown = [c for c in got if c not in expected]
    parts = []
    if missing:
        parts.append(_("missing columns: %(c)s") % {"c": ", ".join(missing)})
    if unknown:
        parts.append(_("unknown columns: %(c)s") % {"c": ", ".join(unknown)})
    if not parts:
        parts.append(_("columns must be exactly, in this order: %(c)s") % {"c": ",".join(expected)})
    return ImportIssue("line", 1, "header", FacilityError.BAD_HEADER, "; ".join(parts))


def _rows(text: str, expected: tuple[str, ...],
          issues: list[ImportIssue]) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows as (line, {column: stripped text}); header and field-count problems go to `issues`.

    The delimiter is the header's (',' or ';'); cells escaped against formulas are unescaped."""
    records = _records(text, sniff_delimiter(text))
    first = next(records, None)
    if first is None:
        issues.append(ImportIssue("line", 1, "file", FacilityError.EMPTY_FILE, _("the file is empty")))
        return
    header_issue = _header_issue(first[1], expected)
    if header_issue:
        issues.append(header_issue)
        return
    for line, row in records:
        if isinstance(row, str):
            issues.append(ImportIssue("line", line, "line", FacilityError.BAD_LINE, row))
            return
        if not any(cell.strip() for cell in row):
            continue  # blank lines are allowed (editors add them at the end)
        if len(row) != len(expected):
            issues.append(ImportIssue("line", line, "line", FacilityError.BAD_LINE,
                                      _("expected %(n)d fields, found %(m)d")
                                      % {"n": len(expected), "m": len(row)}))
            continue
        yield line, {c: unescape_cell(v.strip()) for c, v in zip(expected, row, strict=True)}


# Stand-ins for values that failed to parse, so the rest of the line is still checked against the rules.
_PLACEHOLDERS: dict[str, Any] = {"town_geonameid": None, "trauma_level": None, "lat": 48.0, "lon": 68.0,
                                 "synthetic": False, "reporting_interval_min": 240}


def facilities_parse_csv(text: str) -> tuple[list[ParsedItem], list[ImportIssue]]:
    """Parse a facility CSV into specs and format problems (no registry rules, no database)."""
    issues: list[ImportIssue] = []
    items: list[ParsedItem] = []
    # Excel writes ';' where the decimal separator is a comma: there, 43,25 is 43.25.
    decimal_comma = sniff_delimiter(text) == ";"
    for line, row in _rows(text, COLUMNS, issues):
        if decimal_comma:
            row = {c: v.replace(",", ".") if c in ("lat", "lon") else v for c, v in row.items()}
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for column in COLUMNS:
            try:
                values[column] = _PARSERS.get(column, lambda t: t)(row[column])
            except _BadValue as exc:
                issues.append(ImportIssue("line", line, column, FacilityError.BAD_LINE, str(exc)))
                values[column] = _PLACEHOLDERS[column]
                bad.add(column)
        items.append(ParsedItem("line", line, FacilitySpec(**values), _SAME_NAMES, frozenset(bad)))
    return items, issues


def facilities_import_csv(data: bytes | str, *, actor: Principal, dry_run: bool = False) -> UpsertResult:
    """Validate the whole file, then create/update every facility in one transaction, or ImportFailed."""
    items, issues = facilities_parse_csv(decode(data))
    return facilities_import_run(items, issues, actor=actor, source="csv", dry_run=dry_run)


def _number(value: float) -> str:
    return repr(float(value))


def spec_to_row(spec: FacilitySpec) -> list[str]:
    """One CSV record in the documented column order."""
    return [spec.code, spec.name_en, spec.name_kk, spec.name_ru, spec.kind, spec.ownership, spec.region_iso,
            "" if spec.town_geonameid is None else str(spec.town_geonameid),
            _number(spec.lat), _number(spec.lon),
            "" if spec.trauma_level is None else str(spec.trauma_level), ";".join(spec.capabilities),
            str(spec.reporting_interval_min), "true" if spec.synthetic else "false"]


def _write(header: Iterable[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def facilities_export_csv(facilities: Iterable[Facility]) -> str:
    """The facilities (expects region and town selected) as a facility CSV, ordered by code."""
    specs = sorted((spec_from_facility(f) for f in facilities), key=lambda s: s.code)
    return _write(COLUMNS, (spec_to_row(s) for s in specs))


def referrals_parse_csv(text: str) -> tuple[list[tuple[str, str, str]], list[ImportIssue]]:
    """Parse and check a referral CSV against the registry (codes must exist; no writes)."""
    issues: list[ImportIssue] = []
    rows = list(_rows(text, REFERRAL_COLUMNS, issues))
    wanted = {r[c] for _l, r in rows for c in REFERRAL_COLUMNS[:2] if "\x00" not in r[c]}
    known = set(Facility.objects.filter(code__in=wanted).values_list("code", flat=True))
    links = []
    for line, row in rows:
        before = len(issues)
        for column in ("source_code", "target_code"):
            if row[column] not in known:
                issues.append(ImportIssue("line", line, column, FacilityError.UNKNOWN_FACILITY,
                                          _("no facility has code %(v)r") % {"v": row[column]}))
        if row["specialty"] not in Specialty.values:
            issues.append(ImportIssue("line", line, "specialty", FacilityError.UNKNOWN_SPECIALTY,
                                      _("unknown specialty %(v)r; one of: %(all)s")
                                      % {"v": row["specialty"], "all": ", ".join(Specialty.values)}))
        if row["source_code"] == row["target_code"]:
            issues.append(ImportIssue("line", line, "target_code", FacilityError.SELF_REFERRAL,
                                      _("a facility cannot refer to itself")))
        if len(issues) == before:
            links.append((row["source_code"], row["target_code"], row["specialty"]))
    return links, issues


def referrals_import_csv(data: bytes | str, *, actor: Principal, dry_run: bool = False) -> UpsertResult:
    """Add every referral link in the file, or none of them (ImportFailed lists every bad line)."""
    links, issues = referrals_parse_csv(decode(data))
    if issues:
        raise ImportFailed(issues)
    return referral_links_upsert(actor=actor, links=links, source="csv", dry_run=dry_run)


def referrals_export_csv(links: Iterable[ReferralLink]) -> str:
    """Referral links (expects source and target selected) as a referral CSV, sorted."""
    rows = sorted([link.source.code, link.target.code, link.specialty] for link in links)
    return _write(REFERRAL_COLUMNS, rows)


# Other apps' CSV imports (stock counts) read their files the same way: header check, delimiter, formula cells.
csv_rows = _rows

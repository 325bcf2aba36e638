"""Facility registry files: the documented CSV (`csv_format`) and FHIR R4 Bundles (`fhir_bundle`).

Imports are all-or-nothing: every line or entry is parsed and checked first, every problem is collected
with its location, and nothing is written unless the whole file is valid. This module holds what both
formats share: the problem record, the failure, and the validate-then-upsert runner.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jedel.accounts.policy import Principal
from jedel.common.errors import ValidationFailed
from jedel.facilities.errors import FacilityError
from jedel.facilities.services.registry import UpsertResult, facilities_upsert
from jedel.facilities.services.registry_rules import FacilitySpec, canonical, reference_load, spec_problems

# Rule codes that say "this value is wrong" without a more specific meaning; in a file they are reported
# as a bad line (CSV) or a bad entry (FHIR), the codes documented for imports.
_GENERIC = {FacilityError.BAD_VALUE, FacilityError.REQUIRED, FacilityError.BAD_CODE}


@dataclass(frozen=True)
class ImportIssue:
    """One problem in an import file: `line 7: lat: must be between 40 and 56`."""

    where: str  # "line" (CSV, header = line 1), "entry" (FHIR Bundle.entry index, from 0) or "document"
    index: int
    field: str
    code: FacilityError
    message: str

    def __str__(self) -> str:
        """The line the CLI prints."""
        if self.where == "document":
            return f"{self.field}: {self.message}"
        return f"{self.where} {self.index}: {self.field}: {self.message}"

    def as_item(self) -> dict[str, Any]:
        """The API's error item: {"code", "loc", "msg"}."""
        loc = [self.field] if self.where == "document" else [self.where, self.index, self.field]
        return {"code": self.code.value, "loc": loc, "msg": self.message}


class ImportFailed(ValidationFailed):
    """The file is invalid; `issues` lists every problem found and nothing was written."""

    def __init__(self, issues: Sequence[ImportIssue]) -> None:
        self.issues = sorted(issues, key=lambda i: i.index)  # stable: column order within a line
        super().__init__(self.issues[0].code, [i.as_item() for i in self.issues])

    def as_dict(self) -> dict[str, Any]:
        """Every issue with its own code (the base class would give them all one code)."""
        return {"detail": [i.as_item() for i in self.issues]}


@dataclass(frozen=True)
class ParsedItem:
    """One record read from a file, with where it was and how the file names each spec field."""

    where: str
    index: int
    spec: FacilitySpec
    field_names: dict[str, str]
    # Spec fields that failed to parse (already reported): their stand-in values are not checked again.
    unparsed: frozenset[str] = frozenset()


def facilities_import_run(items: Sequence[ParsedItem], issues: list[ImportIssue], *, actor: Principal,
                          source: str, dry_run: bool = False) -> UpsertResult:
    """Check every parsed item against the registry rules, then upsert all of them or raise ImportFailed."""
    ref = reference_load()
    seen: dict[str, ParsedItem] = {}
    specs = []
    for item in items:
        spec = canonical(item.spec)
        specs.append(spec)
        fallback = FacilityError.BAD_LINE if item.where == "line" else FacilityError.BAD_ENTRY
        for p in spec_problems(spec, ref):
            if p.field in item.unparsed:
                continue
            issues.append(ImportIssue(item.where, item.index, item.field_names.get(p.field, p.field),
                                      fallback if p.code in _GENERIC else p.code, p.message))
        first = seen.setdefault(spec.code, item)
        if first is not item and spec.code:
            issues.append(ImportIssue(item.where, item.index, item.field_names.get("code", "code"),
                                      FacilityError.DUPLICATE_CODE,
                                      _("code %(code)s is also on %(where)s %(index)d")
                                      % {"code": spec.code, "where": first.where, "index": first.index}))
    if issues:
        raise ImportFailed(issues)
    return facilities_upsert(actor=actor, specs=specs, source=source, dry_run=dry_run)


def detect_format(text: str, filename: str = "") -> str:
    """'fhir' for a JSON document (by extension or first character), else 'csv'."""
    if filename.lower().endswith(".json") or text.lstrip("\ufeff \t\r\n").startswith("{"):
        return "fhir"
    return "csv"


def decode(data: bytes | str) -> str:
    """UTF-8 text (a leading BOM, as Excel writes, is dropped); ImportFailed when not UTF-8."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ImportFailed([ImportIssue("line", 1, "file", FacilityError.BAD_ENCODING,
                                        _("not UTF-8 text (byte %(pos)d)") % {"pos": exc.start})]) from exc


def facilities_import_text(text: str, *, actor: Principal, filename: str = "", fmt: str | None = None,
                           dry_run: bool = False) -> tuple[str, UpsertResult]:
    """Import a facility file in either format; returns the format used and what was (or would be) done."""
    from jedel.facilities.io import csv_format, fhir_bundle

    fmt = fmt or detect_format(text, filename)
    if fmt == "fhir":
        return fmt, fhir_bundle.facilities_import_fhir(text, actor=actor, dry_run=dry_run)
    return fmt, csv_format.facilities_import_csv(text, actor=actor, dry_run=dry_run)


def unwrap_json_body(body: str) -> tuple[str, str | None]:
    """API bodies: a FHIR Bundle as is, or {"format": "csv"|"fhir", "text": "..."}; other text as is."""
    try:
        data = json.loads(body)
    except ValueError:
        return body, None
    if not isinstance(data, dict) or "resourceType" in data or not {"text", "format"} & set(data):
        return body, "fhir"
    text, fmt = data.get("text"), data.get("format")
    if not isinstance(text, str):
        raise ImportFailed([ImportIssue("document", 0, "text", FacilityError.REQUIRED,
                                        _("the file's content as a string"))])
    if fmt is not None and fmt not in ("csv", "fhir"):
        raise ImportFailed([ImportIssue("document", 0, "format", FacilityError.BAD_FORMAT,
                                        _("must be csv or fhir"))])
    return text, fmt

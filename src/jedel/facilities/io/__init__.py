"""Facility registry files: the documented CSV (`csv_format`) and FHIR R4 Bundles (`fhir_bundle`).

Imports are all-or-nothing: every line or entry is parsed and checked first, every problem is collected
with its location, and nothing is written unless the whole file is valid. This module holds what both
formats share: the problem record, the failure, and the validate-then-upsert runner.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jedel.accounts.policy import Principal
from jedel.common.errors import ValidationFailed
from jedel.facilities.errors import FacilityError
from jedel.facilities.services.registry import UpsertResult, facilities_upsert
from jedel.facilities.services.registry_rules import FacilitySpec, canonical, reference_load, spec_problems

# Rule codes that say "this value is wrong" without a more specific meaning; in a file they are reported
# as a bad line (CSV) or a bad entry (FHIR), the codes documented for imports.
_MIXED_SCRIPT = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")
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


# A file with an error on every line of 50,000 would answer megabytes of errors: the first ones are listed, with
# the count of all (the first errors are the ones to fix first; the rest are usually the same mistake).
MAX_LISTED_ISSUES = 100


class ImportFailed(ValidationFailed):
    """The file is invalid; `issues` lists every problem found and nothing was written."""

    def __init__(self, issues: Sequence[ImportIssue]) -> None:
        self.issues = sorted(issues, key=lambda i: i.index)  # stable: column order within a line
        super().__init__(self.issues[0].code, [i.as_item() for i in self.issues[:MAX_LISTED_ISSUES]])

    @property
    def more(self) -> str:
        """'' when every issue is listed, else the line saying how many are not."""
        rest = len(self.issues) - MAX_LISTED_ISSUES
        if rest <= 0:
            return ""
        return ngettext("… and %(rest)d more problem (%(total)d in all).",
                        "… and %(rest)d more problems (%(total)d in all).", rest) % {
            "rest": rest, "total": len(self.issues)}

    def as_dict(self) -> dict[str, Any]:
        """The first MAX_LISTED_ISSUES issues, each with its own code, and the count of all of them."""
        out: dict[str, Any] = {"detail": [i.as_item() for i in self.issues[:MAX_LISTED_ISSUES]],
                               "error_count": len(self.issues)}
        if self.more:
            out["more"] = self.more
        return out


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
    """UTF-8 text (a leading BOM, as Excel writes, is dropped), or Windows-1251 — what Excel on a Russian
    Windows writes for "CSV (разделители — запятые)" — when the bytes are not UTF-8; ImportFailed otherwise."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = None
    # Windows-1251 decodes almost any bytes; it is believed only where no word mixes Latin and Cyrillic letters
    # (Russian words are all Cyrillic; Latin-1 "Café" read as 1251 gives "Cafй").
    if text is not None and not _MIXED_SCRIPT.search(text):
        return text
    raise ImportFailed([ImportIssue("line", 1, "file", FacilityError.BAD_ENCODING, _(
        "neither UTF-8 nor Windows-1251 text (byte %(pos)d); in Excel use File → Save As → "
        "\"CSV UTF-8 (Comma delimited)\"") % {"pos": position})])


def facilities_import_text(text: str, *, actor: Principal, filename: str = "", fmt: str | None = None,
                           dry_run: bool = False) -> tuple[str, UpsertResult]:
    """Import a facility file in either format; returns the format used and what was (or would be) done."""
    from jedel.facilities.io import csv_format, fhir_import

    fmt = fmt or detect_format(text, filename)
    if fmt == "fhir":
        return fmt, fhir_import.facilities_import_fhir(text, actor=actor, dry_run=dry_run)
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

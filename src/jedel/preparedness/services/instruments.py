"""Loading instrument files: every file validated first, then all written in one transaction, or none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from jedel.accounts.services import SYSTEM, audit_record
from jedel.common.errors import ValidationFailed
from jedel.preparedness.errors import PrepError
from jedel.preparedness.instrument_files import ParsedInstrument, parse_instrument
from jedel.preparedness.models import Instrument, InstrumentItem, InstrumentSection


@dataclass(frozen=True)
class LoadResult:
    instrument: Instrument
    created: bool


def _translations(obj: dict[str, Any], group: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The file's optional `*_i18n` texts regrouped by language: {"ru": {"title": ..., "ratings": {...}}}."""
    out: dict[str, dict[str, Any]] = {}
    for key in ("title", "not_applicable_when"):
        for lang, text in (obj.get(f"{key}_i18n") or {}).items():
            out.setdefault(lang, {})[key] = text
    for lang, texts in (obj.get("ratings_i18n") or {}).items():
        out.setdefault(lang, {})["ratings"] = dict(texts)
    for lang, text in ((group or {}).get("title_i18n") or {}).items():
        out.setdefault(lang, {})["group_title"] = text
    return out


def _write(parsed: ParsedInstrument) -> LoadResult:
    doc = parsed.doc
    known = Instrument.objects.filter(code=doc["code"], version=doc["version"]).first()
    if known is not None:
        return LoadResult(known, False)
    Instrument.objects.filter(code=doc["code"]).update(current=False)
    instrument = Instrument.objects.create(code=doc["code"], version=doc["version"], kind=doc["kind"],
                                           title=doc["title"], source=doc["source"],
                                           status_note=doc.get("status_note", ""), sha256=parsed.sha256,
                                           translations=_translations(doc))
    position = 0
    sections = doc["modules"] if doc["kind"] == "hsi" else doc["components"]
    for s_pos, section in enumerate(sections):
        row = InstrumentSection.objects.create(instrument=instrument, code=section["code"], key=section.get("key", ""),
                                               title=section["title"], weight=section.get("weight"),
                                               status=section["status"], position=s_pos,
                                               translations=_translations(section))
        groups: list[dict[str, Any]] = section.get("submodules") or [{"code": "", "title": "",
                                                                        "items": section["items"]}]
        items = []
        for group in groups:
            for item in group["items"]:
                items.append(InstrumentItem(
                    instrument=instrument, section=row, group_code=group["code"], group_title=group["title"],
                    code=item["code"], title=item["title"], weight=item.get("weight"), hazard=item.get("hazard") or "",
                    status=item["status"], ratings=item.get("ratings", {}),
                    evidence_required=item.get("evidence_required", False), position=position,
                    not_applicable_when=item.get("not_applicable_when") or "",
                    translations=_translations(item, group)))
                position += 1
        InstrumentItem.objects.bulk_create(items)
    audit_record(actor=SYSTEM, action="load_instrument", object_type="instrument", object_id=instrument.pk,
                 changes={"code": instrument.code, "version": instrument.version, "sha256": parsed.sha256})
    return LoadResult(instrument, True)


def instruments_load(files: list[tuple[str, str]]) -> list[LoadResult]:
    """Validate every (name, text) file, then load them all; on any error raise ValidationFailed, write nothing.

    A code and version already loaded with the same content is left as it is; with other content it is an error
    (a changed instrument needs a new version, so existing assessments keep the items they were rated on).
    """
    errors: list[dict[str, Any]] = []
    parsed: list[ParsedInstrument] = []
    for name, text in files:
        one, problems = parse_instrument(text)
        errors += [{"loc": [name, p.line, p.path], "msg": p.reason} for p in problems]
        if one is None:
            continue
        doc = one.doc
        known = Instrument.objects.filter(code=doc["code"], version=doc["version"]).first()
        if known is not None and known.sha256 != one.sha256:
            errors.append({"loc": [name, 1, ".version"], "msg": f"{doc['code']} {doc['version']} is already loaded "
                                                                "with other content; give the file a new version"})
        parsed.append(one)
    if errors:
        raise ValidationFailed(PrepError.BAD_INSTRUMENT, errors)
    with transaction.atomic():
        return [_write(p) for p in parsed]

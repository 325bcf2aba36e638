"""Instrument files (format ``jedel.instrument/1``): parse and validate, reporting every error with its line.

An instrument is data, not code: the official WHO forms can be loaded as a new version without a release.
Validation collects *every* problem (line number, field path, reason) so that one run fixes a whole file;
the loader writes nothing unless the file is valid. Pure Python: no Django, so the CLI can check a file
before touching the database.
"""

from __future__ import annotations

import hashlib
import json
import json.scanner
import math
import re
from dataclasses import dataclass, field
from typing import Any

FORMAT = "jedel.instrument/1"
KINDS = ("hsi", "herp_checklist")
STATUSES = ("confirmed", "confirmed_secondary", "unconfirmed", "provisional")
LEVELS = ("low", "average", "high")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,15}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
# Optional translations of an English text: "<key>_i18n": {"ru": "...", "kk": "..."}; English stays the base text,
# so files without them load as before. For ratings: "ratings_i18n": {"ru": {"low": ...}, "kk": {...}}.
LANGUAGES = ("ru", "kk")


@dataclass(frozen=True)
class FileError:
    """One problem: 1-based line of the JSON value at fault, its field path, and what is wrong."""

    line: int
    path: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.path}: {self.reason}"


class _Obj(dict[str, Any]):
    """A JSON object that remembers where it started in the text."""

    pos: int = 0


def _decoder() -> json.JSONDecoder:
    decoder = json.JSONDecoder()
    plain = json.decoder.JSONObject

    def parse_object(s_and_end: tuple[str, int], *args: Any, **kwargs: Any) -> tuple[_Obj, int]:
        values, end = plain(s_and_end, *args, **kwargs)
        obj = _Obj(values)
        obj.pos = s_and_end[1] - 1
        return obj, end

    decoder.parse_object = parse_object  # type: ignore[assignment]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # the C scanner would bypass parse_object
    return decoder


@dataclass
class ParsedInstrument:
    """A valid instrument: the document as parsed and its digest."""

    doc: dict[str, Any]
    sha256: str


@dataclass
class _Checker:
    text: str
    errors: list[FileError] = field(default_factory=list)
    item_codes: set[str] = field(default_factory=set)

    def add(self, obj: Any, path: str, reason: str) -> None:
        """Record a problem at the line of the member named last in `path` (else where `obj` starts)."""
        start = getattr(obj, "pos", 0)
        key = path.rsplit(".", 1)[-1].split("[", 1)[0]
        at = self.text.find(f'"{key}"', start) if isinstance(obj, dict) and key in obj else -1
        self.errors.append(FileError(self.text.count("\n", 0, at if at >= 0 else start) + 1, path, reason))

    def text_field(self, obj: dict[str, Any], path: str, key: str, *, max_len: int, pattern: re.Pattern[str] | None
                   = None, required: bool = True) -> None:
        value = obj.get(key)
        if value is None and not required:
            return
        if not isinstance(value, str) or not value.strip():
            self.add(obj, f"{path}.{key}", "required text")
        elif len(value) > max_len:
            self.add(obj, f"{path}.{key}", f"longer than {max_len} characters")
        elif pattern is not None and not pattern.match(value):
            self.add(obj, f"{path}.{key}", f"{value!r} is not a valid code")

    def i18n(self, obj: dict[str, Any], path: str, key: str, *, max_len: int) -> None:
        """Check the optional translations of text `key` held in `<key>_i18n` (language -> non-empty text)."""
        name = f"{key}_i18n"
        value = obj.get(name)
        if value is None:
            return
        if not isinstance(value, dict):
            self.add(obj, f"{path}.{name}", f"an object of texts by language ({', '.join(LANGUAGES)})")
            return
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.add(obj, f"{path}.{name}", f"unknown language {lang!r} (use {', '.join(LANGUAGES)})")
            elif not isinstance(text, str) or not text.strip():
                self.add(value, f"{path}.{name}.{lang}", "required text")
            elif len(text) > max_len:
                self.add(value, f"{path}.{name}.{lang}", f"longer than {max_len} characters")

    def ratings_i18n(self, obj: dict[str, Any], path: str) -> None:
        value = obj.get("ratings_i18n")
        if value is None:
            return
        if not isinstance(value, dict):
            self.add(obj, f"{path}.ratings_i18n", "an object of rating texts by language")
            return
        for lang, texts in value.items():
            if lang not in LANGUAGES:
                self.add(obj, f"{path}.ratings_i18n", f"unknown language {lang!r} (use {', '.join(LANGUAGES)})")
            elif not isinstance(texts, dict) or any(k not in LEVELS or not isinstance(v, str) or not v.strip()
                                                    for k, v in texts.items()):
                self.add(value, f"{path}.ratings_i18n.{lang}", "an object with texts for low, average and high")

    def number(self, obj: dict[str, Any], path: str, key: str, *, upper: float) -> float | None:
        value = obj.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= upper:
            self.add(obj, f"{path}.{key}", f"must be a number > 0 and <= {upper:g}")
            return None
        return float(value)

    def status(self, obj: dict[str, Any], path: str) -> None:
        if obj.get("status") not in STATUSES:
            self.add(obj, f"{path}.status", f"must be one of {', '.join(STATUSES)}")

    def objects(self, parent: dict[str, Any], path: str, key: str) -> list[tuple[str, dict[str, Any]]]:
        value = parent.get(key)
        if not isinstance(value, list) or not value:
            self.add(parent, f"{path}.{key}", "must be a non-empty list")
            return []
        out = []
        for i, element in enumerate(value):
            if isinstance(element, dict):
                out.append((f"{path}.{key}[{i}]", element))
            else:
                self.add(parent, f"{path}.{key}[{i}]", "must be an object")
        return out

    def item(self, obj: dict[str, Any], path: str) -> None:
        self.text_field(obj, path, "code", max_len=16, pattern=CODE)
        code = obj.get("code")
        if isinstance(code, str):
            if code in self.item_codes:
                self.add(obj, f"{path}.code", f"item {code!r} appears twice")
            self.item_codes.add(code)
        self.text_field(obj, path, "title", max_len=400)
        self.i18n(obj, path, "title", max_len=400)
        self.text_field(obj, path, "not_applicable_when", max_len=4000, required=False)
        self.i18n(obj, path, "not_applicable_when", max_len=4000)
        self.ratings_i18n(obj, path)
        self.status(obj, path)


def _check_hsi(c: _Checker, doc: dict[str, Any]) -> None:
    module_weights = []
    codes: set[str] = set()
    for mpath, module in c.objects(doc, "", "modules"):
        c.text_field(module, mpath, "code", max_len=16, pattern=CODE)
        if module.get("code") in codes:
            c.add(module, f"{mpath}.code", "module appears twice")
        codes.add(str(module.get("code")))
        c.text_field(module, mpath, "title", max_len=300)
        c.i18n(module, mpath, "title", max_len=300)
        c.status(module, mpath)
        module_weights.append(c.number(module, mpath, "weight", upper=1.0))
        sub_weights = []
        for spath, sub in c.objects(module, mpath, "submodules"):
            c.text_field(sub, spath, "code", max_len=16, pattern=CODE)
            c.text_field(sub, spath, "title", max_len=300)
            c.i18n(sub, spath, "title", max_len=300)
            sub_weight = c.number(sub, spath, "weight", upper=100.0)
            sub_weights.append(sub_weight)
            complete = sub.get("items_complete", True)
            if not isinstance(complete, bool):
                c.add(sub, f"{spath}.items_complete", "must be true or false")
            item_weights = []
            for ipath, item in c.objects(sub, spath, "items"):
                c.item(item, ipath)
                item_weights.append(c.number(item, ipath, "weight", upper=100.0))
                hazard = item.get("hazard")
                if hazard is not None and (not isinstance(hazard, str) or len(hazard) > 4):
                    c.add(item, f"{ipath}.hazard", "a hazard code of at most 4 characters")
                ratings = item.get("ratings", {})
                if not isinstance(ratings, dict) or any(k not in LEVELS or not isinstance(v, str)
                                                        for k, v in ratings.items()):
                    c.add(item, f"{ipath}.ratings", "an object with texts for low, average and high")
            if complete is True and sub_weight is not None and None not in item_weights and item_weights \
                    and not math.isclose(math.fsum(w or 0 for w in item_weights), sub_weight, abs_tol=0.01):
                c.add(sub, f"{spath}.items", f"item weights sum to {math.fsum(w or 0 for w in item_weights):g}, "
                                             f"not the submodule's {sub_weight:g} (set items_complete false for a "
                                             "partial transcription)")
        if sub_weights and None not in sub_weights and not math.isclose(math.fsum(w or 0 for w in sub_weights), 100,
                                                                        abs_tol=0.01):
            c.add(module, f"{mpath}.submodules", f"submodule weights sum to {math.fsum(w or 0 for w in sub_weights):g},"
                                                 " not 100")
    if module_weights and None not in module_weights and not math.isclose(math.fsum(w or 0 for w in module_weights),
                                                                          1.0, abs_tol=1e-6):
        c.add(doc, ".modules", f"module weights sum to {math.fsum(w or 0 for w in module_weights):g}, not 1")


def _check_herp(c: _Checker, doc: dict[str, Any]) -> None:
    codes: set[str] = set()
    for cpath, component in c.objects(doc, "", "components"):
        c.text_field(component, cpath, "code", max_len=16, pattern=CODE)
        if component.get("code") in codes:
            c.add(component, f"{cpath}.code", "component appears twice")
        codes.add(str(component.get("code")))
        c.text_field(component, cpath, "key", max_len=64, pattern=re.compile(r"^[a-z_]+$"))
        c.text_field(component, cpath, "title", max_len=300)
        c.i18n(component, cpath, "title", max_len=300)
        c.status(component, cpath)
        for ipath, item in c.objects(component, cpath, "items"):
            c.item(item, ipath)
            if not isinstance(item.get("evidence_required", False), bool):
                c.add(item, f"{ipath}.evidence_required", "must be true or false")


def parse_instrument(text: str) -> tuple[ParsedInstrument | None, list[FileError]]:
    """The instrument in `text`, or None with every error found (JSON syntax errors stop at the first)."""
    try:
        doc = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        return None, [FileError(exc.lineno, "(file)", f"not valid JSON: {exc.msg} (column {exc.colno})")]
    c = _Checker(text)
    if not isinstance(doc, dict):
        return None, [FileError(1, "(file)", "the file must hold one JSON object")]
    if doc.get("format") != FORMAT:
        c.add(doc, ".format", f"must be {FORMAT!r}")
    c.text_field(doc, "", "code", max_len=64, pattern=SLUG)
    c.text_field(doc, "", "version", max_len=32, pattern=re.compile(r"^[A-Za-z0-9.\-]{1,32}$"))
    c.text_field(doc, "", "title", max_len=300)
    c.text_field(doc, "", "source", max_len=4000)
    c.text_field(doc, "", "status_note", max_len=4000, required=False)
    c.i18n(doc, "", "title", max_len=300)
    c.text_field(doc, "", "translations_note", max_len=4000, required=False)
    kind = doc.get("kind")
    if kind == "hsi":
        _check_hsi(c, doc)
    elif kind == "herp_checklist":
        _check_herp(c, doc)
    else:
        c.add(doc, ".kind", f"must be one of {', '.join(KINDS)}")
    if c.errors:
        return None, c.errors
    return ParsedInstrument(doc=doc, sha256=hashlib.sha256(text.encode()).hexdigest()), []

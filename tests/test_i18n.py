"""The kk/ru/en catalogues are complete, well-formed and compiled, and the pages really come out translated.

The .po files are read by a small parser below (no polib/babel dependency). Checks:

* every kk and ru entry is translated (all plural forms), none is fuzzy, plural counts follow the header;
* placeholders (``%(name)s``, ``%s``, ``{name}``) and HTML tags in each msgstr match its msgid;
* the committed .mo files say exactly what the .po files say (users' machines have no gettext to compile);
* when GNU gettext is installed, re-extracting the source finds no string that the catalogues lack, so a
  new ``gettext``/``{% translate %}`` without a translation fails here;
* the board and the sign-in page render in Russian and Kazakh.
"""

from __future__ import annotations

import ast
import gettext
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ("kk", "ru")  # English is the source language: its catalogue keeps msgstr empty (gettext falls back)
PO_FILES = sorted(p for lang in TRANSLATED for p in (LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"))
DOMAINS = sorted({p.stem for p in PO_FILES})


# --- a tiny .po parser -------------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plain entries use key 0
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        """The key GNU gettext uses in a .mo catalogue."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def parse_po(path: Path) -> list[Entry]:
    """Entries in file order, the header (msgid "") first; handles multi-line strings, plurals, contexts."""
    entries: list[Entry] = []
    cur, target = Entry(), None

    def flush() -> None:
        nonlocal cur, target
        if target is not None:
            entries.append(cur)
        cur, target = Entry(), None

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            cur.obsolete = True
            continue
        if line.startswith("#,"):
            if target is not None:
                flush()
            cur.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        m = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line)
        if m:
            keyword, index, value = m.groups()
            if keyword in ("msgctxt", "msgid") and isinstance(target, tuple):
                flush()
            text = ast.literal_eval(value)
            if keyword == "msgstr":
                target = ("msgstr", int(index or 0))
                cur.msgstr[target[1]] = text
            else:
                target = keyword
                setattr(cur, keyword, text)
                cur.line = cur.line or n
            continue
        if line.startswith('"') and target is not None:
            text = ast.literal_eval(line)
            if isinstance(target, tuple):
                cur.msgstr[target[1]] += text
            else:
                setattr(cur, target, getattr(cur, target) + text)
            continue
        raise AssertionError(f"{path}:{n}: cannot parse {raw!r}")
    flush()
    return [e for e in entries if not e.obsolete]


def header(entries: list[Entry]) -> dict[str, str]:
    assert entries and entries[0].msgid == "", "the catalogue has no header entry"
    lines = entries[0].msgstr[0].splitlines()
    return {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in lines if ":" in ln)}


def nplurals(entries: list[Entry]) -> int:
    m = re.search(r"nplurals\s*=\s*(\d+)", header(entries).get("Plural-Forms", ""))
    assert m, "the header has no Plural-Forms"
    return int(m.group(1))


# --- placeholders ------------------------------------------------------------------------------------------

PRINTF = re.compile(r"%(?:\(\w+\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text: str, python_format: bool) -> list[str]:
    found = sorted(BRACE.findall(text)) + sorted(TAG.findall(text))
    if python_format:
        found += sorted(t for t in PRINTF.findall(text) if t != "%%")
    return found


def po_id(path: Path) -> str:
    return str(path.relative_to(LOCALE_DIR))


# --- the catalogues ----------------------------------------------------------------------------------------


def test_every_language_has_a_catalogue():
    codes = [code for code, _ in settings.LANGUAGES]
    assert sorted(codes) == ["en", "kk", "ru"]
    for code in codes:
        po = LOCALE_DIR / code / "LC_MESSAGES" / "django.po"
        assert po.is_file(), f"missing {po}; run `make messages`"
        assert po.with_suffix(".mo").is_file(), f"missing {po.with_suffix('.mo')}; run compilemessages"


@pytest.mark.parametrize("domain", DOMAINS)
def test_all_languages_carry_the_same_messages(domain):
    """kk, ru and en are made by one makemessages run: a msgid missing from one of them means a stale file."""
    keys = {}
    for code in ("kk", "ru", "en"):
        path = LOCALE_DIR / code / "LC_MESSAGES" / f"{domain}.po"
        keys[code] = {(e.key, e.msgid_plural) for e in parse_po(path)[1:]}
    assert keys["kk"] == keys["ru"] == keys["en"]


@pytest.mark.parametrize("path", PO_FILES, ids=po_id)
def test_catalogue_is_complete_and_not_fuzzy(path):
    entries = parse_po(path)
    lang = path.parents[1].name
    assert "fuzzy" not in entries[0].flags, "the header is marked fuzzy"
    assert header(entries).get("Language") == lang
    assert "charset=UTF-8" in header(entries).get("Content-Type", "")
    n = nplurals(entries)
    problems = []
    for e in entries[1:]:
        where = f"line {e.line}: {e.msgid!r}"
        if "fuzzy" in e.flags:
            problems.append(f"{where} is fuzzy")
        expected = list(range(n)) if e.msgid_plural is not None else [0]
        if sorted(e.msgstr) != expected:
            problems.append(f"{where} has msgstr forms {sorted(e.msgstr)}, expected {expected}")
        empty = [i for i, s in e.msgstr.items() if not s.strip()]
        if empty:
            problems.append(f"{where} is untranslated" + (f" (forms {empty})" if e.msgid_plural else ""))
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", PO_FILES, ids=po_id)
def test_plural_forms_match_djangos_own_catalogue(path):
    """Django merges catalogues per plural formula; keep ours identical to Django's for the same language."""
    lang = path.parents[1].name
    django_po = Path(django.__file__).parent / "conf" / "locale" / lang / "LC_MESSAGES" / "django.po"
    ours = header(parse_po(path))["Plural-Forms"].replace(" ", "")
    theirs = header(parse_po(django_po))["Plural-Forms"].replace(" ", "")
    assert ours == theirs


@pytest.mark.parametrize("path", PO_FILES, ids=po_id)
def test_placeholders_and_markup_are_kept(path):
    problems = []
    for e in parse_po(path)[1:]:
        python_format = "python-format" in e.flags
        # every plural form is checked against the English plural: ru form 0 also serves 21, 31, ...
        expected = placeholders(e.msgid if e.msgid_plural is None else e.msgid_plural, python_format)
        for i, text in e.msgstr.items():
            got = placeholders(text, python_format)
            if text.strip() and got != expected:
                problems.append(f"line {e.line}: {e.msgid!r} [{i}]: {got} != {expected}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_english_catalogue_keeps_the_source_text():
    """en needs no translation; an msgstr there, if any, must at least keep the placeholders."""
    for path in (LOCALE_DIR / "en" / "LC_MESSAGES").glob("*.po"):
        entries = parse_po(path)
        assert "fuzzy" not in entries[0].flags
        for e in entries[1:]:
            assert "fuzzy" not in e.flags, e.msgid
            source = e.msgid if e.msgid_plural is None else e.msgid_plural
            for text in e.msgstr.values():
                if text:
                    assert placeholders(text, True) == placeholders(source, True), e.msgid


@pytest.mark.parametrize("code", ["kk", "ru", "en"])
def test_committed_mo_matches_po(code):
    """Load each .mo with the stdlib and check it says exactly what its .po says, no more and no less."""
    for po in (LOCALE_DIR / code / "LC_MESSAGES").glob("*.po"):
        mo = po.with_suffix(".mo")
        with mo.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        expected: dict[object, str] = {}
        for e in parse_po(po)[1:]:
            if "fuzzy" in e.flags or not all(e.msgstr.values()):
                continue  # msgfmt leaves these out
            if e.msgid_plural is None:
                expected[e.key] = e.msgstr[0]
            else:
                expected.update({(e.key, i): s for i, s in e.msgstr.items()})
        actual = {k: v for k, v in catalog.items() if k != "" and k != ("", 0)}
        stale = sorted(str(k) for k in set(expected) ^ set(actual)) + sorted(
            str(k) for k in set(expected) & set(actual) if expected[k] != actual[k])
        assert not stale, f"{mo} does not match {po.name}; run compilemessages. Differences: {stale[:10]}"


@pytest.mark.skipif(not (shutil.which("xgettext") and shutil.which("msgmerge")), reason="GNU gettext not installed")
def test_catalogues_cover_every_string_in_the_source(tmp_path, monkeypatch):
    """Re-run makemessages on a copy of the source: it must find no msgid that the committed catalogue lacks."""
    from django.core.management import call_command

    source = LOCALE_DIR.parent
    copy = tmp_path / source.name
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc"))
    monkeypatch.chdir(copy)
    for domain in DOMAINS:
        call_command("makemessages", locale=["ru"], domain=domain, no_obsolete=True, verbosity=0)
        fresh = {(e.key, e.msgid_plural) for e in parse_po(copy / "locale" / "ru" / "LC_MESSAGES" / f"{domain}.po")[1:]}
        committed = {(e.key, e.msgid_plural) for e in parse_po(LOCALE_DIR / "ru" / "LC_MESSAGES" / f"{domain}.po")[1:]}
        new = sorted(k for k, _ in fresh - committed)
        gone = sorted(k for k, _ in committed - fresh)
        assert not new and not gone, (
            f"{domain}: the catalogues are out of date; run `make messages`, translate, compile.\n"
            f"new strings: {new}\nstrings no longer in the source: {gone}")


# --- rendered pages ----------------------------------------------------------------------------------------

PAGES = {
    "ru": {"board": ["Национальная панель мощностей", "Занятость коек", "Итоги по регионам", "Выйти"],
           "login": ["Войти", "Имя пользователя", "Пароль"]},
    "kk": {"board": ["Ұлттық қуаттылық тақтасы", "Төсек-орын толуы", "Өңірлер бойынша қорытынды", "Шығу"],
           "login": ["Кіру", "Пайдаланушы аты", "Құпиясөз"]},
    "en": {"board": ["National capacity board", "Bed occupancy", "Totals by region", "Sign out"],
           "login": ["Sign in", "Username", "Password"]},
}
ENGLISH_ONLY = ["National capacity board", "Totals by region", "Sign out", "Capacity board"]


@pytest.fixture
def viewer(kz):
    from jedel.accounts.models import Role
    from jedel.accounts.services import SYSTEM, user_create

    password = "viewer-i18n-pass-2026"
    user_create(actor=SYSTEM, username="i18n-viewer", password=password, role=Role.VIEWER)
    return "i18n-viewer", password


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_login_page_is_translated(client, db, lang):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f'lang="{lang}"' in html
    for text in PAGES[lang]["login"]:
        assert text in html, text
    if lang != "en":
        assert ">Sign in<" not in html and "Username" not in html


def _board_config(html: str) -> dict:
    m = re.search(r'<script id="board-config" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert m, "the board has no board-config script"
    return json.loads(m.group(1))


@pytest.mark.parametrize("lang, how", [("ru", "header"), ("kk", "header"), ("ru", "cookie"), ("kk", "cookie"),
                                       ("en", "header")])
def test_board_is_translated(client, viewer, lang, how):
    username, password = viewer
    assert client.login(username=username, password=password)
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")  # the cookie wins over the browser's language
    else:
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    for text in PAGES[lang]["board"]:
        assert text in html, text
    config = _board_config(html)
    assert config["lang"] == lang
    if lang != "en":
        for text in ENGLISH_ONLY:
            assert text not in html, text
        # board.js takes every text it shows (legend, tooltips, popups) from this JSON: all of it translated
        source = _board_config(english)["i18n"]
        assert set(config["i18n"]) == set(source)
        untranslated = [k for k, v in config["i18n"].items() if v == source[k]]
        assert not untranslated, untranslated

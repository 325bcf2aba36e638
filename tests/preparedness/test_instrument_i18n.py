"""Optional translations in instrument files (`<text>_i18n`): accepted when well formed, refused with lines."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.preparedness.instrument_files import parse_instrument
from jedel.preparedness.models import HsiAssessment, InstrumentItem
from jedel.preparedness.services.instruments import instruments_load
from tests.preparedness.conftest import shipped_files


def _hsi_with(**item_fields: object) -> str:
    doc = json.loads(dict(shipped_files())["who-hsi-2015.v1.json"])
    doc["modules"][0]["submodules"][0]["items"][1].update(item_fields)
    return json.dumps(doc, indent=1)


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_files_without_translations_still_parse():
    for name, text in shipped_files():
        parsed, errors = parse_instrument(text)
        assert errors == [] and parsed is not None, name


def test_well_formed_translations_are_accepted_and_kept():
    text = _hsi_with(title_i18n={"ru": "Больница построена по действующим нормам", "kk": "Аурухана қолданыстағы нормалар бойынша салынған"},
                     ratings_i18n={"ru": {"low": "Нормы не применены"}, "kk": {"high": "Нормалар толық қолданылған"}})
    parsed, errors = parse_instrument(text)
    assert errors == []
    item = parsed.doc["modules"][0]["submodules"][0]["items"][1]
    assert item["title_i18n"]["kk"] == "Аурухана қолданыстағы нормалар бойынша салынған"
    assert item["ratings_i18n"]["ru"] == {"low": "Нормы не применены"}


def test_unknown_language_is_refused_with_its_line():
    text = _hsi_with(title_i18n={"de": "Krankenhaus"})
    _, errors = parse_instrument(text)
    line = _line_of(text, '"title_i18n"')
    assert [str(e) for e in errors] == [
        f"line {line}: .modules[0].submodules[0].items[1].title_i18n: "
        "unknown language 'de' (use ru, kk)"]


def test_empty_or_non_string_translation_is_refused_with_its_line():
    text = _hsi_with(title_i18n={"ru": "  "}, not_applicable_when_i18n={"kk": 5})
    _, errors = parse_instrument(text)
    ru, kk = _line_of(text, '"ru": "  "'), _line_of(text, '"kk": 5')
    assert [str(e) for e in errors] == [
        f"line {ru}: .modules[0].submodules[0].items[1].title_i18n.ru: required text",
        f"line {kk}: .modules[0].submodules[0].items[1].not_applicable_when_i18n.kk: "
        "required text"]


def test_translations_must_be_an_object():
    text = _hsi_with(title_i18n="Больница")
    _, errors = parse_instrument(text)
    assert [e.reason for e in errors] == ["an object of texts by language (ru, kk)"]


def test_bad_rating_translations_are_refused():
    text = _hsi_with(ratings_i18n={"ru": {"poor": "Плохо"}, "xx": {}})
    _, errors = parse_instrument(text)
    ru, field = _line_of(text, '"poor"') - 1, _line_of(text, '"ratings_i18n"')
    assert [str(e) for e in errors] == [
        f"line {ru}: .modules[0].submodules[0].items[1].ratings_i18n.ru: "
        "an object with texts for low, average and high",
        f"line {field}: .modules[0].submodules[0].items[1].ratings_i18n: "
        "unknown language 'xx' (use ru, kk)"]


ITEM2_RU = "Больница построена и/или отремонтирована по действующим нормам безопасности"
ITEM2_KK = "Аурухана қолданыстағы қауіпсіздік нормалары бойынша салынған және/немесе жөнделген"
ITEM2_EN = "Hospital built and/or repaired using current safety standards"
ITEM4_EN = "Structural system design"  # not translated here: the page must fall back to English


@pytest.fixture
def translated_hsi(db):
    text = _hsi_with(title_i18n={"ru": ITEM2_RU, "kk": ITEM2_KK},
                     ratings_i18n={"ru": {"low": "Действующие нормы безопасности не применены"}})
    doc = json.loads(text)
    doc["version"] = "2015-test.i18n"
    return instruments_load([("who-hsi-2015.test.json", json.dumps(doc, indent=1))])[0].instrument


def test_the_loader_stores_translations_with_english_fallback(translated_hsi):
    item = InstrumentItem.objects.get(instrument=translated_hsi, code="2")
    assert item.title_in("ru") == ITEM2_RU and item.title_in("kk-kz") == ITEM2_KK and item.title_in("en") == ITEM2_EN
    assert item.ratings_in("ru") == {"low": "Действующие нормы безопасности не применены",
                                     "average": "Current safety standards partially applied",
                                     "high": "Current safety standards fully applied"}
    assert item.ratings_in("kk")["low"] == "Current safety standards not applied"


@pytest.mark.parametrize("lang,expected", [("ru", ITEM2_RU), ("kk", ITEM2_KK), ("en", ITEM2_EN)])
def test_the_assessment_page_shows_the_item_in_the_request_language(translated_hsi, kz, lang, expected):
    from tests.capacity.capacity_helpers import make_facility, make_user
    facility = make_facility(kz["KZ-75"], "PR-I18N")
    client = Client()
    client.force_login(make_user("prep-i18n-mgr", "facility_manager", facility=facility))
    r = client.post("/preparedness/hsi/new/", {"facility": facility.pk, "assessed_on": "2026-11-02",
                                              "evaluators": "A. Seitkali"})
    assert r.status_code == 302, r.content[:300]
    pk = int(r["Location"].rstrip("/").split("/")[-1])
    assert HsiAssessment.objects.get(pk=pk).instrument == translated_hsi
    page = client.get(f"/preparedness/hsi/{pk}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f"<strong>2</strong> {expected} " in page
    assert f"<strong>4</strong> {ITEM4_EN} " in page  # no translation in the file: English

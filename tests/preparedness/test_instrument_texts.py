"""The shipped v2 instruments: every text a user sees has Russian and Kazakh, v2 changes nothing but texts, and
the pages (and the PDF) show the texts in the request's language, including the not-applicable conditions."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.apps import apps
from django.test import Client

from jedel.preparedness.models import Instrument, InstrumentItem
from tests.capacity.capacity_helpers import make_user
from tests.preparedness.conftest import shipped_files

V2 = {"who-hsi-2015.v2.json": "who-hsi-2015.v1.json", "who-euro-herc-2011.v2.json": "who-euro-herc-2011.v1.json"}

# Written out here from the files as reviewed, so that a changed translation shows up as a failing test.
ITEM1_KK = ("Аурухана ғимаратының (ғимараттарының) конструкцияларының бұрын алған елеулі зақымданулары немесе "
            "бұзылуы")
ITEM1_NA_KK = "Аурухана маңында мұндай оқиға болмаған (бағаламай қалдырыңыз)."
ITEM1_NA_RU = "В районе расположения больницы таких событий не происходило (оставьте без оценки)."
ITEM1_NA_EN = "No such event has occurred in the vicinity of the hospital (leave blank)."
ITEM464_RU = "Медицинская сортировка при крупных ЧС и бедствиях"
ITEM2_LOW_RU = "Действующие нормы безопасности не применены"
MODULE2_KK = "Құрылымдық элементтердің қауіпсіздігі (structural safety)"
HSI_TITLE_KK = ("ДДСҰ ауруханалар қауіпсіздігінің индексі (Hospital Safety Index), 2-басылым (2015): «Қауіпсіз "
                "ауруханалар» бақылау парағы")
HSI_TITLE_RU = ("Индекс безопасности больниц (ВОЗ; Hospital Safety Index), 2-е издание (2015): контрольный "
                "перечень «Безопасные больницы»")
HERC_TITLE_RU = ("Контрольный перечень мер реагирования больниц на чрезвычайные ситуации (ВОЗ/Европа, 2011; "
                 "Hospital emergency response checklist)")


def _docs() -> dict[str, dict[str, Any]]:
    return {name: json.loads(text) for name, text in shipped_files()}


def _texts(doc: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(where, English, its *_i18n value) for every text the pages show."""
    out = [("title", doc["title"], doc.get("title_i18n"))]
    for section in doc.get("modules") or doc["components"]:
        out.append((f"section {section['code']}", section["title"], section.get("title_i18n")))
        for group in section.get("submodules") or [section]:
            if group is not section:
                out.append((f"submodule {group['code']}", group["title"], group.get("title_i18n")))
            for item in group["items"]:
                out.append((f"item {item['code']}", item["title"], item.get("title_i18n")))
                if "not_applicable_when" in item:
                    out.append((f"item {item['code']} n/a", item["not_applicable_when"],
                                item.get("not_applicable_when_i18n")))
                for level, text in item.get("ratings", {}).items():
                    by_lang = {lang: t.get(level) for lang, t in (item.get("ratings_i18n") or {}).items()}
                    out.append((f"item {item['code']} {level}", text, by_lang))
    return out


@pytest.mark.parametrize("name", sorted(V2))
def test_every_visible_text_of_the_v2_files_is_in_russian_and_kazakh(name):
    texts = _texts(_docs()[name])
    assert len(texts) == {"who-hsi-2015.v2.json": 1 + 3 + 13 + 68 + 1 + 15,
                          "who-euro-herc-2011.v2.json": 1 + 9 + 52}[name]
    missing = [(where, lang) for where, english, i18n in texts for lang in ("ru", "kk")
               if not isinstance((i18n or {}).get(lang), str) or not i18n[lang].strip() or i18n[lang] == english]
    assert missing == []
    # Russian and Kazakh are told apart by letters only Kazakh has (ә, ғ, қ, ң, ө, ұ, ү, һ, і) in most texts.
    kazakh = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
    assert [where for where, _e, i18n in texts if kazakh & set(i18n["ru"])] == []
    assert len([where for where, _e, i18n in texts if kazakh & set(i18n["kk"])]) >= 0.9 * len(texts)


def _without_translations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_translations(v) for k, v in value.items()
                if not k.endswith("_i18n") and k not in ("version", "translations_note")}
    if isinstance(value, list):
        return [_without_translations(v) for v in value]
    return value


@pytest.mark.parametrize("v2,v1", sorted(V2.items()))
def test_v2_keeps_the_codes_weights_structure_and_statuses_of_v1(v2, v1):
    docs = _docs()
    assert (docs[v1]["version"][-2:], docs[v2]["version"][-2:]) == (".1", ".2")
    assert docs[v1]["version"][:-2] == docs[v2]["version"][:-2]
    assert _without_translations(docs[v2]) == _without_translations(docs[v1])
    assert "_i18n" not in dict(shipped_files())[v1]  # v1 stays as it was shipped


def test_the_loader_stores_instrument_titles_and_not_applicable_conditions(instruments):
    hsi, herc = instruments["hsi"], instruments["herp_checklist"]
    assert (hsi.title_in("kk-kz"), hsi.title_in("ru"), herc.title_in("ru")) == (HSI_TITLE_KK, HSI_TITLE_RU,
                                                                                HERC_TITLE_RU)
    assert hsi.title_in("en") == "WHO Hospital Safety Index, 2nd edition (2015): Safe Hospitals Checklist"
    item1 = InstrumentItem.objects.get(instrument=hsi, code="1")
    assert (item1.not_applicable_when_in("ru"), item1.not_applicable_when_in("kk"),
            item1.not_applicable_when_in("en")) == (ITEM1_NA_RU, ITEM1_NA_KK, ITEM1_NA_EN)
    # Items without a condition have none in any language (the page shows nothing for them).
    assert InstrumentItem.objects.filter(instrument=hsi).exclude(not_applicable_when="").count() == 1
    v1_item1 = InstrumentItem.objects.get(instrument__version="2015-jedel.1", code="1")
    assert (v1_item1.not_applicable_when, v1_item1.not_applicable_when_in("kk")) == (ITEM1_NA_EN, ITEM1_NA_EN)


def test_the_migration_restores_the_condition_of_instruments_loaded_before_it(instruments):
    fill = importlib.import_module("jedel.preparedness.migrations.0005_instrument_texts")._fill_from_shipped_files
    InstrumentItem.objects.update(not_applicable_when="", translations={})
    Instrument.objects.update(translations={})
    changed = Instrument.objects.get(version="2011-jedel.1")
    changed.sha256 = "0" * 64  # as if loaded from another file with the same version: left alone
    changed.save()
    fill(apps, None)
    item1 = InstrumentItem.objects.get(instrument=instruments["hsi"], code="1")
    assert (item1.not_applicable_when, item1.not_applicable_when_in("kk")) == (ITEM1_NA_EN, ITEM1_NA_KK)
    assert Instrument.objects.get(version="2015-jedel.2").title_in("kk") == HSI_TITLE_KK
    assert Instrument.objects.get(version="2011-jedel.2").title_in("ru") == HERC_TITLE_RU
    assert Instrument.objects.get(version="2011-jedel.1").translations == {}


@pytest.fixture
def assessment(hospitals):
    client = Client()
    client.force_login(make_user("prep-texts-mgr", "facility_manager", facility=hospitals["A"]))
    r = client.post("/preparedness/hsi/new/", {"facility": hospitals["A"].pk, "assessed_on": "2026-11-02",
                                              "evaluators": "A. Seitkali"})
    assert r.status_code == 302, r.content[:300]
    return client, int(r["Location"].rstrip("/").split("/")[-1])


def test_the_assessment_page_in_kazakh_shows_item_titles_and_the_not_applicable_text(assessment):
    client, pk = assessment
    page = client.get(f"/preparedness/hsi/{pk}/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert f"<strong>1</strong> {ITEM1_KK} " in page
    assert f": {ITEM1_NA_KK}</p>" in page
    assert f"{MODULE2_KK}</legend>" in page
    assert f'<span id="instrument-title">{HSI_TITLE_KK}</span> (who-hsi-2015 2015-jedel.2)' in page
    assert ITEM1_NA_EN not in page and ITEM1_NA_RU not in page


def test_the_assessment_page_in_russian_shows_russian_items_ratings_and_condition(assessment):
    client, pk = assessment
    page = client.get(f"/preparedness/hsi/{pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f"<strong>4.6.4</strong> {ITEM464_RU} " in page
    assert f": {ITEM1_NA_RU}</p>" in page
    assert f": {ITEM2_LOW_RU}</li>" in page
    english = client.get(f"/preparedness/hsi/{pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f": {ITEM1_NA_EN}</p>" in english and ITEM464_RU not in english


def test_the_plan_page_shows_the_checklist_title_in_the_request_language(hospitals, instruments):
    client = Client()
    client.force_login(make_user("prep-texts-plan", "facility_manager", facility=hospitals["A"]))
    page = client.get(f"/preparedness/plans/{hospitals['A'].pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f'<p class="muted">{HERC_TITLE_RU}' in page


def test_the_pdf_prints_the_condition_of_an_item_rated_not_applicable(assessment):
    client, pk = assessment
    r = client.post(f"/preparedness/hsi/{pk}/rate/", {"level:1": "not_applicable",
                                                      "justification:1": "No prior event on this site.",
                                                      "level:2": "low"})
    assert r.status_code == 302
    pdf = client.get(f"/preparedness/hsi/{pk}/pdf/", HTTP_ACCEPT_LANGUAGE="ru").content
    text = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in pdfium.PdfDocument(pdf))
    assert ITEM1_NA_RU in text and ITEM2_LOW_RU in text
    assert HSI_TITLE_RU in text


def test_after_an_upgrade_old_assessments_keep_v1_and_compare_with_new_ones_in_kazakh(kz):
    from jedel.preparedness.services.instruments import instruments_load
    from tests.capacity.capacity_helpers import make_facility

    facility = make_facility(kz["KZ-75"], "PR-UPG")
    client = Client()
    client.force_login(make_user("prep-texts-upg", "facility_manager", facility=facility))
    instruments_load([(n, t) for n, t in shipped_files() if n.endswith(".v1.json")])  # an older installation
    pks = []
    for files, day, level in ((None, "2026-05-04", "low"), (shipped_files(), "2026-11-02", "high")):
        if files:
            instruments_load(files)  # the upgrade: v2 becomes current
        r = client.post("/preparedness/hsi/new/", {"facility": facility.pk, "assessed_on": day, "evaluators": "A. B."})
        pks.append(int(r["Location"].rstrip("/").split("/")[-1]))
        assert client.post(f"/preparedness/hsi/{pks[-1]}/rate/", {"level:1": level}).status_code == 302
    assert [Instrument.objects.get(assessments__pk=pk).version for pk in pks] == ["2015-jedel.1", "2015-jedel.2"]
    page = client.get(f"/preparedness/hsi/{pks[1]}/compare/", {"other": pks[0]},
                      HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert f"<td>1 · {ITEM1_KK}</td>" in page
    assert (f'<p class="muted" id="instrument-title">{HSI_TITLE_KK} · 2026-05-04: who-hsi-2015 2015-jedel.1 · '
            "2026-11-02: who-hsi-2015 2015-jedel.2</p>") in page

"""Preparedness pages: readiness, an assessment rated through the form, remediation, comparison; en/ru/kk."""

from __future__ import annotations

import pytest
from django.test import Client

from jedel.preparedness.models import HsiAssessment, HsiRating, RemediationTask
from tests.capacity.capacity_helpers import make_user


@pytest.fixture
def manager(hospitals):
    client = Client()
    client.force_login(make_user("prep-page-mgr", "facility_manager", facility=hospitals["A"]))
    return client


def _start(client, hospitals) -> int:
    r = client.post("/preparedness/hsi/new/", {"facility": hospitals["A"].pk, "assessed_on": "2026-11-02",
                                              "evaluators": "A. Seitkali, D. Omarova"})
    assert r.status_code == 302, r.content[:300]
    return int(r["Location"].rstrip("/").split("/")[-1])


def test_start_rate_and_see_index_and_category_then_generate_tasks(manager, hospitals):
    pk = _start(manager, hospitals)
    assert HsiAssessment.objects.get(pk=pk).evaluators == ["A. Seitkali", "D. Omarova"]
    form = {"level:2": "low", "level:4": "high", "level:3.1": "high", "level:3.3.1": "average", "level:4.1.1": "low",
            "level:4.2.1": "average", "level:1": "not_applicable", "justification:1": "No prior event on this site."}
    r = manager.post(f"/preparedness/hsi/{pk}/rate/", form)
    assert r.status_code == 302
    page = manager.get(f"/preparedness/hsi/{pk}/").content.decode()
    # Same case as the API test: 0.498611… → 0.50, category B.
    assert '<div class="kpi-value" id="hsi-index">0.50</div>' in page
    assert '<span class="hsi-cat hsi-B">B</span>' in page
    r = manager.post(f"/preparedness/hsi/{pk}/remediation/", {"owner": "Chief engineer", "due_on": "2027-03-01"})
    assert r.status_code == 302
    assert sorted(RemediationTask.objects.values_list("item__code", flat=True)) == ["2", "4.1.1"]


def test_not_applicable_without_justification_saves_nothing_and_marks_the_item(manager, hospitals):
    pk = _start(manager, hospitals)
    r = manager.post(f"/preparedness/hsi/{pk}/rate/", {"level:2": "low", "level:4": "not_applicable"})
    assert r.status_code == 422
    page = r.content.decode()
    assert 'class="hsi-item has-error" id="item-4"' in page
    assert "An item marked not applicable needs a justification." in page
    assert HsiRating.objects.count() == 0


def test_a_clinician_gets_no_preparedness_pages(hospitals):
    client = Client()
    client.force_login(make_user("prep-clin", "clinician", facility=hospitals["A"]))
    assert client.get("/preparedness/").status_code == 403


@pytest.mark.parametrize("lang,heading,category_text", [
    ("en", "Hospital Safety Index", "Patients, staff and functioning are potentially at risk"),
    ("ru", "Индекс безопасности больниц", "Пациенты, персонал и работа больницы"),
    ("kk", "Ауруханалар қауіпсіздігінің индексі", "Пациенттер, персонал және аурухананың жұмысы"),
])
def test_pages_in_three_languages(manager, hospitals, lang, heading, category_text, settings):
    pk = _start(manager, hospitals)
    manager.post(f"/preparedness/hsi/{pk}/rate/", {"level:2": "low", "level:3.1": "high", "level:4.1.1": "average"})
    manager.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    readiness = manager.get("/preparedness/")
    assert readiness.status_code == 200
    page = manager.get(f"/preparedness/hsi/{pk}/").content.decode()
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{heading}:" in page
    assert category_text in page

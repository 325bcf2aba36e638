"""Distribution pages: every page answers for those allowed, forms post normally (errors come back as messages),
the volunteer's feedback form works in Russian and in Kazakh, names are need-to-know, and a kit's page shows the
feedback as bars and the proposal to approve (for those who may)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from jedel.supplies.models import KitVersion, LedgerEntry
from jedel.supplies.models_distribution import DistributionEvent, FeedbackForm, Household, KitProposal
from jedel.supplies.services.distributions import distribution_create, household_add
from jedel.supplies.services.feedback import proposal_create
from jedel.supplies.services.ledger import on_hand, stock_receive
from tests.supplies.conftest import p
from tests.supplies.test_feedback import PROPOSED, record_round

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 10, 6, 0, tzinfo=UTC)


def as_user(user, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


@pytest.fixture
def event(depot):
    stock_receive(actor=p(depot["people"]["aktobe_log"]), warehouse_id=depot["aktobe"].pk,
                  item_id=depot["items"]["hygiene-kit"].pk, quantity=6)
    return distribution_create(actor=p(depot["people"]["aktobe_log"]), warehouse_id=depot["aktobe"].pk,
                               region_id=depot["aktobe_region"].pk, place="Sports hall, Khromtau",
                               on=date(2026, 4, 10), partner="UNICEF", now=T0)


def messages_of(html: str) -> list[str]:
    return re.findall(r'<p class="message [a-z]+" role="status">([^<]*)</p>', html)


def test_each_page_answers_for_an_allowed_user(depot, event):
    record_round(depot, event)
    proposal = proposal_create(actor=p(depot["people"]["aktobe_log"]), kit_version_id=depot["kit_v1"].pk, now=T0)
    kit = depot["items"]["hygiene-kit"].pk
    pages = ["/supplies/distributions/", "/supplies/distributions/?open=1", "/supplies/distributions/new/",
             f"/supplies/distributions/{event.pk}/", f"/supplies/distributions/{event.pk}/feedback/",
             f"/supplies/kits/{kit}/", f"/supplies/kits/{kit}/?version=1", f"/supplies/proposals/{proposal.pk}/"]
    for who in ("aktobe_log", "national", "viewer"):
        client = as_user(depot["people"][who])
        for url in pages:
            assert client.get(url).status_code == 200, (who, url)
    assert Client().get("/supplies/distributions/").status_code == 302  # to the sign-in page
    assert as_user(depot["people"]["viewer"]).get("/supplies/distributions/999999/").status_code == 404


def test_open_a_distribution_add_households_and_hand_out_through_the_forms(depot):
    log = as_user(depot["people"]["aktobe_log"])
    stock_receive(actor=p(depot["people"]["aktobe_log"]), warehouse_id=depot["aktobe"].pk,
                  item_id=depot["items"]["hygiene-kit"].pk, quantity=3)
    bad = log.post("/supplies/distributions/new/", {"warehouse": depot["aktobe"].pk,
                                                    "region": depot["aktobe_region"].pk, "place": "Kandyagash",
                                                    "on": "10.04.2026"})
    assert bad.status_code == 200 and messages_of(bad.content.decode()) == ["Date: Invalid input."]
    r = log.post("/supplies/distributions/new/", {"warehouse": depot["aktobe"].pk, "region": depot["aktobe_region"].pk,
                                                  "place": "Kandyagash", "on": "2026-04-10", "partner": "UNICEF",
                                                  "lat": "49,47", "lon": "57,42"}, follow=True)
    event = DistributionEvent.objects.get()
    assert r.redirect_chain == [(f"/supplies/distributions/{event.pk}/", 302)]
    assert messages_of(r.content.decode()) == ["The distribution is open: record households and handouts."]
    assert (event.lat, event.lon, event.partner) == (49.47, 57.42, "UNICEF")
    url = f"/supplies/distributions/{event.pk}/"
    page = log.post(f"{url}households/", {"size": "4", "head_name": "Aigul Nurlanovna", "phone": "+77010000000"},
                    follow=True).content.decode()
    assert messages_of(page) == ["Household H-0001 is recorded."] and "Aigul Nurlanovna" in page
    household = Household.objects.get()
    kit = depot["items"]["hygiene-kit"].pk
    page = log.post(f"{url}handouts/", {"household": household.pk, "item": kit, "quantity": "4"},
                    follow=True).content.decode()
    assert messages_of(page) == ["Not enough stock on hand: nothing was issued."]
    page = log.post(f"{url}handouts/", {"household": household.pk, "item": kit, "quantity": "2"},
                    follow=True).content.decode()
    assert messages_of(page) == ["Handed out: 2 × Family hygiene kit."]
    assert on_hand(depot["aktobe"].pk, kit) == 1
    assert LedgerEntry.objects.filter(kind="distribution").get().quantity == -2
    assert re.search(r'id="kpi-persons">4<', page) and re.search(r'id="kpi-units">2<', page)
    page = log.post(f"{url}close/", follow=True).content.decode()
    assert messages_of(page) == ["The distribution is closed."] and 'id="household-form"' not in page
    page = log.post(f"{url}households/", {"size": "2"}, follow=True).content.decode()
    assert messages_of(page) == ["This distribution is closed."] and Household.objects.count() == 1
    # Someone who may not distribute here gets the refusal page, and nothing is written.
    assert as_user(depot["people"]["viewer"]).post(f"{url}households/", {"size": "2"}).status_code == 403


def test_names_on_the_distribution_page_are_need_to_know(depot, event):
    household_add(actor=p(depot["people"]["aktobe_log"]), distribution_id=event.pk, size=4,
                  head_name="Aigul Nurlanovna", phone="+77010000000")
    url = f"/supplies/distributions/{event.pk}/"
    for who, shown in (("aktobe_log", True), ("aktobe_coord", True), ("national", False), ("viewer", False),
                       ("national_log", False)):
        page = as_user(depot["people"][who]).get(url).content.decode()
        assert ("Aigul Nurlanovna" in page, "+77010000000" in page, 'id="no-personal"' in page) == \
            (shown, shown, not shown), who
        assert "H-0001" in page


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_feedback_form_posts_in_russian_and_kazakh(depot, event, language):
    items = depot["items"]
    client = as_user(depot["people"]["aktobe_log"], language)
    url = f"/supplies/distributions/{event.pk}/feedback/"
    form = client.get(url).content.decode()
    assert f'<html lang="{language}">' in form
    assert [f'name="item_{items[c].pk}"' in form for c in ("soap", "toothpaste", "toothbrush", "towel")] == [True] * 4
    assert f'<option value="{items["diapers"].pk}"' in form and f'<option value="{items["soap"].pk}"' not in form
    assert f'value="{language}" checked' in form  # the form starts in the page's language
    r = client.post(url, {"kit_version": depot["kit_v1"].pk, "language": language,
                          f"item_{items['soap'].pk}": "useful", f"item_{items['towel'].pk}": "not_useful",
                          f"item_{items['toothbrush'].pk}": "missing", "missing_item": items["diapers"].pk,
                          "comment": "Жөргек керек" if language == "kk" else "Нужны подгузники"}, follow=True)
    assert r.redirect_chain == [(f"{url}?kit_version={depot['kit_v1'].pk}", 302)]
    assert len(messages_of(r.content.decode())) == 1 and 'id="feedback-form"' in r.content.decode()
    saved = FeedbackForm.objects.get()
    assert (saved.language, saved.kit_version, saved.recorded_by_label) == (language, depot["kit_v1"], "log_aktobe")
    assert sorted(saved.answers.values_list("item__code", "verdict")) == [
        ("diapers", "missing"), ("soap", "useful"), ("toothbrush", "missing"), ("towel", "not_useful")]
    # Nothing rated: refused, and the form comes back with what was typed.
    again = client.post(url, {"kit_version": depot["kit_v1"].pk, "language": language, "comment": "пусто"})
    assert again.status_code == 200 and len(messages_of(again.content.decode())) == 1
    assert "пусто" in again.content.decode() and FeedbackForm.objects.count() == 1


def test_kit_page_draws_the_feedback_and_the_allowed_approve(depot, event):
    record_round(depot, event)
    kit = depot["items"]["hygiene-kit"].pk
    url = f"/supplies/kits/{kit}/"
    page = as_user(depot["people"]["viewer"]).get(url).content.decode()
    # Six items summarised (four components, two asked for), each with a bar; no propose or approve controls.
    assert page.count('class="kit-bar"') == 6 and 'data-item="towel"' in page and 'data-item="gloves"' in page
    # Towel: 4 useful, 6 not useful of 12 forms -> 33.33 % then 50 % of the bar.
    assert '<rect x="33.33" y="0" width="50.00"' in page
    assert "kit_propose" not in page and "/propose/" not in page and 'name="decision"' not in page
    log = as_user(depot["people"]["aktobe_log"])
    r = log.post(f"/supplies/kits/{kit}/versions/{depot['kit_v1'].pk}/propose/")
    proposal = KitProposal.objects.get()
    assert (r.status_code, r["Location"]) == (302, f"/supplies/proposals/{proposal.pk}/")
    page = log.get(url).content.decode()
    assert 'id="proposal-changes"' in page and 'name="decision"' not in page
    refused = log.post(f"/supplies/proposals/{proposal.pk}/decide/", {"decision": "approve"})
    assert refused.status_code == 403 and KitVersion.objects.count() == 1
    national = as_user(depot["people"]["national_log"])
    assert 'name="decision" value="approve"' in national.get(url).content.decode()
    r = national.post(f"/supplies/proposals/{proposal.pk}/decide/", {"decision": "approve", "note": "Aktobe round"},
                      follow=True)
    assert r.redirect_chain == [(f"{url}?version=2", 302)]
    assert messages_of(r.content.decode()) == ["Approved: version 2 of the kit is created."]
    v2 = KitVersion.objects.get(number=2)
    assert {c.item.code: c.quantity for c in v2.components.all()} == PROPOSED
    page = national.post(f"/supplies/proposals/{proposal.pk}/decide/", {"decision": "reject"},
                         follow=True).content.decode()
    assert messages_of(page) == ["This proposal was already decided."]

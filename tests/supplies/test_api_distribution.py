"""The distribution API: a round from opening a distribution to an approved kit version 2, with exact figures,
need-to-know on households' names, and the error codes each refusal answers with."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from jedel.supplies.models import LedgerEntry
from jedel.supplies.models_distribution import FeedbackForm
from jedel.supplies.services.ledger import on_hand, stock_receive
from tests.supplies.conftest import p
from tests.supplies.test_feedback import COLUMNS, EXPECTED, FORMS, PROPOSED

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def codes(response) -> list[str]:
    return [d["code"] for d in response.json()["detail"]]


@pytest.fixture
def opened(depot):
    log = as_user(depot["people"]["aktobe_log"])
    stock_receive(actor=p(depot["people"]["aktobe_log"]), warehouse_id=depot["aktobe"].pk,
                  item_id=depot["items"]["hygiene-kit"].pk, quantity=20)
    r = post(log, "/api/supplies/distributions", {
        "warehouse": depot["aktobe"].pk, "region": depot["aktobe_region"].pk, "place": "School No. 3, Kandyagash",
        "on": "2026-04-10", "partner": "Kazakh Red Crescent", "lat": 49.47, "lon": 57.42})
    assert r.status_code == 201, r.content
    return log, r.json()


def test_distribution_households_handouts_and_figures(depot, opened):
    log, event = opened
    assert (event["place"], event["region_iso"], event["warehouse_code"], event["households"], event["closed_at"]) == \
        ("School No. 3, Kandyagash", "KZ-15", "reg-aktobe", 0, None)
    base = f"/api/supplies/distributions/{event['id']}"
    first = post(log, f"{base}/households", {"size": 5, "head_name": "Aigul Nurlanovna", "phone": "+7 701 000 0000"})
    second = post(log, f"{base}/households", {"size": 3, "reference": "A-17"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == {"id": first.json()["id"], "reference": "H-0001", "size": 5,
                            "head_name": "Aigul Nurlanovna", "phone": "+7 701 000 0000"}
    assert codes(post(log, f"{base}/households", {"size": 2, "reference": "A-17"})) == ["household_exists"]
    kit = depot["items"]["hygiene-kit"].pk
    given = post(log, f"{base}/handouts", {"household": first.json()["id"], "item": kit, "quantity": 2})
    assert given.status_code == 201
    assert (given.json()["kit_version"], given.json()["item_code"], given.json()["quantity"]) == \
        (depot["kit_v1"].pk, "hygiene-kit", 2)
    post(log, f"{base}/handouts", {"household": second.json()["id"], "item": kit, "quantity": 1})
    too_many = post(log, f"{base}/handouts", {"item": kit, "quantity": 18})
    assert (too_many.status_code, codes(too_many)) == (409, ["insufficient_stock"])
    assert on_hand(depot["aktobe"].pk, kit) == 17  # 20 received, 2 + 1 handed out, the 18 refused
    assert sorted(LedgerEntry.objects.filter(kind="distribution").values_list("quantity", flat=True)) == [-2, -1]
    detail = log.get(base).json()
    assert (detail["households"], detail["persons"], detail["items_given"], detail["personal"]) == (2, 8, 3, True)
    assert detail["given"] == [{"item": kit, "item_code": "hygiene-kit", "kit_version": depot["kit_v1"].pk,
                                "kit_version_number": 1, "quantity": 3}]
    listed = as_user(depot["people"]["viewer"]).get("/api/supplies/distributions").json()
    assert [(d["id"], d["households"], d["persons"], d["items_given"]) for d in listed] == [(event["id"], 2, 8, 3)]


def test_households_names_only_for_the_regions_logistics(depot, opened):
    log, event = opened
    url = f"/api/supplies/distributions/{event['id']}/households"
    post(log, url, {"size": 4, "head_name": "Aigul Nurlanovna", "phone": "+7 701 000 0000"})
    seen = {who: [(h["reference"], h["head_name"], h["phone"])
                  for h in as_user(depot["people"][who]).get(url).json()]
            for who in ("aktobe_log", "aktobe_coord", "national", "national_log", "viewer", "almaty_log")}
    named, blank = [("H-0001", "Aigul Nurlanovna", "+7 701 000 0000")], [("H-0001", None, None)]
    assert seen == {"aktobe_log": named, "aktobe_coord": named, "national": blank, "national_log": blank,
                    "viewer": blank, "almaty_log": blank}
    # The national coordinator may record a household yet not read its name back.
    added = post(as_user(depot["people"]["national"]), url, {"size": 2, "head_name": "Marat"})
    assert (added.status_code, added.json()["reference"], added.json()["head_name"]) == (201, "H-0002", None)


def test_feedback_round_summary_proposal_and_decision(depot, opened):
    log, event = opened
    url = f"/api/supplies/distributions/{event['id']}/feedback"
    for i, row in enumerate(FORMS):
        answers = {str(depot["items"][c].pk): v for c, v in zip(COLUMNS, row, strict=True) if v}
        r = post(log, url, {"kit_version": depot["kit_v1"].pk, "language": "kk" if i % 2 else "ru",
                            "answers": answers, "comment": "Полотенца не нужны" if row[3] == "not_useful" else ""})
        assert r.status_code == 201, r.content
    forms = log.get(url).json()
    assert len(forms) == 12 and sum(len(f["answers"]) for f in forms) == 46
    assert [f["language"] for f in forms].count("kk") == 6
    summary = as_user(depot["people"]["viewer"]).get(f"/api/supplies/kit-versions/{depot['kit_v1'].pk}/feedback")
    body = summary.json()
    assert (body["forms"], body["kit"], body["number"]) == (12, "hygiene-kit", 1)
    assert {c["item_code"]: (c["quantity_per_kit"], c["useful"], c["not_useful"], c["missing"], c["ratings"])
            for c in body["components"]} == EXPECTED

    created = post(log, "/api/supplies/kit-proposals", {"kit_version": depot["kit_v1"].pk})
    assert created.status_code == 201, created.content
    proposal = created.json()
    assert (proposal["composition"], proposal["forms_counted"], proposal["status"], proposal["base_number"]) == \
        (PROPOSED, 12, "proposed", 1)
    assert [(c["item"], c["action"], c["reason"]) for c in proposal["changes"]] == [
        ("diapers", "add", "often_missing"), ("towel", "drop", "mostly_not_useful")]
    again = post(log, "/api/supplies/kit-proposals", {"kit_version": depot["kit_v1"].pk})
    assert (again.status_code, codes(again)) == (409, ["proposal_open"])

    decide = f"/api/supplies/kit-proposals/{proposal['id']}/decide"
    refused = post(log, decide, {"approve": True})
    assert (refused.status_code, codes(refused)) == (403, ["forbidden"])
    approved = post(as_user(depot["people"]["national_log"]), decide, {"approve": True, "note": "After Aktobe"})
    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["result_number"], approved.json()["decided_by"]) == \
        ("approved", 2, "log_national")
    twice = post(as_user(depot["people"]["national"]), decide, {"approve": False})
    assert (twice.status_code, codes(twice)) == (409, ["proposal_decided"])
    listed = log.get(f"/api/supplies/kit-proposals?kit_version={depot['kit_v1'].pk}&status=approved").json()
    assert [p_["id"] for p_ in listed] == [proposal["id"]]
    assert log.get(f"/api/supplies/kit-proposals/{proposal['id']}").json()["result"] == approved.json()["result"]


def test_closing_and_error_codes(depot, opened):
    log, event = opened
    base = f"/api/supplies/distributions/{event['id']}"
    bad = post(log, f"{base}/feedback", {"kit_version": depot["kit_v1"].pk, "language": "en",
                                         "answers": {str(depot["items"]["soap"].pk): "useful"}})
    assert (bad.status_code, codes(bad)) == (422, ["invalid"])
    empty = post(log, f"{base}/feedback", {"kit_version": depot["kit_v1"].pk, "language": "ru", "answers": {}})
    assert (empty.status_code, codes(empty)) == (422, ["feedback_empty"])
    none = post(log, "/api/supplies/kit-proposals", {"kit_version": depot["kit_v1"].pk})
    assert (none.status_code, codes(none)) == (422, ["not_enough_feedback"])
    missing = log.get("/api/supplies/distributions/999999")
    assert (missing.status_code, codes(missing)) == (404, ["distribution_not_found"])
    assert codes(log.get("/api/supplies/kit-proposals/999999")) == ["proposal_not_found"]
    assert codes(log.get("/api/supplies/kit-versions/999999/feedback")) == ["kit_version_not_found"]
    nul = post(log, "/api/supplies/distributions", {"warehouse": depot["aktobe"].pk, "region": 1, "place": "a\x00",
                                                    "on": "2026-04-10"})
    assert nul.status_code == 422
    other = post(as_user(depot["people"]["almaty_log"]), f"{base}/households", {"size": 2})
    assert (other.status_code, codes(other)) == (403, ["forbidden"])
    closed = post(log, f"{base}/close")
    assert (closed.status_code, closed.json()["version"]) == (200, 2) and closed.json()["closed_at"] is not None
    for path, body in ((f"{base}/close", {}), (f"{base}/households", {"size": 2}),
                       (f"{base}/handouts", {"item": depot["items"]["hygiene-kit"].pk, "quantity": 1}),
                       (f"{base}/feedback", {"kit_version": depot["kit_v1"].pk, "language": "ru",
                                             "answers": {str(depot["items"]["soap"].pk): "useful"}})):
        r = post(log, path, body)
        assert (r.status_code, codes(r)) == (409, ["distribution_closed"]), path
    assert FeedbackForm.objects.count() == 0
    assert Client().get("/api/supplies/distributions").status_code == 401
    assert date.fromisoformat(log.get(base).json()["on"]) == date(2026, 4, 10)

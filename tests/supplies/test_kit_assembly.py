"""Kit assembly: kit v1 (soap x4, toothpaste x2, toothbrush x4, towel x2) made from components on hand.

Expected figures are worked by hand from the fixture's composition and the lots received in each test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jedel.common.errors import DomainError, NotFound
from tests.supplies.conftest import p

NOW = datetime(2026, 5, 4, 9, tzinfo=UTC)


def _receive(depot, warehouse, code, quantity, lot="", expires_on=None):
    from jedel.supplies.services.ledger import stock_receive

    stock_receive(actor=p(depot["people"]["national"]), warehouse_id=depot[warehouse].pk,
                  item_id=depot["items"][code].pk, quantity=quantity, lot=lot, expires_on=expires_on, now=NOW)


def _stock(depot, warehouse, code) -> dict[str, int]:
    from jedel.supplies.models import StockBalance

    return {b.batch.lot: b.on_hand for b in StockBalance.objects.filter(
        warehouse=depot[warehouse], item=depot["items"][code]).select_related("batch") if b.on_hand}


def _stock_for_ten(depot):
    """Enough for exactly 10 kits at Almaty region's warehouse, soap and toothpaste in two lots each."""
    _receive(depot, "almaty", "soap", 25, "S-LATE", date(2029, 3, 31))
    _receive(depot, "almaty", "soap", 15, "S-EARLY", date(2028, 1, 31))
    _receive(depot, "almaty", "toothpaste", 12, "T-1", date(2027, 9, 30))
    _receive(depot, "almaty", "toothpaste", 8, "T-2", date(2028, 6, 30))
    _receive(depot, "almaty", "toothbrush", 40)
    _receive(depot, "almaty", "towel", 20)


def _assemble(depot, count, who="almaty_log", **kw):
    from jedel.supplies.services.kits import kit_assemble

    return kit_assemble(actor=p(depot["people"][who]), warehouse_id=depot["almaty"].pk,
                        kit_version_id=depot["kit_v1"].pk, count=count, now=NOW, **kw)


def test_ten_kits_take_their_components_earliest_expiry_first_and_expire_with_the_first_of_them(depot):
    _stock_for_ten(depot)
    made = _assemble(depot, 7)

    # 7 kits: soap 28 (15 of S-EARLY, 13 of S-LATE), toothpaste 14 (12 of T-1, 2 of T-2), toothbrush 28, towel 14.
    assert made.taken == [("soap", "S-EARLY", 15), ("soap", "S-LATE", 13), ("toothbrush", "", 28),
                          ("toothpaste", "T-1", 12), ("toothpaste", "T-2", 2), ("towel", "", 14)]
    assert (made.count, made.expires_on) == (7, date(2027, 9, 30))  # T-1's date, the earliest taken
    assert made.lot == "hygiene-kit-v1-20260504-E20270930"
    assert _stock(depot, "almaty", "soap") == {"S-LATE": 12}
    assert _stock(depot, "almaty", "toothpaste") == {"T-2": 6}
    assert _stock(depot, "almaty", "hygiene-kit") == {"hygiene-kit-v1-20260504-E20270930": 7}


def test_the_ledger_records_every_component_out_and_the_kits_in_as_kit_assembly(depot):
    from jedel.accounts.models import AuditEvent
    from jedel.supplies.models import LedgerEntry

    _stock_for_ten(depot)
    _assemble(depot, 2, lot="KIT-A")
    entries = sorted((e.item.code, e.batch.lot, e.quantity) for e in LedgerEntry.objects.filter(kind="kit_assembly"))
    assert entries == [("hygiene-kit", "KIT-A", 2), ("soap", "S-EARLY", -8), ("toothbrush", "", -8),
                       ("toothpaste", "T-1", -4), ("towel", "", -4)]
    audit = AuditEvent.objects.get(action="kit_assemble")
    assert (audit.changes["count"], audit.changes["lot"], audit.object_id) == ("2", "KIT-A", str(depot["almaty"].pk))


def test_one_component_short_refuses_the_whole_assembly_and_names_it(depot):
    from jedel.supplies.models import LedgerEntry

    _stock_for_ten(depot)
    with pytest.raises(DomainError) as refused:
        _assemble(depot, 11)  # soap: 44 needed, 40 on hand; components are taken in code order, soap first
    assert (refused.value.code.value, refused.value.field, refused.value.status) == (
        "insufficient_stock", "components.soap", 409)
    assert "44" in refused.value.detail and "40" in refused.value.detail
    assert LedgerEntry.objects.filter(kind="kit_assembly").count() == 0
    assert _stock(depot, "almaty", "soap") == {"S-LATE": 25, "S-EARLY": 15}


def test_expired_component_lots_are_not_used_and_not_counted_as_usable(depot):
    _receive(depot, "almaty", "soap", 4, "S-OLD", date(2026, 1, 31))  # expired before NOW
    _receive(depot, "almaty", "toothpaste", 2)
    _receive(depot, "almaty", "toothbrush", 4)
    _receive(depot, "almaty", "towel", 2)
    with pytest.raises(DomainError) as refused:
        _assemble(depot, 1)
    assert refused.value.field == "components.soap"
    assert "0 usable" in refused.value.detail


def test_kits_without_dated_components_have_no_expiry_and_need_no_lot(depot):
    for code, units in [("soap", 4), ("toothpaste", 2), ("toothbrush", 4), ("towel", 2)]:
        _receive(depot, "almaty", code, units)
    made = _assemble(depot, 1)
    assert (made.lot, made.expires_on) == ("", None)
    assert _stock(depot, "almaty", "soap") == {}


@pytest.mark.parametrize(("who", "count", "code", "status"), [
    ("aktobe_log", 1, "forbidden", 403),       # another region's logistician
    ("viewer", 1, "forbidden", 403),
    ("almaty_log", 0, "not_positive", 422),
    ("almaty_log", 100_001, "invalid", 422),
])
def test_refusals(depot, who, count, code, status):
    from jedel.supplies.models import LedgerEntry

    _stock_for_ten(depot)
    before = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        _assemble(depot, count, who=who)
    assert (refused.value.code.value, refused.value.status) == (code, status)
    assert LedgerEntry.objects.count() == before


def test_an_unknown_kit_version_is_not_found(depot):
    from jedel.supplies.services.kits import kit_assemble

    with pytest.raises(NotFound) as missing:
        kit_assemble(actor=p(depot["people"]["almaty_log"]), warehouse_id=depot["almaty"].pk, kit_version_id=99999,
                     count=1, now=NOW)
    assert missing.value.code.value == "kit_version_not_found"


def test_api_assembles_and_answers_409_when_short(depot, client):
    import json

    _stock_for_ten(depot)
    client.force_login(depot["people"]["almaty_log"])
    url = f"/api/supplies/warehouses/{depot['almaty'].pk}/kit-assemblies"
    made = client.post(url, json.dumps({"kit_version": depot["kit_v1"].pk, "count": 10, "lot": "K-10"}),
                       content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["kit"], body["version"], body["count"], body["lot"], body["expires_on"]) == (
        "hygiene-kit", 1, 10, "K-10", "2027-09-30")
    assert sum(t["quantity"] for t in body["taken"] if t["item"] == "soap") == 40
    short = client.post(url, json.dumps({"kit_version": depot["kit_v1"].pk, "count": 1}),
                        content_type="application/json")
    assert short.status_code == 409
    assert [(d["code"], d["loc"]) for d in short.json()["detail"]] == [("insufficient_stock", ["components", "soap"])]


def test_the_warehouse_page_assembles_kits(depot, client):
    _stock_for_ten(depot)
    client.force_login(depot["people"]["almaty_log"])
    url = f"/supplies/warehouses/{depot['almaty'].pk}/"
    page = client.get(url)
    assert b'name="assemble-kit_version"' in page.content
    done = client.post(url, {"action": "assemble", "assemble-kit_version": depot["kit_v1"].pk, "assemble-count": 3,
                             "assemble-lot": ""}, follow=True)
    assert done.status_code == 200
    from django.utils import timezone

    today = timezone.localdate().strftime("%Y%m%d")
    assert _stock(depot, "almaty", "hygiene-kit") == {f"hygiene-kit-v1-{today}-E20270930": 3}
    short = client.post(url, {"action": "assemble", "assemble-kit_version": depot["kit_v1"].pk,
                              "assemble-count": 9, "assemble-lot": ""})
    assert short.status_code == 422
    assert "Not enough soap" in short.content.decode()

"""The stock ledger: exact balances after every kind of movement, earliest-expiry-first issues, refusals that
write nothing, the invariant stock == sum of movements over a long random run, immutable entries, lot expiry
conflicts, who may move stock where, the audit trail, and the low-stock notice."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
from django.db.models import Sum

from jedel.accounts.models import AuditEvent
from jedel.common.errors import DomainError
from jedel.notifications.models import Notice
from jedel.supplies.models import Batch, LedgerEntry, StockBalance
from jedel.supplies.services.catalogue import minimum_set
from jedel.supplies.services.ledger import expiry_write_off, on_hand, stock_adjust, stock_issue, stock_receive
from tests.supplies.conftest import p

pytestmark = pytest.mark.django_db

# 06:00 UTC is late morning in Almaty, so the local date is 2026-05-04 whichever UTC offset the zone uses.
NOW = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
TODAY = date(2026, 5, 4)


def _who(depot, person):
    return p(depot["people"][person])


def receive(depot, qty, *, code="gloves", wh="aktobe", lot="", exp=None, who="aktobe_log"):
    return stock_receive(actor=_who(depot, who), warehouse_id=depot[wh].pk, item_id=depot["items"][code].pk,
                         quantity=qty, lot=lot, expires_on=exp, now=NOW)


def issue(depot, qty, *, code="gloves", wh="aktobe", lot=None, who="aktobe_log"):
    taken = stock_issue(actor=_who(depot, who), warehouse_id=depot[wh].pk, item_id=depot["items"][code].pk,
                        quantity=qty, lot=lot, now=NOW)
    return [(t.batch.lot, t.quantity) for t in taken]


def adjust(depot, delta, *, code="gloves", wh="aktobe", lot="", exp=None, note="recount"):
    return stock_adjust(actor=_who(depot, "aktobe_log"), warehouse_id=depot[wh].pk,
                        item_id=depot["items"][code].pk, delta=delta, lot=lot, expires_on=exp, note=note, now=NOW)


def lots(depot, *, code="gloves", wh="aktobe") -> dict[str, int]:
    """On hand per lot at a warehouse."""
    return dict(StockBalance.objects.filter(warehouse=depot[wh], item=depot["items"][code])
                .values_list("batch__lot", "on_hand"))


def ledger_sums() -> dict[tuple[int, int, int], int]:
    rows = LedgerEntry.objects.values("warehouse_id", "item_id", "batch_id").annotate(s=Sum("quantity"))
    return {(r["warehouse_id"], r["item_id"], r["batch_id"]): r["s"] for r in rows}


def balances() -> dict[tuple[int, int, int], int]:
    return {(b.warehouse_id, b.item_id, b.batch_id): b.on_hand for b in StockBalance.objects.all()}


def test_receipt_issue_and_adjustments_give_exact_balances(depot):
    receive(depot, 100)
    assert issue(depot, 30) == [("", 30)]
    adjust(depot, 5, note="found behind a pallet")
    adjust(depot, -10, note="water damage")
    # 100 - 30 + 5 - 10 = 65
    assert on_hand(depot["aktobe"].pk, depot["items"]["gloves"].pk) == 65
    assert list(LedgerEntry.objects.order_by("pk").values_list("kind", "quantity", "note")) == [
        ("receipt", 100, ""), ("issue", -30, ""), ("adjustment", 5, "found behind a pallet"),
        ("adjustment", -10, "water damage")]
    assert on_hand(depot["almaty"].pk, depot["items"]["gloves"].pk) == 0


def test_issues_take_the_earliest_expiry_first_and_skip_expired_lots(depot):
    for lot, exp, qty in [("G-C", date(2027, 3, 1), 30), ("G-A", date(2026, 9, 1), 10), ("G-N", None, 50),
                          ("G-B2", date(2026, 12, 1), 4), ("G-B", date(2026, 12, 1), 20),
                          ("G-X", date(2026, 4, 1), 40), ("G-T", TODAY, 3)]:
        receive(depot, qty, lot=lot, exp=exp)
    # Order: G-T (expires today: still usable), G-A (Sep), G-B then G-B2 (same day: by lot), G-C (2027),
    # G-N (no expiry) last; G-X expired on 1 April and is never issued. 45 = 3 + 10 + 20 + 4 + 8.
    assert issue(depot, 45) == [("G-T", 3), ("G-A", 10), ("G-B", 20), ("G-B2", 4), ("G-C", 8)]
    # 22 left in G-C, then 50 in G-N: 60 = 22 + 38.
    assert issue(depot, 60) == [("G-C", 22), ("G-N", 38)]
    assert lots(depot) == {"G-T": 0, "G-A": 0, "G-B": 0, "G-B2": 0, "G-C": 0, "G-N": 12, "G-X": 40}
    # 52 on hand but only 12 usable: 13 is refused.
    with pytest.raises(DomainError) as refused:
        issue(depot, 13)
    assert (refused.value.code.value, refused.value.status) == ("insufficient_stock", 409)
    assert lots(depot)["G-N"] == 12


def test_too_large_an_issue_spanning_lots_is_refused_and_writes_nothing(depot):
    receive(depot, 10, lot="L1", exp=date(2026, 10, 1))
    receive(depot, 5, lot="L2", exp=date(2026, 11, 1))
    entries, audits = LedgerEntry.objects.count(), AuditEvent.objects.filter(action="stock_issue").count()
    # 16 > 10 + 5: L1 would be emptied before L2 is found short; all of it must be undone.
    with pytest.raises(DomainError) as refused:
        issue(depot, 16)
    assert (refused.value.code.value, refused.value.status, refused.value.field) == ("insufficient_stock", 409,
                                                                                     "quantity")
    with pytest.raises(DomainError) as by_lot:
        issue(depot, 11, lot="L1")
    assert by_lot.value.code.value == "insufficient_stock"
    assert lots(depot) == {"L1": 10, "L2": 5}
    assert LedgerEntry.objects.count() == entries
    assert AuditEvent.objects.filter(action="stock_issue").count() == audits
    # Exactly what is on hand is allowed.
    assert issue(depot, 15) == [("L1", 10), ("L2", 5)]


def test_bad_quantities_and_unknown_lot_are_refused(depot):
    receive(depot, 10, lot="L1", exp=date(2026, 10, 1))
    for qty in (0, -3, True):
        with pytest.raises(DomainError) as bad:
            issue(depot, qty)
        assert (bad.value.code.value, bad.value.field) == ("not_positive", "quantity")
    with pytest.raises(DomainError) as unknown:
        issue(depot, 1, lot="NO-SUCH-LOT")
    assert (unknown.value.code.value, unknown.value.field) == ("batch_item_mismatch", "lot")
    with pytest.raises(DomainError) as no_reason:
        adjust(depot, -1, lot="L1", note="  ")
    assert (no_reason.value.code.value, no_reason.value.field) == ("invalid", "note")
    assert lots(depot) == {"L1": 10}


def test_expiry_write_off_takes_the_whole_expired_lot_only(depot):
    receive(depot, 40, lot="G-X", exp=date(2026, 4, 1))
    receive(depot, 7, lot="G-T", exp=TODAY)
    units = expiry_write_off(actor=_who(depot, "aktobe_log"), warehouse_id=depot["aktobe"].pk,
                             item_id=depot["items"]["gloves"].pk, lot="G-X", now=NOW)
    assert units == 40
    assert lots(depot) == {"G-X": 0, "G-T": 7}
    entry = LedgerEntry.objects.get(kind="expiry")
    assert (entry.quantity, entry.batch.lot, entry.note) == (-40, "G-X", "expired 2026-04-01")
    for lot, code in [("G-T", "not_expired"), ("G-X", "insufficient_stock")]:  # expiring today; already empty
        with pytest.raises(DomainError) as refused:
            expiry_write_off(actor=_who(depot, "aktobe_log"), warehouse_id=depot["aktobe"].pk,
                             item_id=depot["items"]["gloves"].pk, lot=lot, now=NOW)
        assert refused.value.code.value == code
    assert LedgerEntry.objects.filter(kind="expiry").count() == 1


def test_a_negative_adjustment_may_take_an_expired_lot(depot):
    receive(depot, 40, lot="G-X", exp=date(2026, 4, 1))
    adjust(depot, -15, lot="G-X", note="destroyed in the flood")
    assert lots(depot) == {"G-X": 25}


def test_stock_always_equals_the_sum_of_movements_over_300_random_operations(depot):
    """An independent model of the rules (per-lot balances, earliest expiry first, expired lots skipped by issues)
    predicts every outcome; the stored balances must match it and the ledger's sums."""
    rng = random.Random(20260504)
    expiry = {"": None, "L1": date(2027, 1, 1), "L2": date(2026, 8, 1), "L3": date(2026, 8, 1),
              "LX": date(2026, 1, 1)}
    places, codes = ["aktobe", "store", "national"], ["gloves", "mask-n95"]
    model: dict[tuple[str, str, str], int] = {}
    known_lots: set[tuple[str, str]] = set()  # (item, lot) batches that exist (a lot is per item, not per place)
    outcomes = {"ok": 0, "refused": 0}

    def fefo(wh, code):
        usable = [lot for (w, c, lot), n in model.items()
                  if (w, c) == (wh, code) and n > 0 and (expiry[lot] is None or expiry[lot] >= TODAY)]
        return sorted(usable, key=lambda lot: (expiry[lot] is None, expiry[lot] or TODAY, lot))

    for _ in range(300):
        wh, code, op = rng.choice(places), rng.choice(codes), rng.random()
        lot = rng.choice(list(expiry))
        if op < 0.35:
            qty = rng.randint(1, 40)
            receive(depot, qty, code=code, wh=wh, lot=lot, exp=expiry[lot], who="national_log")
            model[(wh, code, lot)] = model.get((wh, code, lot), 0) + qty
            known_lots.add((code, lot))
            continue
        if op < 0.8:
            qty, named = rng.randint(1, 60), rng.random() < 0.3
            if named and ((code, lot) not in known_lots or lot == "LX"):
                continue  # an unknown lot is a different refusal, tested elsewhere; an expired one is not issued
            order = [lot] if named else fefo(wh, code)
            expected_ok = sum(model.get((wh, code, lt), 0) for lt in order) >= qty
            try:
                taken = issue(depot, qty, code=code, wh=wh, lot=lot if named else None, who="national_log")
            except DomainError as exc:
                assert (exc.code.value, expected_ok) == ("insufficient_stock", False)
                outcomes["refused"] += 1
                continue
            assert expected_ok
            left, want = qty, []
            for lt in order:
                part = min(left, model.get((wh, code, lt), 0))
                if part:
                    want.append((lt, part))
                    model[(wh, code, lt)] -= part
                    left -= part
            assert taken == want
            outcomes["ok"] += 1
            continue
        delta = rng.choice([-1, 1]) * rng.randint(1, 25)
        if delta < 0 and (code, lot) not in known_lots:
            continue
        try:
            stock_adjust(actor=_who(depot, "national_log"), warehouse_id=depot[wh].pk,
                         item_id=depot["items"][code].pk, delta=delta, lot=lot, expires_on=expiry[lot],
                         note="random", now=NOW)
        except DomainError as exc:
            assert delta < 0 and model.get((wh, code, lot), 0) < -delta and exc.code.value == "insufficient_stock"
            outcomes["refused"] += 1
            continue
        assert model.get((wh, code, lot), 0) + delta >= 0
        model[(wh, code, lot)] = model.get((wh, code, lot), 0) + delta
        known_lots.add((code, lot))
        outcomes["ok"] += 1

    assert outcomes["ok"] > 50 and outcomes["refused"] > 10  # both paths were exercised
    stored = balances()
    assert stored == ledger_sums()
    assert min(stored.values()) >= 0
    by_name = {(b.warehouse.code, b.item.code, b.batch.lot): b.on_hand
               for b in StockBalance.objects.select_related("warehouse", "item", "batch")}
    codes_of = {k: depot[k].code for k in places}
    assert by_name == {(codes_of[w], c, lot): n for (w, c, lot), n in model.items()}


def test_ledger_entries_cannot_be_changed_or_deleted(depot):
    entry = receive(depot, 10)
    entry.quantity = 1000
    with pytest.raises(ValueError, match="immutable"):
        entry.save()
    with pytest.raises(ValueError, match="immutable"):
        LedgerEntry.objects.get(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).quantity == 10


def test_a_lot_keeps_its_first_expiry_date(depot):
    receive(depot, 10, lot="L-1", exp=date(2027, 1, 1))
    before = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as conflict:
        receive(depot, 5, lot="L-1", exp=date(2027, 6, 1), wh="store")
    assert (conflict.value.code.value, conflict.value.field) == ("expiry_conflict", "expires_on")
    with pytest.raises(DomainError) as by_adjustment:
        adjust(depot, 5, lot="L-1", exp=date(2027, 6, 1))
    assert by_adjustment.value.code.value == "expiry_conflict"
    assert LedgerEntry.objects.count() == before
    assert lots(depot, wh="store") == {}
    # Without a date the lot's recorded one holds; another item may use the same lot number with its own date.
    receive(depot, 5, lot="L-1", exp=None)
    receive(depot, 3, lot="L-1", exp=date(2028, 2, 2), code="mask-n95")
    assert lots(depot) == {"L-1": 15}
    assert dict(Batch.objects.filter(lot="L-1").values_list("item__code", "expires_on")) == {
        "gloves": date(2027, 1, 1), "mask-n95": date(2028, 2, 2)}


def test_stock_without_a_lot_or_expiry_is_never_treated_as_expired(depot):
    with pytest.raises(DomainError) as refused:  # an expiry date needs its lot number
        receive(depot, 5, exp=date(2026, 4, 1))
    assert (refused.value.code.value, refused.value.field) == ("lot_required", "lot")
    receive(depot, 10)  # no lot, does not expire
    assert issue(depot, 10) == [("", 10)]


@pytest.mark.parametrize("who,wh,allowed", [
    ("clinician_h1", "store", False),
    ("almaty_log", "aktobe", False),
    ("viewer", "aktobe", False),
    ("manager_h1", "aktobe", False),
    ("manager_h1", "store", True),
    ("aktobe_log", "store", True),
    ("aktobe_coord", "aktobe", True),
    ("national_log", "almaty", True),
])
def test_who_may_move_stock_where(depot, who, wh, allowed):
    if allowed:
        receive(depot, 4, wh=wh, who=who)
        assert issue(depot, 3, wh=wh, who=who) == [("", 3)]
        assert on_hand(depot[wh].pk, depot["items"]["gloves"].pk) == 1
        return
    receive(depot, 4, wh=wh, who="national_log")
    for attempt in (lambda: receive(depot, 4, wh=wh, who=who), lambda: issue(depot, 3, wh=wh, who=who)):
        with pytest.raises(DomainError) as denied:
            attempt()
        assert (denied.value.status, denied.value.code.value) == (403, "forbidden")
    assert on_hand(depot[wh].pk, depot["items"]["gloves"].pk) == 4
    assert AuditEvent.objects.filter(action="move_stock", outcome="denied").count() == 2


def test_every_movement_is_audited(depot):
    receive(depot, 10, lot="L1", exp=date(2026, 10, 1))
    receive(depot, 10, lot="L2", exp=date(2026, 11, 1))
    issue(depot, 15)
    adjust(depot, -2, lot="L2", note="torn")
    rows = list(AuditEvent.objects.filter(object_type="warehouse", outcome="ok").order_by("id"))
    assert [r.action for r in rows] == ["stock_receive", "stock_receive", "stock_issue", "stock_adjust"]
    assert {(r.actor_label, r.object_id, r.region_id) for r in rows} == {
        ("log_aktobe", str(depot["aktobe"].pk), depot["aktobe_region"].pk)}
    assert (rows[0].changes["item"], rows[0].changes["quantity"], rows[0].changes["lot"]) == ("gloves", "10", "L1")
    assert (rows[2].changes["quantity"], rows[2].changes["lots"]) == ("15", "L1,L2")
    assert (rows[3].changes["delta"], rows[3].changes["note"]) == ("-2", "torn")


def test_low_stock_notice_once_while_open_and_none_for_a_refused_issue(depot, django_capture_on_commit_callbacks):
    receive(depot, 100)
    minimum_set(actor=_who(depot, "aktobe_log"), warehouse_id=depot["aktobe"].pk,
                item_id=depot["items"]["gloves"].pk, min_units=50, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        issue(depot, 50)  # 50 left: at the minimum is not below it
    assert Notice.objects.filter(kind="low_stock").count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        issue(depot, 10)  # 40 < 50
    notice = Notice.objects.get(kind="low_stock")
    assert notice.data == {"warehouse": depot["aktobe"].pk, "item": "gloves", "on_hand": 40, "minimum": 50}
    assert (notice.status, notice.repeats, notice.region_id) == ("open", 0, depot["aktobe_region"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        issue(depot, 5)  # 35: still below, the open notice only counts the repeat
    assert list(Notice.objects.filter(kind="low_stock").values_list("repeats", flat=True)) == [1]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(DomainError):
            issue(depot, 36)
    assert callbacks == []
    assert list(Notice.objects.filter(kind="low_stock").values_list("repeats", flat=True)) == [1]

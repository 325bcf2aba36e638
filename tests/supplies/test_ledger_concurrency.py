"""Concurrent writers on one stock balance: issues never drive stock negative and never lose an update, and
first receipts of one lot into an empty warehouse all land.

Meaningful on PostgreSQL only (run with DATABASE_URL=postgresql://...): pytest-django's SQLite test database is
an in-memory shared-cache database where a second writer fails with "table is locked" instead of waiting.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from jedel.common.errors import DomainError
from jedel.supplies.models import Batch, EntryKind, LedgerEntry, StockBalance
from jedel.supplies.services.ledger import stock_issue, stock_receive, take
from tests.common.races import race, require_postgres
from tests.supplies.conftest import p

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    require_postgres()


def refusals(results) -> list[str]:
    out = [r.code.value for r in results if isinstance(r, DomainError)]
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, DomainError)]
    assert unexpected == []
    return out


def per_lot(depot, wh="aktobe", code="gloves") -> dict[str, tuple[int, int]]:
    """lot -> (balance, sum of the ledger's entries)."""
    item = depot["items"][code]
    sums = dict(LedgerEntry.objects.filter(warehouse=depot[wh], item=item).values("batch__lot")
                .annotate(s=Sum("quantity")).values_list("batch__lot", "s"))
    return {b.batch.lot: (b.on_hand, sums.get(b.batch.lot, 0))
            for b in StockBalance.objects.filter(warehouse=depot[wh], item=item).select_related("batch")}


def issuer(depot, qty, wh="aktobe"):
    actor = p(depot["people"]["aktobe_log"])
    return lambda: stock_issue(actor=actor, warehouse_id=depot[wh].pk, item_id=depot["items"]["gloves"].pk,
                               quantity=qty)


def stock(depot, qty, lot="", exp=None, wh="aktobe"):
    stock_receive(actor=p(depot["people"]["aktobe_log"]), warehouse_id=depot[wh].pk,
                  item_id=depot["items"]["gloves"].pk, quantity=qty, lot=lot, expires_on=exp)


@pytest.mark.parametrize("writers", [2, 8])
def test_one_of_several_issues_of_6_from_10_wins(depot, writers):
    stock(depot, 10)
    results = race([issuer(depot, 6) for _ in range(writers)])
    # 10 - 6 = 4 leaves too little for a second 6.
    assert refusals(results) == ["insufficient_stock"] * (writers - 1)
    assert per_lot(depot) == {"": (4, 4)}
    assert LedgerEntry.objects.filter(kind="issue").count() == 1


def test_eight_issues_of_1_from_5_take_exactly_5(depot):
    stock(depot, 5)
    results = race([issuer(depot, 1) for _ in range(8)])
    assert sorted(refusals(results)) == ["insufficient_stock"] * 3
    assert per_lot(depot) == {"": (0, 0)}
    assert LedgerEntry.objects.filter(kind="issue").count() == 5


def test_concurrent_fefo_issues_across_two_lots_never_go_negative(depot):
    stock(depot, 7, lot="A", exp=date(2030, 1, 1))
    stock(depot, 7, lot="B", exp=date(2031, 1, 1))
    results = race([issuer(depot, 4) for _ in range(8)])
    issued = [sum(t.quantity for t in r) for r in results if isinstance(r, list)]
    assert set(issued) == {4}
    # 14 units hold at most 3 issues of 4 (12); the stale-read refusal (below) may cost one more.
    assert 1 <= len(issued) <= 3
    assert len(refusals(results)) == 8 - len(issued)
    lots = per_lot(depot)
    assert all(balance == ledger_sum >= 0 for balance, ledger_sum in lots.values())
    assert sum(balance for balance, _ in lots.values()) == 14 - 4 * len(issued)


def _wait_for_a_lock_wait(timeout_s: float = 10.0) -> None:
    """Return once some session of this database waits for a row lock."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise AssertionError("the second issue never waited for the first one's lock")


def test_an_issue_that_finds_its_first_lot_shortened_takes_the_rest_of_it(depot):
    stock(depot, 10, lot="A", exp=date(2030, 1, 1))
    stock(depot, 10, lot="B", exp=date(2031, 1, 1))
    item, wh = depot["items"]["gloves"], depot["aktobe"]
    holding, release = threading.Event(), threading.Event()

    def first():  # takes 6 of A and keeps A's row locked until released
        try:
            with transaction.atomic():
                take(wh, item, 6, EntryKind.ISSUE, actor_label="first", now=timezone.now())
                holding.set()
                release.wait(timeout=20)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        second: dict[str, object] = {}

        def run_second():
            try:
                second["taken"] = issuer(depot, 12)()
            except BaseException as exc:  # noqa: BLE001 - reported to the main thread
                second["taken"] = exc
            finally:
                connection.close()

        other = threading.Thread(target=run_second)
        other.start()
        _wait_for_a_lock_wait()  # the second issue read A = 10 and now waits on A's row
    finally:
        release.set()
        thread.join(timeout=20)
    other.join(timeout=20)
    # A has 10 - 6 = 4 after the first issue; B 10: 12 = 4 from A + 8 from B.
    taken = second["taken"]
    assert not isinstance(taken, BaseException), taken
    assert [(t.batch.lot, t.quantity) for t in taken] == [("A", 4), ("B", 8)]
    assert per_lot(depot) == {"A": (0, 0), "B": (2, 2)}


@pytest.mark.parametrize("writers", [2, 8])
def test_concurrent_first_receipts_of_one_lot_all_land(depot, writers):
    actor = p(depot["people"]["almaty_log"])
    quantities = [3 + i for i in range(writers)]  # 3, 4, ...: the sum shows that none was lost
    results = race([lambda q=q: stock_receive(actor=actor, warehouse_id=depot["almaty"].pk,
                                              item_id=depot["items"]["gloves"].pk, quantity=q, lot="NEW-LOT",
                                              expires_on=date(2027, 1, 1)) for q in quantities])
    assert refusals(results) == []
    assert Batch.objects.filter(lot="NEW-LOT").count() == 1
    assert per_lot(depot, wh="almaty") == {"NEW-LOT": (sum(quantities), sum(quantities))}
    assert LedgerEntry.objects.filter(kind="receipt", warehouse=depot["almaty"]).count() == writers

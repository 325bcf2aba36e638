"""Stock-count import: a valid file becomes exactly the adjustments counted − on hand; a file with any bad line
writes nothing and lists every bad line with its field; the API answers 422 with that list."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jedel.accounts.models import AuditEvent
from jedel.facilities.io import ImportFailed
from jedel.supplies.models import Batch, LedgerEntry, StockBalance
from jedel.supplies.services.ledger import stock_receive
from jedel.supplies.services.stock_import import stock_counts_import
from tests.supplies.conftest import p

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
HEADER = "warehouse,item,lot,expires_on,counted\n"


@pytest.fixture
def counted(depot):
    """Aktobe: 100 gloves without a lot, 40 N95 of lot M1 (expires 2027-01-01); the hospital store: 10 gloves."""
    actor = p(depot["people"]["aktobe_log"])
    for wh, code, qty, lot, exp in [("aktobe", "gloves", 100, "", None), ("aktobe", "mask-n95", 40, "M1",
                                                                          date(2027, 1, 1)),
                                    ("store", "gloves", 10, "", None)]:
        stock_receive(actor=actor, warehouse_id=depot[wh].pk, item_id=depot["items"][code].pk, quantity=qty,
                      lot=lot, expires_on=exp, now=NOW)
    return depot


def run(depot, text, *, who="aktobe_log", dry_run=False):
    return stock_counts_import(text, actor=p(depot["people"][who]), now=NOW, dry_run=dry_run)


def snapshot():
    """Everything an import may write: balances, entries and its audit rows."""
    return (sorted(StockBalance.objects.values_list("warehouse__code", "item__code", "batch__lot", "on_hand")),
            LedgerEntry.objects.count(), AuditEvent.objects.filter(action="stock_count_import").count())


def failed(depot, text, **kw) -> list[tuple[int, str, str]]:
    before = snapshot()
    with pytest.raises(ImportFailed) as exc:
        run(depot, text, **kw)
    assert snapshot() == before
    return [(i.index, i.field, i.code.value) for i in exc.value.issues]


def stock(depot, wh, code) -> dict[str, int]:
    return dict(StockBalance.objects.filter(warehouse=depot[wh], item=depot["items"][code])
                .values_list("batch__lot", "on_hand"))


VALID = HEADER + """reg-aktobe,gloves,,,92
reg-aktobe,mask-n95,M1,2027-01-01,55
store-h1,gloves,,,10

reg-aktobe,mask-n95,M2,2027-06-01,12
"""


def test_a_valid_file_applies_counted_minus_on_hand(counted):
    result = run(counted, VALID)
    # gloves 92 - 100 = -8; M1 55 - 40 = +15; store 10 - 10 = 0 (nothing written); new lot M2 12 - 0 = +12.
    assert (result.lines, result.adjusted, result.units_added, result.units_removed) == (4, 3, 27, 8)
    assert stock(counted, "aktobe", "gloves") == {"": 92}
    assert stock(counted, "aktobe", "mask-n95") == {"M1": 55, "M2": 12}
    assert stock(counted, "store", "gloves") == {"": 10}
    assert list(LedgerEntry.objects.filter(kind="adjustment").order_by("pk")
                .values_list("quantity", "reference", "note")) == [
        (-8, "count", "stock count (line 2)"), (15, "count", "stock count (line 3)"),
        (12, "count", "stock count (line 6)")]
    audit = AuditEvent.objects.get(action="stock_count_import")
    assert (audit.changes["lines"], audit.changes["adjusted"], audit.actor_label) == (4, 3, "log_aktobe")


def test_the_same_file_again_writes_nothing(counted):
    run(counted, VALID)
    entries = LedgerEntry.objects.count()
    result = run(counted, VALID)
    assert (result.lines, result.adjusted, result.units_added, result.units_removed) == (4, 0, 0, 0)
    assert LedgerEntry.objects.count() == entries


def test_a_file_with_bad_lines_writes_nothing_and_lists_every_one(counted):
    text = HEADER + """reg-aktobe,gloves,,,92
nowhere,gloves,,,5
reg-aktobe,no-such-item,,,5
reg-aktobe,gloves,L9,2027-13-01,5
reg-aktobe,mask-n95,M3,,-4
reg-aktobe,mask-n95,M4,,2.5
reg-aktobe,gloves,,,93
reg-aktobe,mask-n95,M1,2027-02-01,40
reg-almaty,gloves,,,5
nowhere,no-such-item,,,x
reg-aktobe,gloves,5
"""
    assert failed(counted, text) == [
        (3, "warehouse", "import_invalid"),    # unknown warehouse
        (4, "item", "import_invalid"),         # unknown item
        (5, "expires_on", "import_invalid"),   # month 13
        (6, "counted", "import_invalid"),      # negative
        (7, "counted", "import_invalid"),      # not whole
        (8, "lot", "import_invalid"),          # same warehouse, item and lot as line 2
        (9, "expires_on", "import_invalid"),   # M1 is recorded as expiring on 2027-01-01
        (10, "warehouse", "import_invalid"),   # Almaty region: not the Aktobe logistician's
        (11, "warehouse", "import_invalid"), (11, "item", "import_invalid"), (11, "counted", "import_invalid"),
        (12, "line", "bad_line"),              # 3 fields instead of 5
    ]


def test_a_person_who_may_not_move_stock_gets_every_line_refused(counted):
    assert failed(counted, VALID, who="clinician_h1") == [
        (2, "warehouse", "import_invalid"), (3, "warehouse", "import_invalid"), (4, "warehouse", "import_invalid"),
        (6, "warehouse", "import_invalid")]


def test_refused_warehouses_are_audited_as_denials_once_each(counted):
    """As require() records any refused write: one denial per warehouse, with the file's lines at it."""
    failed(counted, VALID, who="clinician_h1")
    denials = sorted((e.object_id, e.action, e.actor_label, e.changes["lines"], e.region_id)
                     for e in AuditEvent.objects.filter(outcome="denied"))
    aktobe = counted["aktobe_region"].pk
    assert denials == sorted([(str(counted["aktobe"].pk), "move_stock", "clinician_h1", [2, 3, 6], aktobe),
                              (str(counted["store"].pk), "move_stock", "clinician_h1", [4], aktobe)])


def test_semicolon_delimited_file(counted):
    result = run(counted, "warehouse;item;lot;expires_on;counted\nreg-aktobe;gloves;;;90\n")
    assert (result.adjusted, result.units_removed) == (1, 10)  # 90 - 100
    assert stock(counted, "aktobe", "gloves") == {"": 90}


@pytest.mark.parametrize("text,expected", [
    ("", [(1, "file", "empty_file")]),
    (HEADER, [(1, "file", "import_invalid")]),
    ("warehouse,item,counted\nreg-aktobe,gloves,5\n", [(1, "header", "bad_header")]),
])
def test_empty_file_header_only_and_wrong_header(counted, text, expected):
    assert failed(counted, text) == expected


def test_dry_run_reports_and_writes_nothing(counted):
    before = snapshot()
    result = run(counted, VALID, dry_run=True)
    assert (result.lines, result.adjusted, result.units_added, result.units_removed) == (4, 3, 27, 8)
    assert snapshot() == before


def test_count_zero_empties_an_expired_lot(counted):
    stock_receive(actor=p(counted["people"]["aktobe_log"]), warehouse_id=counted["aktobe"].pk,
                  item_id=counted["items"]["mask-n95"].pk, quantity=6, lot="OLD", expires_on=date(2026, 1, 1),
                  now=NOW)
    result = run(counted, HEADER + "reg-aktobe,mask-n95,OLD,2026-01-01,0\n")
    assert (result.adjusted, result.units_removed) == (1, 6)
    assert stock(counted, "aktobe", "mask-n95") == {"M1": 40, "OLD": 0}


def test_one_new_lot_with_two_expiry_dates_in_one_file_is_a_listed_bad_line(counted):
    text = HEADER + "reg-aktobe,mask-n95,NEW,2027-01-01,5\nstore-h1,mask-n95,NEW,2028-01-01,5\n"
    assert failed(counted, text) == [(3, "expires_on", "import_invalid")]


def test_a_count_of_zero_for_an_unknown_lot_writes_nothing(counted):
    before = Batch.objects.count()
    result = run(counted, HEADER + "reg-aktobe,gloves,NEVER-SEEN,2027-01-01,0\n")
    assert (result.lines, result.adjusted) == (1, 0)
    assert Batch.objects.count() == before


def test_a_superscript_digit_count_is_a_listed_bad_line(counted):
    assert failed(counted, HEADER + "reg-aktobe,gloves,,,²\n") == [(2, "counted", "import_invalid")]


def _client(depot, who="aktobe_log"):
    client = Client()
    client.force_login(depot["people"][who])
    return client


def test_api_answers_422_with_every_bad_line(counted):
    before = snapshot()
    text = HEADER + "nowhere,gloves,,,5\nreg-aktobe,gloves,,,x\n"
    response = _client(counted).post("/api/supplies/counts/import", data=text, content_type="text/csv")
    assert response.status_code == 422, response.content
    body = response.json()
    assert [(d["code"], d["loc"]) for d in body["detail"]] == [
        ("import_invalid", ["line", 2, "warehouse"]), ("import_invalid", ["line", 3, "counted"])]
    assert body["error_count"] == 2
    assert snapshot() == before


def test_api_imports_an_uploaded_file_and_a_dry_run(counted):
    upload = SimpleUploadedFile("counts.csv", VALID.encode(), content_type="text/csv")
    dry = _client(counted).post("/api/supplies/counts/import?dry_run=true", data={"file": upload})
    assert (dry.status_code, dry.json()) == (200, {"lines": 4, "adjusted": 3, "units_added": 27,
                                                   "units_removed": 8, "dry_run": True})
    assert stock(counted, "aktobe", "gloves") == {"": 100}
    real = _client(counted).post("/api/supplies/counts/import", data=VALID, content_type="text/csv")
    assert (real.status_code, real.json()["adjusted"], real.json()["dry_run"]) == (200, 3, False)
    assert stock(counted, "aktobe", "gloves") == {"": 92}


def test_api_anonymous_is_401(counted):
    response = Client().post("/api/supplies/counts/import", data=VALID, content_type="text/csv")
    assert response.status_code == 401
    assert stock(counted, "aktobe", "gloves") == {"": 100}


def test_a_multipart_body_without_the_file_is_a_422_not_a_500(counted):
    response = _client(counted).post("/api/supplies/counts/import", {"other": "x"})
    assert response.status_code == 422 and response.json()["detail"][0]["code"] == "import_invalid"
    assert response.json()["detail"][0]["loc"] == ["file"]

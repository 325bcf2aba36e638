"""The stock pages: overview (map config and tables), a warehouse (stock, forms, ledger), the count import page,
the catalogue and the census forecast. Expected figures are worked by hand in the comments."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jedel.supplies.models import LedgerEntry, MinimumStock, StockBalance
from jedel.supplies.services.ledger import stock_issue, stock_receive
from tests.supplies.conftest import p

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def stocked(depot):
    """Almaty region: 1,400 respirators received 20 days ago, 280 issued over the last 14 days (20 a day)."""
    log = p(depot["people"]["almaty_log"])
    wh, mask = depot["almaty"], depot["items"]["mask-n95"]
    now = timezone.now()
    stock_receive(actor=log, warehouse_id=wh.pk, item_id=mask.pk, quantity=1680, lot="R-1",
                  expires_on=date.today() + timedelta(days=400), now=now - timedelta(days=20))
    for days_ago in range(1, 15):  # 14 issues of 20, from 13.5 to 0.5 days ago: all inside the 14-day window
        stock_issue(actor=log, warehouse_id=wh.pk, item_id=mask.pk, quantity=20,
                    now=now - timedelta(days=days_ago) + timedelta(hours=12))
    MinimumStock.objects.create(warehouse=wh, item=mask, min_units=1500)
    return depot


def test_overview_lists_warehouses_with_status_and_national_totals(stocked):
    response = _client(stocked["people"]["viewer"]).get("/supplies/")
    assert response.status_code == 200
    html = response.content.decode()
    config = json.loads(html.split('id="supplies-config" type="application/json">')[1].split("</script>")[0])
    by_name = {w["name"]: (w["status"], w["below"]) for w in config["warehouses"]}
    # 1,680 − 280 = 1,400 on hand, below the minimum of 1,500: red with one line below minimum.
    assert by_name["Almaty region warehouse, Konaev"] == ("red", 1)
    assert by_name["Aktobe region warehouse"] == ("green", 0)
    # National row: 1,400 units, 20 a day, 1,400 / 20 = 70.0 days.
    row = html.split('id="national-items"')[1].split("</table>")[0]
    assert "Respirator N95" in row and ">1400<" in row and ">20.0<" in row and ">70.0<" in row


def test_warehouse_page_shows_days_of_supply_and_reorder(stocked):
    response = _client(stocked["people"]["viewer"]).get(f"/supplies/warehouses/{stocked['almaty'].pk}/")
    assert response.status_code == 200
    row = response.content.decode().split('data-item="mask-n95"')[1].split("</tr>")[0]
    # Reorder point 20 × (7 + 7) = 280 < 1,400: no order; days of supply 70.0; below minimum flagged.
    assert "70.0" in row and "below minimum" in row and "order " not in row
    # A viewer sees no movement forms.
    assert 'name="action"' not in response.content.decode()


def test_warehouse_forms_record_moves_and_show_refusals(stocked):
    client = _client(stocked["people"]["almaty_log"])
    wh, mask = stocked["almaty"], stocked["items"]["mask-n95"]
    url = f"/supplies/warehouses/{wh.pk}/"
    response = client.post(url, {"action": "issue", "issue-item": mask.pk, "issue-quantity": 100, "issue-note": "ward 3"})
    assert response.status_code == 302
    assert StockBalance.objects.get(warehouse=wh, item=mask).on_hand == 1300
    entries = LedgerEntry.objects.count()
    response = client.post(url, {"action": "issue", "issue-item": mask.pk, "issue-quantity": 5000})
    assert response.status_code == 422 and "Not enough stock on hand" in response.content.decode()
    assert LedgerEntry.objects.count() == entries
    response = client.post(url, {"action": "receive", "receive-item": mask.pk, "receive-quantity": 200,
                                 "receive-lot": "R-2", "receive-expires_on": "2031-01-31", "receive-reference": "W-7"})
    assert response.status_code == 302 and StockBalance.objects.filter(warehouse=wh, item=mask).count() == 2
    response = client.post(url, {"action": "minimum", "minimum-item": mask.pk, "minimum-min_units": 0})
    assert response.status_code == 302 and not MinimumStock.objects.exists()


def test_another_regions_logistician_is_refused_and_nothing_moves(stocked):
    client = _client(stocked["people"]["aktobe_log"])
    wh, mask = stocked["almaty"], stocked["items"]["mask-n95"]
    before = LedgerEntry.objects.count()
    response = client.post(f"/supplies/warehouses/{wh.pk}/", {"action": "issue", "issue-item": mask.pk,
                                                               "issue-quantity": 1})
    assert response.status_code == 403 and LedgerEntry.objects.count() == before


def test_count_import_page_lists_every_bad_line(stocked):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(stocked["people"]["almaty_log"])
    text = ("warehouse,item,lot,expires_on,counted\n"
            "reg-almaty,mask-n95,R-1,,1390\n"
            "nowhere,mask-n95,R-1,,5\n"
            "reg-almaty,gloves,,,-3\n")
    response = client.post("/supplies/counts/import/", {"file": SimpleUploadedFile("c.csv", text.encode())})
    assert response.status_code == 422
    html = response.content.decode()
    assert "line 3: warehouse" in html and "line 4: counted" in html and "line 2" not in html
    assert StockBalance.objects.get(warehouse=stocked["almaty"], item=stocked["items"]["mask-n95"]).on_hand == 1400
    good = "warehouse,item,lot,expires_on,counted\nreg-almaty,mask-n95,R-1,,1390\n"
    response = client.post("/supplies/counts/import/", {"file": SimpleUploadedFile("c.csv", good.encode())})
    assert response.status_code == 302
    assert StockBalance.objects.get(warehouse=stocked["almaty"], item=stocked["items"]["mask-n95"]).on_hand == 1390


def test_catalogue_lists_items_and_the_current_kit_version(stocked):
    response = _client(stocked["people"]["viewer"]).get("/supplies/catalogue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Family hygiene kit" in html and "Soap bar × 4" in html and "Toothpaste × 2" in html


def test_forecast_gives_the_run_out_day_and_a_plot(stocked):
    client = _client(stocked["people"]["viewer"])
    wh, mask = stocked["almaty"], stocked["items"]["mask-n95"]
    # 1,400 usable respirators, 4 per patient-day, 50 patients a day growing 10 % a day: cumulative need
    # 200, 420, 662, 928.2, 1,221.0, 1,543.1 → the sixth day (index 5) is the first above 1,400.
    response = client.get("/supplies/forecast/", {"warehouse": wh.pk, "item": mask.pk, "patients": 50,
                                                   "growth": 10, "days": 10})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="run-out">on day 6<' in html and "<svg" in html and "runs out on day 6" in html
    # Need over 10 days: 200 × (1.1^10 − 1) / 0.1 = 3,187.5 → shown rounded.
    assert ">3187<" in html or ">3188<" in html

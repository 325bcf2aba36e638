"""Request and shipment pages: every page answers 200 to a person allowed to see it, and the forms (new request
with several lines, decision, shipment, dispatch, receipt with a discrepancy, cancel) work by plain posts, with
refusals shown as messages."""

from __future__ import annotations

import pytest
from django.test import Client

from jedel.supplies.models_requests import RequestLine, Shipment, ShipmentLine, SupplyRequest
from tests.supplies.test_requests import hospital_request, line_ids
from tests.supplies.test_shipments import STOCK, stock_up

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_request_form(depot, **extra):
    items = depot["items"]
    return {"region": depot["aktobe_region"].pk, "facility": depot["hospital"].pk, "source": depot["aktobe"].pk,
            "destination": depot["store"].pk, "needed_by": "2099-05-01", "incident": "", "reason": "Flood",
            "rows": "4", "item_0": items["soap"].pk, "qty_0": "100", "item_1": "", "qty_1": "",
            "item_2": items["toothpaste"].pk, "qty_2": "40", "item_3": "", "qty_3": ""} | extra


def test_new_request_form_with_several_lines(depot):
    manager = client_of(depot["people"]["manager_h1"])
    page = manager.get("/supplies/requests/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('name="item_') == 4 and 'id="request-form"' in html
    more = manager.post("/supplies/requests/new/", new_request_form(depot, more="1"))
    html = more.content.decode()
    assert more.status_code == 200 and html.count('name="item_') == 7 and 'name="rows" value="7"' in html
    assert 'name="qty_0" value="100"' in html and SupplyRequest.objects.count() == 0
    sent = manager.post("/supplies/requests/new/", new_request_form(depot))
    request = SupplyRequest.objects.get()
    assert (sent.status_code, sent["Location"]) == (302, f"/supplies/requests/{request.pk}/")
    assert sorted(RequestLine.objects.values_list("item__code", "quantity_requested")) == \
        [("soap", 100), ("toothpaste", 40)]
    assert (request.facility_id, request.requested_by_label) == (depot["hospital"].pk, "manager_h1")


def test_new_request_form_errors_keep_the_page(depot):
    manager = client_of(depot["people"]["manager_h1"])
    missing_qty = manager.post("/supplies/requests/new/", new_request_form(depot, qty_2=""))
    assert missing_qty.status_code == 200 and "Enter the quantity." in missing_qty.content.decode()
    empty = manager.post("/supplies/requests/new/", new_request_form(depot, item_0="", qty_0="", item_2="",
                                                                     qty_2=""))
    assert "Add at least one item." in empty.content.decode()
    # A domain refusal (the regional warehouse is not the hospital's store) is shown as a message.
    wrong = manager.post("/supplies/requests/new/", new_request_form(depot, source=depot["national"].pk,
                                                                     destination=depot["aktobe"].pk))
    assert wrong.status_code == 200
    assert "The receiving warehouse must belong to the requesting region or facility." in wrong.content.decode()
    assert SupplyRequest.objects.count() == 0


def test_pages_answer_200_to_those_allowed(depot):
    stock_up(depot, STOCK)
    request = hospital_request(depot)
    viewer = client_of(depot["people"]["viewer"])
    listing = viewer.get("/supplies/requests/")
    assert listing.status_code == 200 and f'href="/supplies/requests/{request.pk}/"' in listing.content.decode()
    assert viewer.get("/supplies/requests/?status=submitted&region=999&incident=x").status_code == 200
    page = viewer.get(f"/supplies/requests/{request.pk}/").content.decode()
    assert 'id="request-lines"' in page and 'id="decide-form"' not in page  # a viewer reads, never decides
    decider = client_of(depot["people"]["aktobe_log"]).get(f"/supplies/requests/{request.pk}/").content.decode()
    assert 'id="decide-form"' in decider
    assert viewer.get("/supplies/requests/999999/").status_code == 404
    assert viewer.get("/supplies/shipments/999999/").status_code == 404
    assert Client().get("/supplies/requests/").status_code == 302  # to the sign-in page


def test_decide_ship_dispatch_and_receive_through_the_forms(depot):
    stock_up(depot, STOCK)
    request = hospital_request(depot)
    ids = line_ids(request)
    log, manager = client_of(depot["people"]["aktobe_log"]), client_of(depot["people"]["manager_h1"])
    url = f"/supplies/requests/{request.pk}/"
    decided = log.post(f"{url}decide/", {"version": "1", "decision": "approve", "note": "partial",
                                         f"approved_{ids['soap']}": "80", f"approved_{ids['toothpaste']}": "0"})
    assert (decided.status_code, decided["Location"]) == (302, url)
    assert dict(RequestLine.objects.values_list("item__code", "quantity_approved")) == {"soap": 80, "toothpaste": 0}
    assert SupplyRequest.objects.get().status == "approved"
    stale = log.post(f"{url}decide/", {"version": "1", f"approved_{ids['soap']}": "1",
                                       f"approved_{ids['toothpaste']}": "0"}, follow=True)
    assert 'class="message error"' in stale.content.decode() and "(1 != 2)" in stale.content.decode()
    page = log.get(url).content.decode()
    assert 'id="ship-form"' in page and 'id="decide-form"' not in page
    shipped = log.post(f"{url}ship/", {f"ship_{ids['soap']}": "50", "carrier": "KAMAZ 123"})
    shipment = Shipment.objects.get()
    assert (shipped.status_code, shipped["Location"]) == (302, f"/supplies/shipments/{shipment.pk}/")
    assert log.get(f"/supplies/shipments/{shipment.pk}/").status_code == 200
    dispatched = log.post(f"/supplies/shipments/{shipment.pk}/dispatch/", {"version": "1",
                                                                          "back_request": str(request.pk)})
    assert (dispatched.status_code, dispatched["Location"]) == (302, url)
    assert Shipment.objects.get().status == "dispatched"
    line = ShipmentLine.objects.get()
    # Another region's logistician is refused (403 page); the hospital's manager records the receipt.
    refused = client_of(depot["people"]["almaty_log"]).post(f"/supplies/shipments/{shipment.pk}/receive/",
                                                            {f"received_{line.pk}": "50"})
    assert refused.status_code == 403
    form = manager.get(f"/supplies/shipments/{shipment.pk}/").content.decode()
    assert f'name="received_{line.pk}"' in form
    received = manager.post(f"/supplies/shipments/{shipment.pk}/receive/",
                            {f"received_{line.pk}": "46", f"note_{line.pk}": "4 bars crushed"}, follow=True)
    assert received.status_code == 200
    assert (ShipmentLine.objects.get().quantity_received, ShipmentLine.objects.get().discrepancy_note) == \
        (46, "4 bars crushed")
    assert "4 bars crushed" in received.content.decode()
    twice = manager.post(f"/supplies/shipments/{shipment.pk}/receive/", {f"received_{line.pk}": "50"}, follow=True)
    assert "The shipment is not in a state for this step." in twice.content.decode()
    assert ShipmentLine.objects.get().quantity_received == 46
    assert SupplyRequest.objects.get().status == "partly_fulfilled"


def test_reject_and_cancel_through_the_forms(depot):
    rejected = hospital_request(depot)
    log, manager = client_of(depot["people"]["aktobe_log"]), client_of(depot["people"]["manager_h1"])
    approved = {f"approved_{i}": "5" for i in line_ids(rejected).values()}
    log.post(f"/supplies/requests/{rejected.pk}/decide/", {"version": "1", "decision": "reject", **approved})
    assert SupplyRequest.objects.get(pk=rejected.pk).status == "rejected"
    withdrawn = hospital_request(depot)
    page = manager.get(f"/supplies/requests/{withdrawn.pk}/").content.decode()
    assert 'id="cancel-form"' in page
    manager.post(f"/supplies/requests/{withdrawn.pk}/cancel/", {"version": "1", "reason": "found locally"})
    assert SupplyRequest.objects.get(pk=withdrawn.pk).status == "cancelled"
    bad = log.post(f"/supplies/requests/{withdrawn.pk}/decide/", {"version": "x", "approved_1": "two"}, follow=True)
    assert "Enter whole numbers of 0 or more." in bad.content.decode()

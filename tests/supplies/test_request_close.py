"""Closing a partly fulfilled request short: the supplying side sends no more, the rest leaves "on order".

SUP-H1's request (soap 100, toothpaste 40) is approved at soap 80, toothpaste 40 (fixture `approved` of
test_shipments); one shipment of soap 50 and toothpaste 40 is received, so 30 soap remain on order until the
request is closed.
"""

from __future__ import annotations

import json

import pytest

from jedel.accounts.models import AuditEvent
from jedel.notifications.models import Delivery, Notice
from jedel.supplies.models_requests import SupplyRequest
from jedel.supplies.selectors import units_on_order
from jedel.supplies.services.requests import request_close
from jedel.supplies.services.shipments import shipment_dispatch, shipment_prepare, shipment_receive
from tests.supplies.conftest import p
from tests.supplies.test_requests import T0, code_of
from tests.supplies.test_shipments import approved  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _received_half(depot, request, ids):
    log, manager = p(depot["people"]["aktobe_log"]), p(depot["people"]["manager_h1"])
    first = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 50, ids["toothpaste"]: 40},
                             now=T0)
    shipment_dispatch(actor=log, shipment_id=first.pk, version=1, now=T0)
    shipment_receive(actor=manager, shipment_id=first.pk, received={}, now=T0)
    return SupplyRequest.objects.get(pk=request.pk)


def test_closing_short_stops_the_rest_counting_as_on_order_and_tells_the_requester(
        depot, approved, django_capture_on_commit_callbacks):  # noqa: F811
    request, ids = approved
    partly = _received_half(depot, request, ids)
    soap, store = depot["items"]["soap"].pk, depot["store"].pk
    assert (partly.status, units_on_order([store], soap)) == ("partly_fulfilled", {(store, soap): 30})

    with django_capture_on_commit_callbacks(execute=True):
        closed = request_close(actor=p(depot["people"]["aktobe_log"]), request_id=request.pk,
                               version=partly.version, reason="Soap stock needed for the evacuation centres", now=T0)
    assert (closed.status, closed.version) == ("closed", partly.version + 1)
    assert units_on_order([store], soap) == {}
    audit = AuditEvent.objects.get(action="request_close")
    assert (audit.actor_label, audit.changes["from"], audit.changes["reason"]) == (
        "log_aktobe", "partly_fulfilled", "Soap stock needed for the evacuation centres")
    notice = Notice.objects.get(dedupe_key=f"supply-request-closed:{request.pk}")
    assert "Soap stock needed" in notice.title
    assert "manager_h1" in set(Delivery.objects.filter(notice=notice).values_list("recipient__username", flat=True))
    # Nothing more can be shipped on it.
    assert code_of(lambda: shipment_prepare(actor=p(depot["people"]["aktobe_log"]), request_id=request.pk,
                                            lines={ids["soap"]: 1}, now=T0))[:2] == (409, "request_not_open")


def test_close_refusals_change_nothing(depot, approved):  # noqa: F811
    request, ids = approved
    log = p(depot["people"]["aktobe_log"])
    version = SupplyRequest.objects.get(pk=request.pk).version

    def close(who=log, v=version, reason="no more"):
        return lambda: request_close(actor=who, request_id=request.pk, version=v, reason=reason, now=T0)

    # The requesting hospital's manager does not decide at the supplying warehouse.
    assert code_of(close(who=p(depot["people"]["manager_h1"]))) == (403, "forbidden", None)
    assert code_of(close(reason="  ")) == (422, "invalid", "reason")
    assert code_of(close(v=version - 1)) == (409, "stale_version", "version")
    # A shipment on the way must be received or cancelled first.
    moving = shipment_prepare(actor=log, request_id=request.pk, lines={ids["soap"]: 10}, now=T0)
    assert code_of(close()) == (409, "shipment_state", "status")
    shipment_dispatch(actor=log, shipment_id=moving.pk, version=1, now=T0)
    assert code_of(close()) == (409, "shipment_state", "status")
    assert SupplyRequest.objects.get(pk=request.pk).status == "approved"
    assert not AuditEvent.objects.filter(action="request_close").exists()


def test_a_submitted_request_is_not_closed_but_decided(depot):
    from tests.supplies.test_requests import hospital_request

    request = hospital_request(depot)
    assert code_of(lambda: request_close(actor=p(depot["people"]["aktobe_log"]), request_id=request.pk, version=1,
                                         reason="no", now=T0)) == (409, "request_not_open", "status")


def test_api_and_page_close_a_request(depot, approved, client):  # noqa: F811
    request, ids = approved
    partly = _received_half(depot, request, ids)
    client.force_login(depot["people"]["aktobe_log"])
    page = client.get(f"/supplies/requests/{request.pk}/")
    assert b'id="close-form"' in page.content
    refused = client.post(f"/api/supplies/requests/{request.pk}/close", json.dumps({"version": partly.version}),
                          content_type="application/json")
    assert refused.status_code == 422
    done = client.post(f"/api/supplies/requests/{request.pk}/close",
                       json.dumps({"version": partly.version, "reason": "season over"}),
                       content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "closed"
    page = client.get(f"/supplies/requests/{request.pk}/")
    assert b'id="close-form"' not in page.content


def test_the_page_form_closes_with_a_message(depot, approved, client):  # noqa: F811
    request, ids = approved
    partly = _received_half(depot, request, ids)
    client.force_login(depot["people"]["aktobe_log"])
    answer = client.post(f"/supplies/requests/{request.pk}/close/", {"version": partly.version, "reason": "done"},
                         follow=True)
    assert "nothing more will be sent" in answer.content.decode()
    assert SupplyRequest.objects.get(pk=request.pk).status == "closed"

"""Supply requests: creation and its checks, the approval workflow (who decides, states, stale versions),
cancellation, audit rows and the notices to the supplying warehouse and back to the requester."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jedel.accounts.models import AuditEvent
from jedel.common.errors import DomainError
from jedel.notifications.models import Delivery, Notice
from jedel.supplies.models_requests import RequestLine, SupplyRequest
from jedel.supplies.services.requests import request_cancel, request_create, request_decide
from jedel.supplies.services.shipments import shipment_prepare
from tests.supplies.conftest import p

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def hospital_request(depot, who="manager_h1", lines=None, **extra):
    """SUP-H1 asks the Aktobe region warehouse for soap x100 and toothpaste x40, into its own store."""
    items = depot["items"]
    fields = dict(region_id=depot["aktobe_region"].pk, facility_id=depot["hospital"].pk,
                  source_warehouse_id=depot["aktobe"].pk, destination_warehouse_id=depot["store"].pk,
                  lines=[(items["soap"].pk, 100), (items["toothpaste"].pk, 40)] if lines is None else lines,
                  needed_by=date(2026, 11, 25), reason="Flood: evacuees in the hospital", now=T0) | extra
    return request_create(actor=p(depot["people"][who]), **fields)


def region_request(depot, who="almaty_log", **extra):
    """Almaty region asks the national reserve for 400 hygiene kits, into its regional warehouse."""
    fields = dict(region_id=depot["almaty_region"].pk, facility_id=None, source_warehouse_id=depot["national"].pk,
                  destination_warehouse_id=depot["almaty"].pk, lines=[(depot["items"]["hygiene-kit"].pk, 400)],
                  now=T0) | extra
    return request_create(actor=p(depot["people"][who]), **fields)


def code_of(call):
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.status, caught.value.code.value, caught.value.field


def line_ids(request):
    return {ln.item.code: ln.pk for ln in request.lines.select_related("item")}


def recipients(notice):
    return set(Delivery.objects.filter(notice=notice).values_list("recipient__username", flat=True))


def test_create_stores_the_request_audits_and_tells_the_supplying_warehouse(depot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = hospital_request(depot)
    stored = SupplyRequest.objects.get()
    assert (stored.status, stored.version, stored.source_id, stored.destination_id, stored.facility_id) == \
        ("submitted", 1, depot["aktobe"].pk, depot["store"].pk, depot["hospital"].pk)
    assert (stored.requested_by_label, stored.needed_by) == ("manager_h1", date(2026, 11, 25))
    assert sorted(RequestLine.objects.filter(request=stored).values_list("item__code", "quantity_requested",
                                                                          "quantity_approved")) == \
        [("soap", 100, None), ("toothpaste", 40, None)]
    audit = AuditEvent.objects.get(action="request_create")
    assert (audit.object_type, audit.object_id, audit.actor_label, audit.changes["lines"]) == \
        ("supply_request", str(request.pk), "manager_h1", {"soap": 100, "toothpaste": 40})
    notice = Notice.objects.get(kind="supply_request")
    assert recipients(notice) == {"log_aktobe"}  # the Aktobe region warehouse's logistician
    assert notice.body == f"/supplies/requests/{request.pk}/"


def test_a_region_request_to_the_national_reserve_notifies_national_logisticians(depot,
                                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        region_request(depot)
    assert recipients(Notice.objects.get(kind="supply_request")) == {"log_national"}


def test_who_may_request(depot):
    # Another region's logistician may not request for Aktobe's hospital; a clinician may not request at all.
    assert code_of(lambda: hospital_request(depot, who="almaty_log"))[:2] == (403, "forbidden")
    assert code_of(lambda: hospital_request(depot, who="clinician_h1"))[:2] == (403, "forbidden")
    assert hospital_request(depot, who="aktobe_log").requested_by_label == "log_aktobe"
    assert SupplyRequest.objects.count() == 1


def test_bad_requests_write_nothing(depot):
    items, store, aktobe = depot["items"], depot["store"], depot["aktobe"]
    soap, paste = items["soap"].pk, items["toothpaste"].pk
    cases = [
        (dict(destination_warehouse_id=aktobe.pk), (422, "same_warehouse", "destination")),
        # A hospital's request goes to its own store, not the regional warehouse or another region's.
        (dict(source_warehouse_id=depot["national"].pk, destination_warehouse_id=aktobe.pk),
         (422, "invalid", "destination")),
        (dict(who="aktobe_log", facility_id=None, source_warehouse_id=depot["national"].pk,
              destination_warehouse_id=depot["almaty"].pk), (422, "invalid", "destination")),
        (dict(lines=[(soap, 5), (paste, 1), (soap, 2)]), (422, "invalid", "lines.2.item")),
        (dict(lines=[(soap, 0)]), (422, "not_positive", "lines.0.quantity")),
        (dict(lines=[(soap, -3)]), (422, "not_positive", "lines.0.quantity")),
        (dict(lines=[]), (422, "invalid", "lines")),
        (dict(lines=[(soap, 1), (999999, 1)]), (404, "item_not_found", "lines.1.item")),
        (dict(incident_id=424242), (404, "incident_not_found", "incident")),
        (dict(source_warehouse_id=999999), (404, "warehouse_not_found", "source")),
        (dict(needed_by=date(2026, 11, 19)), (422, "invalid", "needed_by")),
        (dict(facility_id=depot["hospital"].pk, region_id=depot["almaty_region"].pk), (422, "invalid", "facility")),
    ]
    for fields, expected in cases:
        assert code_of(lambda f=fields: hospital_request(depot, **f)) == expected, fields
    store.active = False
    store.save()
    assert code_of(lambda: hospital_request(depot)) == (409, "warehouse_inactive", "destination")
    assert SupplyRequest.objects.count() == 0 and RequestLine.objects.count() == 0


def test_a_request_linked_to_an_incident(depot):
    from jedel.incidents.models import Incident

    flood = Incident.objects.create(title="Aktobe floods", kind="flood", scene_lat=50.28, scene_lon=57.17,
                                    region=depot["aktobe_region"], declared_by_label="national", declared_at=T0)
    assert hospital_request(depot, incident_id=flood.pk).incident_id == flood.pk


def test_approval_by_the_supplying_side_sets_quantities_and_tells_the_requester(depot,
                                                                                django_capture_on_commit_callbacks):
    request = hospital_request(depot)
    ids = line_ids(request)
    with django_capture_on_commit_callbacks(execute=True):
        decided = request_decide(actor=p(depot["people"]["aktobe_log"]), request_id=request.pk, version=1,
                                 approved={ids["soap"]: 80, ids["toothpaste"]: 0}, note="toothpaste: none left",
                                 now=T0)
    stored = SupplyRequest.objects.get()
    assert (decided.status, stored.status, stored.version, stored.decided_by_label, stored.decision_note) == \
        ("approved", "approved", 2, "log_aktobe", "toothpaste: none left")
    assert stored.decided_at == T0
    assert dict(RequestLine.objects.values_list("item__code", "quantity_approved")) == {"soap": 80, "toothpaste": 0}
    audit = AuditEvent.objects.get(action="request_decide")
    assert audit.changes["approved"] == {"soap": 80, "toothpaste": 0} and audit.changes["status"] == "approved"
    notice = Notice.objects.get(kind="supply_request")  # created outside the capture: only the decision's
    assert recipients(notice) == {"manager_h1"}
    assert "approved" in notice.title


def test_all_lines_refused_is_a_rejection(depot):
    request = region_request(depot)
    [line] = line_ids(request).values()
    decided = request_decide(actor=p(depot["people"]["national_log"]), request_id=request.pk, version=1,
                             approved={line: 0}, now=T0)
    assert (decided.status, SupplyRequest.objects.get().status) == ("rejected", "rejected")
    # Decided once: a second decision (even with the current version) is refused.
    assert code_of(lambda: request_decide(actor=p(depot["people"]["national_log"]), request_id=request.pk,
                                          version=2, approved={line: 400}, now=T0))[:2] == (409, "request_not_open")


def test_who_may_decide(depot):
    hospital = hospital_request(depot)
    h_ids = {i: 1 for i in line_ids(hospital).values()}
    region = region_request(depot)
    r_ids = {i: 1 for i in line_ids(region).values()}
    people = depot["people"]
    # The Aktobe warehouse decides the hospital's request: not Almaty's logistician, not the requesting manager.
    for who in ("almaty_log", "manager_h1", "clinician_h1", "viewer"):
        assert code_of(lambda w=who: request_decide(actor=p(people[w]), request_id=hospital.pk, version=1,
                                                    approved=h_ids, now=T0))[:2] == (403, "forbidden"), who
    # The national reserve decides Almaty's request: no regional logistician, even the requesting region's.
    for who in ("almaty_log", "aktobe_log", "aktobe_coord"):
        assert code_of(lambda w=who: request_decide(actor=p(people[w]), request_id=region.pk, version=1,
                                                    approved=r_ids, now=T0))[:2] == (403, "forbidden"), who
    assert AuditEvent.objects.filter(outcome="denied", action="decide_request").count() == 7
    assert SupplyRequest.objects.filter(status="submitted").count() == 2
    assert request_decide(actor=p(people["aktobe_coord"]), request_id=hospital.pk, version=1, approved=h_ids,
                          now=T0).status == "approved"
    assert request_decide(actor=p(people["national"]), request_id=region.pk, version=1, approved=r_ids,
                          now=T0).status == "approved"


def test_bad_decisions_change_nothing(depot):
    request = hospital_request(depot)
    ids = line_ids(request)
    actor = p(depot["people"]["aktobe_log"])

    def decide(approved, version=1):
        return code_of(lambda: request_decide(actor=actor, request_id=request.pk, version=version,
                                              approved=approved, now=T0))

    assert decide({ids["soap"]: 101, ids["toothpaste"]: 40}) == (422, "invalid", f"approved.{ids['soap']}")
    assert decide({ids["soap"]: 10}) == (422, "invalid", f"approved.{ids['toothpaste']}")  # every line decided
    assert decide({ids["soap"]: 10, ids["toothpaste"]: -1}) == (422, "invalid", f"approved.{ids['toothpaste']}")
    assert decide({ids["soap"]: 10, ids["toothpaste"]: 1, 999999: 1}) == (422, "invalid", "approved.999999")
    assert decide({ids["soap"]: 10, ids["toothpaste"]: 1}, version=7) == (409, "stale_version", "version")
    assert code_of(lambda: request_decide(actor=actor, request_id=999999, version=1, approved={},
                                          now=T0)) == (404, "request_not_found", "request")
    stored = SupplyRequest.objects.get()
    assert (stored.status, stored.version) == ("submitted", 1)
    assert set(RequestLine.objects.values_list("quantity_approved", flat=True)) == {None}
    assert not AuditEvent.objects.filter(action="request_decide").exists()


def test_a_decision_on_a_stale_version_is_refused(depot):
    request = hospital_request(depot)
    ids = {i: 1 for i in line_ids(request).values()}
    actor = p(depot["people"]["aktobe_log"])
    request_cancel(actor=p(depot["people"]["manager_h1"]), request_id=request.pk, version=1, now=T0)
    # The decider read version 1; the request moved on to version 2 (cancelled) meanwhile.
    assert code_of(lambda: request_decide(actor=actor, request_id=request.pk, version=1, approved=ids,
                                          now=T0))[:2] == (409, "stale_version")
    assert code_of(lambda: request_decide(actor=actor, request_id=request.pk, version=2, approved=ids,
                                          now=T0))[:2] == (409, "request_not_open")


def test_cancel_by_the_requesting_side_until_something_is_prepared(depot):
    people = depot["people"]
    first = hospital_request(depot)
    # The supplier (Almaty's logistician is not even in scope) may not withdraw someone else's request.
    assert code_of(lambda: request_cancel(actor=p(people["almaty_log"]), request_id=first.pk, version=1,
                                          now=T0))[:2] == (403, "forbidden")
    cancelled = request_cancel(actor=p(people["manager_h1"]), request_id=first.pk, version=1, reason="found locally",
                               now=T0)
    assert (cancelled.status, cancelled.version) == ("cancelled", 2)
    assert AuditEvent.objects.get(action="request_cancel").changes == {"from": "submitted", "reason": "found locally"}
    second = hospital_request(depot)
    ids = line_ids(second)
    request_decide(actor=p(people["aktobe_log"]), request_id=second.pk, version=1,
                   approved={ids["soap"]: 50, ids["toothpaste"]: 40}, now=T0)
    shipment_prepare(actor=p(people["aktobe_log"]), request_id=second.pk, lines={ids["soap"]: 10}, now=T0)
    assert code_of(lambda: request_cancel(actor=p(people["manager_h1"]), request_id=second.pk, version=2,
                                          now=T0))[:2] == (409, "request_not_open")
    assert SupplyRequest.objects.get(pk=second.pk).status == "approved"

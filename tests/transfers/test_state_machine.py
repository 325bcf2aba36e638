"""Every transition of a transfer, allowed and refused, with who and when; idempotent repeats."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.accounts.models import Role
from jedel.common.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from jedel.notifications.models import Notice
from jedel.transfers.models import Decline, TransferEvent
from jedel.transfers.services.requests import (
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_route,
    transfers_expire,
)
from tests.transfers.helpers import NATIONAL, NOW, regional, request, staff

pytestmark = pytest.mark.django_db
LATER = NOW + timedelta(minutes=12)


def test_a_request_starts_requested_with_its_clock_and_ventilator_need(net):
    t = request(net["D"], net["H1"])
    assert (t.state, t.version, t.requested_at, t.requested_by_label) == ("requested", 1, NOW, "clinician-T-D")
    assert t.expires_at == NOW + timedelta(hours=6)  # emergency
    assert t.needs == ["ventilator"]  # a ventilated patient needs a ventilator on board
    [e] = TransferEvent.objects.filter(transfer=t, kind__startswith="transfer.")
    assert (e.kind, e.from_state, e.state, e.at) == ("transfer.requested", "", "requested", NOW)


def test_accept_by_the_receiving_facility_is_timestamped_and_idempotent(net):
    t = request(net["D"], net["H1"])
    manager = staff(net["H1"])
    a = transfer_accept(actor=manager, transfer_id=t.pk, version=1, now=LATER)
    assert (a.state, a.accepted_at, a.version) == ("accepted", LATER, 2)
    again = transfer_accept(actor=manager, transfer_id=t.pk, version=1, now=LATER + timedelta(minutes=1))
    assert (again.state, again.accepted_at, again.version) == ("accepted", LATER, 2)
    kinds = list(TransferEvent.objects.filter(transfer=t, kind__startswith="transfer.").values_list("kind", "actor_label", "at"))
    assert kinds == [("transfer.requested", "clinician-T-D", NOW), ("transfer.accepted", "facility_manager-T-H1", LATER)]


def test_the_sending_side_cannot_accept_for_the_receiver(net):
    t = request(net["D"], net["H1"])
    with pytest.raises(PermissionDenied):
        transfer_accept(actor=staff(net["D"]), transfer_id=t.pk, now=LATER)


def test_a_stale_version_is_refused_with_409(net):
    t = request(net["D"], net["H1"])
    transfer_route(actor=NATIONAL, transfer_id=t.pk, destination="T-H2", version=1, now=LATER)
    with pytest.raises(Conflict) as exc:
        transfer_accept(actor=staff(net["H2"]), transfer_id=t.pk, version=1, now=LATER)
    assert exc.value.code.value == "transfer_stale_version"


def test_accept_without_a_named_destination_is_refused(net):
    t = request(net["D"])  # NCCEM decides
    with pytest.raises(Conflict) as exc:
        transfer_accept(actor=NATIONAL, transfer_id=t.pk, now=LATER)
    assert exc.value.code.value == "transfer_no_destination"


def test_decline_needs_a_reason_is_counted_and_the_request_is_routed_again(net):
    t = request(net["D"], net["H1"])
    with pytest.raises(ValidationFailed):
        transfer_decline(actor=staff(net["H1"]), transfer_id=t.pk, reason="  ", now=LATER)
    r = transfer_decline(actor=staff(net["H1"]), transfer_id=t.pk, reason="No neurosurgeon tonight", now=LATER)
    assert r.state == "rejected"
    again = transfer_decline(actor=staff(net["H1"]), transfer_id=t.pk, reason="again", now=LATER)
    assert again.version == r.version
    assert list(Decline.objects.values_list("facility__code", "reason")) == [("T-H1", "No neurosurgeon tonight")]
    with pytest.raises(Conflict) as exc:  # a declined request cannot be accepted
        transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk, now=LATER)
    assert exc.value.code.value == "transfer_invalid_transition"
    routed = transfer_route(actor=NATIONAL, transfer_id=t.pk, destination="T-H2", now=LATER)
    assert (routed.state, routed.destination.code) == ("requested", "T-H2")
    assert transfer_accept(actor=staff(net["H2"]), transfer_id=t.pk, now=LATER).state == "accepted"


def test_route_is_for_coordinators_over_the_sending_region_and_not_after_acceptance(net):
    t = request(net["D"])
    with pytest.raises(PermissionDenied):
        transfer_route(actor=staff(net["D"]), transfer_id=t.pk, destination="T-H1", now=LATER)
    with pytest.raises(PermissionDenied):
        transfer_route(actor=regional(net["other"]), transfer_id=t.pk, destination="T-H1", now=LATER)
    transfer_route(actor=regional(net["region"]), transfer_id=t.pk, destination="T-H1", now=LATER)
    transfer_accept(actor=staff(net["H1"], Role.CLINICIAN), transfer_id=t.pk, now=LATER)
    with pytest.raises(Conflict) as exc:
        transfer_route(actor=NATIONAL, transfer_id=t.pk, destination="T-H2", now=LATER)
    assert exc.value.code.value == "transfer_invalid_transition"


def test_route_refuses_the_sending_facility_and_non_inpatient_facilities(net):
    t = request(net["D"])
    for code, expected in (("T-D", "transfer_same_facility"), ("T-AIR", "transfer_destination_not_inpatient"),
                           ("NOPE", "transfer_unknown_facility")):
        with pytest.raises(DomainError) as exc:
            transfer_route(actor=NATIONAL, transfer_id=t.pk, destination=code, now=LATER)
        assert exc.value.code.value == expected


def test_cancel_needs_a_reason_is_idempotent_and_final(net):
    t = request(net["D"], net["H1"])
    with pytest.raises(PermissionDenied):
        transfer_cancel(actor=staff(net["H1"]), transfer_id=t.pk, reason="x", now=LATER)
    c = transfer_cancel(actor=staff(net["D"], Role.CLINICIAN), transfer_id=t.pk, reason="Patient improved",
                        now=LATER)
    assert (c.state, c.closed_at, c.close_reason) == ("cancelled", LATER, "Patient improved")
    assert transfer_cancel(actor=staff(net["D"]), transfer_id=t.pk, reason="x", now=LATER).version == c.version
    with pytest.raises(Conflict):
        transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk, now=LATER)


def test_expiry_closes_unanswered_requests_only_after_their_deadline(net):
    waiting = request(net["D"], net["H1"])
    planned = request(net["D"], net["H2"], urgency="planned")  # 72 h
    assert transfers_expire(actor=NATIONAL, now=NOW + timedelta(hours=5, minutes=59)) == []
    assert transfers_expire(actor=NATIONAL, now=NOW + timedelta(hours=6)) == [waiting.pk]
    waiting.refresh_from_db()
    planned.refresh_from_db()
    assert (waiting.state, planned.state) == ("expired", "requested")
    with pytest.raises(Conflict):
        transfer_accept(actor=staff(net["H1"]), transfer_id=waiting.pk, now=NOW + timedelta(hours=7))


def test_bad_input_is_422_with_the_fields(net):
    with pytest.raises(ValidationFailed) as exc:
        request(net["D"], net["H1"], bed_type="Sofa", capabilities=["telepathy"], needs=["jetpack"], urgency="soon")
    assert sorted(e["loc"][0] for e in exc.value.errors) == ["bed_type", "capabilities", "needs", "urgency"]


def test_the_receiving_facility_and_nccem_get_notices(net):
    from tests.capacity.capacity_helpers import make_user

    make_user("h1-manager", "facility_manager", facility=net["H1"])
    make_user("duty", "national_coordinator")
    t = request(net["D"], net["H1"])
    notices = Notice.objects.filter(kind="transfer_request").order_by("pk")
    assert [(n.facility_id, n.data["transfer"]) for n in notices] == [(net["H1"].pk, t.pk), (None, t.pk)]
    assert notices[0].priority == "emergency"


def test_every_step_is_published_on_the_transfers_stream_for_both_ends(net):
    from jedel.common.realtime.models import Event

    t = request(net["D"], net["H1"])
    transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk, now=LATER)
    rows = list(Event.objects.filter(stream="transfers").order_by("seq").values_list(
        "seq", "kind", "region_id", "facility_id", "read_action"))
    d, h1 = net["D"], net["H1"]
    assert rows == [(1, "transfer.requested", d.region_id, d.pk, "view_transfers"),
                    (2, "transfer.requested", h1.region_id, h1.pk, "view_transfers"),
                    (3, "transfer.accepted", d.region_id, d.pk, "view_transfers"),
                    (4, "transfer.accepted", h1.region_id, h1.pk, "view_transfers")]
    assert Event.objects.get(seq=3, stream="transfers").data == {
        "transfer": t.pk, "state": "accepted", "urgency": "emergency", "mode": "", "version": 2, "exercise": False}


def test_a_transfer_may_start_from_an_incident_casualty_at_the_sending_hospital(net):
    from jedel.incidents.models import Casualty
    from jedel.incidents.services.casualties import casualty_register
    from jedel.incidents.services.incidents import incident_declare

    incident = incident_declare(actor=NATIONAL, region_isos=["KZ-35"], is_exercise=True, now=NOW,
                                title="Bus crash", kind="transport", scene_lat=50.1, scene_lon=70.1,
                                estimated_casualties=5, response_level="regional")
    here, _ = casualty_register(actor=NATIONAL, incident_id=incident.pk, tag="M-1", now=NOW)
    away, _ = casualty_register(actor=NATIONAL, incident_id=incident.pk, tag="M-2", now=NOW)
    Casualty.objects.filter(pk=here.pk).update(destination=net["D"])  # arrived at the district hospital
    t = request(net["D"], net["H1"], casualty_id=here.pk)
    assert (t.casualty_id, t.exercise) == (here.pk, True)  # an exercise casualty makes an exercise transfer
    with pytest.raises(DomainError) as exc:
        request(net["D"], net["H1"], casualty_id=away.pk)
    assert exc.value.code.value == "transfer_casualty_elsewhere"


def test_the_expiry_command(net):
    from typer.testing import CliRunner

    from jedel.cli.main import app

    request(net["D"], net["H1"])  # requested at NOW (March 2026): long past its 6-hour deadline today
    result = CliRunner().invoke(app, ["transfers", "expire"])
    assert (result.exit_code, result.output) == (0, "1 transfer request(s) expired\n")
    assert CliRunner().invoke(app, ["transfers", "expire"]).output == "0 transfer request(s) expired\n"


def test_a_re_routed_transfer_is_also_announced_to_the_side_it_left(net):
    from jedel.common.realtime.models import Event

    t = request(net["D"], net["H1"])  # H1 lies in the other region
    transfer_decline(actor=staff(net["H1"]), transfer_id=t.pk, reason="No ICU bed", now=LATER)
    first = Event.objects.filter(stream="transfers").count()
    transfer_route(actor=NATIONAL, transfer_id=t.pk, destination="T-H3", now=LATER)
    rows = list(Event.objects.filter(stream="transfers", seq__gt=first).order_by("seq").values_list(
        "kind", "region_id", "facility_id"))
    d, h3, h1 = net["D"], net["H3"], net["H1"]
    assert rows == [("transfer.routed", d.region_id, d.pk), ("transfer.routed", h3.region_id, h3.pk),
                    ("transfer.routed", h1.region_id, h1.pk)]

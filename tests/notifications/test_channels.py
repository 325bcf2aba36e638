"""External channels through test doubles: retries with backoff, failures shown, restarts without loss or repeats,
duplicates collapsed, exercise traffic kept from real-only people."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.notifications import adapters
from jedel.notifications.models import Delivery, Profile
from jedel.notifications.services import worker
from jedel.notifications.services.sending import notice_send
from tests.notifications.notify_helpers import T0, principal, sms

pytestmark = pytest.mark.django_db


def send(net, *, title="Incoming: 3 red", **extra):
    hospital = net["hospital"]
    return notice_send(actor=principal(net["people"]["sender"]), kind="incoming_patient", title=title,
                       body="ETA 12 min", levels=[[{"desk": net["desks"]["admissions"].pk}]], ack_timeout_s=[120],
                       region_id=hospital.region_id, facility_id=hospital.pk, now=T0, **extra)


def sms_of(notice):
    return Delivery.objects.filter(notice=notice, channel="sms").order_by("recipient__username")


def test_sms_sent_by_the_worker_after_commit(net):
    sms(net["people"]["ed_nurse"], "+77010000001")
    notice = send(net).notice
    assert [d.state for d in sms_of(notice)] == ["queued"]
    assert adapters.MEMORY["sms"].sent == {}
    result = worker.tick(T0 + timedelta(seconds=1))
    delivery = sms_of(notice).get()
    assert (result.sent, delivery.state, delivery.attempts, delivery.sent_at) == (1, "sent", 1, T0 + timedelta(seconds=1))
    assert adapters.MEMORY["sms"].sent == {f"jedel-delivery-{delivery.pk}": ("+77010000001", "Incoming: 3 red", "ETA 12 min")}


def test_gateway_down_is_retried_with_backoff_and_shown(net):
    sms(net["people"]["ed_nurse"], "+77010000001")
    notice = send(net).notice
    adapters.MEMORY["sms"].fail_next = 2
    at = T0
    worker.tick(at)
    delivery = sms_of(notice).get()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at, delivery.last_error) == \
        ("queued", 1, at + timedelta(seconds=5), "gateway unavailable (test double)")
    worker.tick(at + timedelta(seconds=4))  # not due yet
    assert adapters.MEMORY["sms"].calls == 1
    worker.tick(at + timedelta(seconds=5))
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at) == (2, at + timedelta(seconds=15))
    worker.tick(at + timedelta(seconds=15))
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 3)
    assert list(delivery.log.values_list("state", flat=True)) == ["queued", "retry", "retry", "sent"]


def test_gateway_never_back_fails_visibly(net):
    sms(net["people"]["ed_nurse"], "+77010000001")
    notice = send(net).notice
    adapters.MEMORY["sms"].down = True
    at = T0
    for _ in range(worker.MAX_ATTEMPTS):
        worker.tick(at)
        at = max(at, sms_of(notice).get().next_attempt_at or at)
    delivery = sms_of(notice).get()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("failed", worker.MAX_ATTEMPTS, None)
    assert delivery.log.last().state == "failed"


def test_worker_killed_mid_send_resends_once_with_the_same_key(net):
    sms(net["people"]["ed_nurse"], "+77010000001")
    notice = send(net).notice
    claimed = worker._claim(T0)  # the worker claims, the gateway takes the message, then the process dies
    adapters.MEMORY["sms"].send(address="+77010000001", subject="x", text="y", key=f"jedel-delivery-{claimed[0].pk}")
    worker.tick(T0 + timedelta(seconds=worker.LEASE_S - 1))  # claim still held: not sent again
    assert adapters.MEMORY["sms"].calls == 1
    worker.tick(T0 + timedelta(seconds=worker.LEASE_S))
    delivery = sms_of(notice).get()
    assert (delivery.state, delivery.attempts, adapters.MEMORY["sms"].calls, len(adapters.MEMORY["sms"].sent)) == \
        ("sent", 2, 2, 1)


def test_acknowledged_notice_sends_no_queued_sms(net):
    from jedel.notifications.services.answers import delivery_answer

    sms(net["people"]["ed_nurse"], "+77010000001")
    sms(net["people"]["ed_doctor"], "+77010000002")
    notice = send(net).notice
    nurse_app = notice.deliveries.get(channel="in_app", recipient=net["people"]["ed_nurse"])
    delivery_answer(actor=principal(net["people"]["ed_nurse"]), delivery_id=nurse_app.pk, answer="acknowledged",
                    now=T0)
    worker.tick(T0 + timedelta(seconds=1))
    assert [d.state for d in sms_of(notice)] == ["cancelled", "cancelled"]
    assert adapters.MEMORY["sms"].calls == 0


def test_duplicates_collapse_while_open(net):
    first = send(net, dedupe_key="incident-7/tag-0012")
    again = send(net, dedupe_key="incident-7/tag-0012")
    assert (again.collapsed, again.notice.pk, again.notice.repeats) == (True, first.notice.pk, 1)
    assert Delivery.objects.filter(notice=first.notice, channel="in_app").count() == 2


def test_switched_off_channel_and_missing_address_are_reported(net, settings):
    settings.JEDEL_NOTIFY_SMS = "off"
    sms(net["people"]["ed_nurse"], "+77010000001")
    result = send(net)
    assert sorted(result.without_channel) == ["ed_doctor", "ed_nurse"]
    assert not Delivery.objects.filter(notice=result.notice, channel="sms").exists()


def test_exercise_reaches_neither_real_only_people_nor_real_only_phones(net):
    sms(net["people"]["ed_nurse"], "+77010000001", exercise=True)
    sms(net["people"]["ed_doctor"], "+77010000002", exercise=False)
    Profile.objects.create(user=net["people"]["ed_doctor"], real_only=True)
    notice = send(net, exercise=True, title="EXERCISE incoming").notice
    assert sorted((d.recipient.username, d.channel) for d in notice.deliveries.all()) == \
        [("ed_nurse", "in_app"), ("ed_nurse", "sms")]
    worker.tick(T0)
    assert [v[1] for v in adapters.MEMORY["sms"].sent.values()] == ["[EXERCISE] EXERCISE incoming"]

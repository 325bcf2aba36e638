"""Sending, escalating and acknowledging a notice, with an injected clock (no sleeping)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.common.errors import Conflict, NotFound
from jedel.common.realtime.models import Event
from jedel.notifications.models import Delivery, Notice
from jedel.notifications.services.answers import delivery_answer
from jedel.notifications.services.sending import notice_send
from jedel.notifications.services.worker import tick
from tests.notifications.notify_helpers import T0, principal

pytestmark = pytest.mark.django_db

TIMEOUTS = [60, 60, 120, 300]


def chain(net):
    d = net["desks"]
    return [[{"desk": d["admissions"].pk, "position": 0}], [{"desk": d["admissions"].pk, "position": 1}],
            [{"desk": d["region"].pk}], [{"desk": d["nccem"].pk}]]


def send(net, **extra):
    return notice_send(actor=principal(net["people"]["sender"]), kind="incoming_patient",
                       title="Red casualty, ETA 12 min", levels=chain(net), ack_timeout_s=TIMEOUTS,
                       region_id=net["region"].pk, facility_id=net["hospital"].pk, now=T0, **extra)


def reached(notice):
    """(username, level, state) of the in-app deliveries, in creation order."""
    return [(d.recipient.username, d.level, d.state)
            for d in notice.deliveries.filter(channel="in_app").select_related("recipient").order_by("pk")]


def in_app(notice, username):
    return notice.deliveries.get(channel="in_app", recipient__username=username)


def test_first_level_only_until_the_timeout(net):
    notice = send(net).notice
    assert reached(notice) == [("ed_nurse", 0, "sent")]
    assert tick(T0 + timedelta(seconds=59)).escalated == 0
    assert reached(notice) == [("ed_nurse", 0, "sent")]


def test_unanswered_notice_climbs_every_level_then_is_flagged(net):
    notice = send(net).notice
    tick(T0 + timedelta(seconds=60))
    tick(T0 + timedelta(seconds=120))
    tick(T0 + timedelta(seconds=240))
    assert [r[:2] for r in reached(notice)] == [("ed_nurse", 0), ("ed_doctor", 1), ("region_desk", 2),
                                               ("nccem_duty", 3)]
    tick(T0 + timedelta(seconds=539))
    notice.refresh_from_db()
    assert (notice.status, notice.level) == ("open", 3)
    tick(T0 + timedelta(seconds=540))
    notice.refresh_from_db()
    assert (notice.status, notice.next_check_at) == ("unanswered", None)


def test_acknowledgement_stops_escalation_and_paging(net):
    notice = send(net).notice
    tick(T0 + timedelta(seconds=60))  # the doctor is paged too
    nurse = net["people"]["ed_nurse"]
    delivery_answer(actor=principal(nurse), delivery_id=in_app(notice, "ed_nurse").pk, answer="acknowledged",
                    now=T0 + timedelta(seconds=75))
    for later in (120, 240, 3600):
        tick(T0 + timedelta(seconds=later))
    notice.refresh_from_db()
    assert (notice.status, notice.acknowledged_by, notice.acknowledged_at) == \
        ("acknowledged", nurse, T0 + timedelta(seconds=75))
    assert reached(notice) == [("ed_nurse", 0, "acknowledged"), ("ed_doctor", 1, "cancelled")]
    acked = in_app(notice, "ed_nurse")
    # Acknowledging proves the earlier steps; they are stamped at the acknowledgement when no receipt came.
    assert (acked.sent_at, acked.delivered_at, acked.read_at, acked.acted_at) == \
        (T0, T0 + timedelta(seconds=75), T0 + timedelta(seconds=75), T0 + timedelta(seconds=75))
    assert list(acked.log.values_list("state", flat=True)) == ["queued", "sent", "acknowledged"]


def test_second_acknowledgement_is_told_who_was_first(net):
    notice = send(net).notice
    tick(T0 + timedelta(seconds=60))
    delivery_answer(actor=principal(net["people"]["ed_nurse"]), delivery_id=in_app(notice, "ed_nurse").pk,
                    answer="acknowledged", now=T0 + timedelta(seconds=70))
    with pytest.raises(Conflict) as late:
        delivery_answer(actor=principal(net["people"]["ed_doctor"]), delivery_id=in_app(notice, "ed_doctor").pk,
                        answer="acknowledged", now=T0 + timedelta(seconds=71))
    assert late.value.code.value == "notice_already_acknowledged"
    assert "ed_nurse" in late.value.detail


def test_cannot_respond_reroutes_at_once(net):
    notice = send(net).notice
    delivery_answer(actor=principal(net["people"]["ed_nurse"]), delivery_id=in_app(notice, "ed_nurse").pk,
                    answer="cannot_respond", note="in theatre", now=T0 + timedelta(seconds=5))
    notice.refresh_from_db()
    assert reached(notice) == [("ed_nurse", 0, "cannot_respond"), ("ed_doctor", 1, "sent")]
    assert (notice.level, notice.level_started_at, notice.next_check_at) == \
        (1, T0 + timedelta(seconds=5), T0 + timedelta(seconds=65))


def test_answer_on_someone_elses_delivery_is_not_found(net):
    notice = send(net).notice
    with pytest.raises(NotFound):
        delivery_answer(actor=principal(net["people"]["ed_doctor"]), delivery_id=in_app(notice, "ed_nurse").pk,
                        answer="acknowledged", now=T0)
    assert in_app(notice, "ed_nurse").state == "sent"


def test_late_receipt_changes_nothing(net):
    notice = send(net).notice
    nurse = principal(net["people"]["ed_nurse"])
    delivery_id = in_app(notice, "ed_nurse").pk
    delivery_answer(actor=nurse, delivery_id=delivery_id, answer="read", now=T0 + timedelta(seconds=3))
    delivery_answer(actor=nurse, delivery_id=delivery_id, answer="delivered", now=T0 + timedelta(seconds=9))
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.state, delivery.delivered_at, delivery.read_at) == \
        ("read", T0 + timedelta(seconds=3), T0 + timedelta(seconds=3))


def test_empty_desk_is_skipped_and_flagged(net):
    d = net["desks"]
    d["admissions"].shifts.all().delete()
    result = send(net)
    assert result.empty_desks == [d["admissions"].pk, d["admissions"].pk]
    assert reached(result.notice) == [("region_desk", 2, "sent")]
    assert result.notice.data["empty_desks"] == [d["admissions"].pk]


def test_personal_events_are_stored_for_each_recipient(net):
    notice = send(net).notice
    nurse = net["people"]["ed_nurse"].pk
    personal = Event.objects.filter(kind="notice.received")
    assert [(e.stream, e.seq, e.recipient_id, e.data["notice"], e.data["title"]) for e in personal] == \
        [(f"inbox@{nurse}", 1, nurse, notice.pk, "Red casualty, ETA 12 min")]
    # Nobody can follow a notice's page before it exists: sending publishes nothing on the shared stream.
    assert not Event.objects.filter(stream="notices").exists()
    tick(T0 + timedelta(seconds=60))  # the escalation changes the log: one event for its page
    assert list(Event.objects.filter(kind="notice.changed").values_list("stream", "seq", "recipient_id")) == \
        [("notices", 1, None)]


def test_notice_with_nobody_to_reach_is_refused_and_stores_nothing(net):
    from jedel.common.errors import DomainError

    for desk in net["desks"].values():
        desk.shifts.all().delete()
    with pytest.raises(DomainError) as refused:
        send(net)
    assert refused.value.code.value == "no_recipients"
    assert Notice.objects.count() == 0

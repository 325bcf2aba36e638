"""Panic buttons and alerts: device secrets, idempotent presses, the state machine, escalation on a pinned clock."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from jedel.common.errors import Conflict, DomainError, PermissionDenied
from jedel.common.realtime.models import Event
from jedel.notifications.models import Notice
from jedel.notifications.services.worker import tick
from jedel.security.models import PanicAlert, PanicButton, PanicDenial
from jedel.security.models_registry import ViolenceIncident
from jedel.security.services.panic import (
    button_create, button_revoke, device_button, panic_acknowledge, panic_press_device, panic_press_staff,
    panic_resolve,
)
from tests.security.conftest import p

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def s(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def button(site):
    b, raw = button_create(actor=p(site["people"]["officer_a"]), facility_id=site["A"].pk, location="ER triage desk",
                           now=T0 - timedelta(days=1))
    return b, raw


def reached(notice: Notice) -> list[tuple[str, int, str]]:
    return sorted((d.recipient.username, d.level, d.state)
                  for d in notice.deliveries.filter(channel="in_app").select_related("recipient"))


def test_only_the_hash_of_the_device_secret_is_stored(button):
    b, raw = button
    assert raw.startswith("jpb_") and len(raw) == 36
    assert b.token_digest == hashlib.sha256(raw.encode()).hexdigest()
    assert not PanicButton.objects.filter(token_prefix=raw).exists()
    assert device_button(raw).pk == b.pk


def test_unknown_and_revoked_secrets_are_refused_and_logged(site, button):
    b, raw = button
    assert device_button("jpb_not-a-real-secret", remote_addr="10.0.0.7", now=s(0)) is None
    button_revoke(actor=p(site["people"]["manager_a"]), button_id=b.pk, now=s(1))
    assert device_button(raw, now=s(2)) is None
    assert list(PanicDenial.objects.order_by("at").values_list("reason", "token_prefix", "button_id")) == [
        ("unknown", "jpb_not-a-re", None), ("revoked", raw[:12], b.pk)]
    assert PanicAlert.objects.count() == 0


def test_a_press_is_stored_announced_and_pages_facility_security_first(site, button):
    b, _ = button
    result = panic_press_device(button=b, now=s(0))
    alert = result.alert
    assert (result.duplicate, alert.state, alert.location, alert.presses, alert.source) == \
        (False, "open", "ER triage desk", 1, "device")
    event = Event.objects.get(stream="security")
    assert (event.kind, event.facility_id, event.region_id, event.read_action) == \
        ("panic.raised", site["A"].pk, site["almaty"].pk, "watch_panic")
    assert event.data["location"] == "ER triage desk" and event.data["pressed_at"] == "2026-12-03T08:00:00.000000Z"
    assert (alert.notice.kind, alert.notice.priority, alert.notice.ack_timeout_s) == \
        ("panic_alert", "emergency", [30, 30, 300])
    assert reached(alert.notice) == [("officer_a", 0, "sent")]


def test_presses_of_one_device_within_seconds_are_one_alert_counted(site, button):
    b, _ = button
    first = panic_press_device(button=b, now=s(0)).alert
    again = [panic_press_device(button=b, now=s(t)) for t in (3, 9, 18)]  # each within 10 s of the previous
    assert [r.duplicate for r in again] == [True, True, True]
    assert {r.alert.pk for r in again} == {first.pk}
    first.refresh_from_db()
    b.refresh_from_db()
    assert (first.presses, first.last_press_at, b.presses) == (4, s(18), 4)
    assert Notice.objects.count() == 1
    later = panic_press_device(button=b, now=s(28.5))  # 10.5 s after the last press: a new alarm
    assert (later.duplicate, later.alert.pk != first.pk, PanicAlert.objects.count()) == (False, True, 2)


def test_a_press_after_acknowledgement_is_a_new_alert(site, button):
    b, _ = button
    first = panic_press_device(button=b, now=s(0)).alert
    panic_acknowledge(actor=p(site["people"]["officer_a"]), alert_id=first.pk, now=s(2))
    second = panic_press_device(button=b, now=s(4))
    assert (second.duplicate, second.alert.pk != first.pk) == (False, True)


def test_unacknowledged_alert_escalates_to_management_at_30s_and_the_region_at_60s(site, button):
    b, _ = button
    alert = panic_press_device(button=b, now=s(0)).alert
    tick(s(29.9))
    assert reached(alert.notice) == [("officer_a", 0, "sent")]
    tick(s(30))
    assert reached(alert.notice) == [("manager_a", 1, "sent"), ("officer_a", 0, "sent")]
    tick(s(59.9))
    assert len(reached(alert.notice)) == 2
    tick(s(60))
    assert reached(alert.notice) == [("coord_almaty", 2, "sent"), ("lead_almaty", 2, "sent"),
                                     ("manager_a", 1, "sent"), ("officer_a", 0, "sent")]


def test_escalation_times_are_configurable(site, button, settings):
    settings.JEDEL_PANIC_ESCALATION_S = (10, 25)
    alert = panic_press_device(button=button[0], now=s(0)).alert
    tick(s(10))
    tick(s(25))
    assert [r[:2] for r in reached(alert.notice)] == [("coord_almaty", 2), ("lead_almaty", 2), ("manager_a", 1),
                                                      ("officer_a", 0)]


def test_acknowledging_on_the_console_stops_the_escalation(site, button):
    alert = panic_press_device(button=button[0], now=s(0)).alert
    acked = panic_acknowledge(actor=p(site["people"]["officer_a"]), alert_id=alert.pk, now=s(12))
    assert (acked.state, acked.acknowledged_at, acked.acknowledged_by_label) == ("acknowledged", s(12), "officer_a")
    tick(s(30))
    tick(s(60))
    notice = Notice.objects.get(pk=alert.notice_id)
    assert (notice.status, notice.acknowledged_by.username) == ("acknowledged", "officer_a")
    assert reached(notice) == [("officer_a", 0, "acknowledged")]


def test_a_manager_acknowledging_before_being_paged_stops_it_too(site, button):
    alert = panic_press_device(button=button[0], now=s(0)).alert
    panic_acknowledge(actor=p(site["people"]["manager_a"]), alert_id=alert.pk, now=s(5))
    tick(s(60))
    notice = Notice.objects.get(pk=alert.notice_id)
    assert (notice.status, notice.acknowledged_at) == ("acknowledged", s(5))
    assert reached(notice) == [("officer_a", 0, "cancelled")]


def test_acknowledging_the_page_in_the_inbox_acknowledges_the_alert_on_the_console(site, button):
    """The manager paged at 30 s answers from the phone's inbox: the alert is taken (console event, audit), and
    nobody else is paged at 60 s."""
    from jedel.accounts.models import AuditEvent
    from jedel.notifications.services.answers import delivery_answer

    alert = panic_press_device(button=button[0], now=s(0)).alert
    tick(s(30))
    manager = site["people"]["manager_a"]
    delivery = alert.notice.deliveries.get(recipient=manager)
    delivery_answer(actor=p(manager), delivery_id=delivery.pk, answer="acknowledged", now=s(41))
    taken = PanicAlert.objects.get(pk=alert.pk)
    assert (taken.state, taken.acknowledged_at, taken.acknowledged_by_label) == ("acknowledged", s(41), "manager_a")
    assert Event.objects.filter(stream="security", kind="panic.acknowledged").count() == 1
    assert AuditEvent.objects.get(action="answer_panic", object_id=alert.pk).changes == {
        "state": "acknowledged", "from": "inbox"}
    tick(s(60))
    assert reached(alert.notice) == [("manager_a", 1, "acknowledged"), ("officer_a", 0, "cancelled")]


def test_the_state_machine(site, button):
    officer, manager = p(site["people"]["officer_a"]), p(site["people"]["manager_a"])
    alert = panic_press_device(button=button[0], now=s(0)).alert
    panic_acknowledge(actor=officer, alert_id=alert.pk, now=s(10))
    assert panic_acknowledge(actor=officer, alert_id=alert.pk, now=s(11)).acknowledged_at == s(10)  # idempotent
    with pytest.raises(Conflict) as exc:
        panic_acknowledge(actor=manager, alert_id=alert.pk, now=s(12))
    assert exc.value.code.value == "already_acknowledged"
    with pytest.raises(DomainError) as exc:
        panic_resolve(actor=officer, alert_id=alert.pk, outcome="incident_recorded", now=s(60))
    assert exc.value.code.value == "incident_required"
    with pytest.raises(DomainError) as exc:
        panic_resolve(actor=officer, alert_id=alert.pk, outcome="nothing", now=s(60))
    assert exc.value.code.value == "bad_outcome"
    elsewhere = ViolenceIncident.objects.create(facility=site["C"], occurred_at=s(0), department="ER",
                                                kind="verbal", severity="minor", recorded_by_label="x")
    with pytest.raises(DomainError) as exc:
        panic_resolve(actor=officer, alert_id=alert.pk, outcome="incident_recorded", incident_id=elsewhere.pk)
    assert exc.value.code.value == "different_facility"
    here = ViolenceIncident.objects.create(facility=site["A"], occurred_at=s(0), department="ER",
                                           kind="physical", severity="moderate", recorded_by_label="x")
    done = panic_resolve(actor=officer, alert_id=alert.pk, outcome="incident_recorded", incident_id=here.pk,
                         note="  relative detained  ", now=s(300))
    assert (done.state, done.outcome, done.incident_id, done.resolved_at, done.note) == \
        ("resolved", "incident_recorded", here.pk, s(300), "relative detained")
    with pytest.raises(Conflict) as exc:
        panic_resolve(actor=officer, alert_id=alert.pk, outcome="false_alarm")
    assert exc.value.code.value == "already_resolved"
    kinds = list(Event.objects.filter(stream="security").order_by("seq").values_list("kind", flat=True))
    assert kinds == ["panic.raised", "panic.acknowledged", "panic.resolved"]


def test_resolving_an_open_alert_acknowledges_it_at_the_same_moment(site, button):
    alert = panic_press_device(button=button[0], now=s(0)).alert
    done = panic_resolve(actor=p(site["people"]["lead"]), alert_id=alert.pk, outcome="false_alarm", now=s(20))
    assert (done.acknowledged_at, done.resolved_at, done.acknowledged_by_label) == (s(20), s(20), "lead_almaty")
    assert Notice.objects.get(pk=alert.notice_id).status == "acknowledged"


def test_who_may_answer(site, button):
    alert = panic_press_device(button=button[0], now=s(0)).alert
    for name in ("nurse_a", "officer_c", "manager_b", "viewer"):
        with pytest.raises(PermissionDenied):
            panic_acknowledge(actor=p(site["people"][name]), alert_id=alert.pk, now=s(1))
    assert panic_acknowledge(actor=p(site["people"]["lead"]), alert_id=alert.pk, now=s(2)).state == "acknowledged"


def test_staff_press_from_the_panic_page(site):
    nurse = p(site["people"]["nurse_a"])
    alert = panic_press_staff(actor=nurse, facility_id=site["A"].pk, location=" Ward 3 ", now=s(0)).alert
    assert (alert.location, alert.source, alert.raised_by_label, alert.button_id) == \
        ("Ward 3", "staff_page", "nurse_a", None)
    with pytest.raises(PermissionDenied):
        panic_press_staff(actor=nurse, facility_id=site["B"].pk, location="Ward 3", now=s(1))
    with pytest.raises(DomainError) as exc:
        panic_press_staff(actor=nurse, facility_id=site["A"].pk, location="  ", now=s(1))
    assert exc.value.code.value == "location_required"


def test_an_alarm_nobody_can_be_paged_for_still_reaches_the_console(site):
    """Facility B has no security officer and no manager paged... but it has one: remove them all."""
    from jedel.accounts.models import User

    User.objects.filter(username__in=["manager_b", "lead_almaty", "coord_almaty"]).update(is_active=False)
    b, _ = button_create(actor=p(site["people"]["national"]), facility_id=site["B"].pk, location="Gate")
    alert = panic_press_device(button=b, now=s(0)).alert
    assert alert.notice_id is None
    assert Event.objects.filter(stream="security", kind="panic.raised", facility_id=site["B"].pk).count() == 1


def _raised_but_not_paged(button, at):
    """What a server that died right after the alert's commit leaves: the alert and its event, no page."""
    from django.db import transaction

    from jedel.security.services.panic import _raise

    with transaction.atomic():
        return _raise(button.facility, location=button.location, source="device", button=button, label="b",
                      user_id=None, now=at)


def test_an_alert_left_unpaged_by_a_dying_server_is_paged_by_the_sweep_timed_from_the_press(site, button):
    from jedel.security.services.panic import pages_ensure

    alert = _raised_but_not_paged(button[0], s(0))
    assert (alert.paged_at, alert.notice_id) == (None, None)
    assert Event.objects.filter(stream="security", kind="panic.raised").count() == 1  # the console has it already
    assert pages_ensure(s(4)) == 0  # still within the raising request's grace
    assert pages_ensure(s(7)) == 1
    alert.refresh_from_db()
    assert (alert.notice.created_at, reached(alert.notice)) == (s(0), [("officer_a", 0, "sent")])
    assert pages_ensure(s(9)) == 0  # paged once
    tick(s(30))
    assert [r[:2] for r in reached(alert.notice)] == [("manager_a", 1), ("officer_a", 0)]


def test_an_alert_acknowledged_before_its_page_is_not_paged(site, button):
    from jedel.security.services.panic import pages_ensure

    alert = _raised_but_not_paged(button[0], s(0))
    panic_acknowledge(actor=p(site["people"]["officer_a"]), alert_id=alert.pk, now=s(1))
    assert pages_ensure(s(10)) == 0
    alert.refresh_from_db()
    assert (alert.notice_id, Notice.objects.count()) == (None, 0)  # nobody is paged for a taken alarm


def test_a_facility_can_have_the_region_told_at_once(site, button):
    from jedel.security.services.posture import PostureInput, posture_save

    posture_save(actor=p(site["people"]["officer_a"]), facility_id=site["A"].pk, version=0, data=PostureInput(
        post_24_7=True, cctv_cameras=1, er_cctv_covered=True, body_cameras=0, alert_region_at_once=True))
    alert = panic_press_device(button=button[0], now=s(0)).alert
    assert reached(alert.notice) == [("coord_almaty", 0, "sent"), ("lead_almaty", 0, "sent"), ("officer_a", 0, "sent")]
    tick(s(30))
    tick(s(60))
    notice = Notice.objects.get(pk=alert.notice_id)
    assert [r[:2] for r in reached(notice)] == [("coord_almaty", 0), ("lead_almaty", 0), ("manager_a", 1),
                                                ("officer_a", 0)]
    assert notice.status == "open"  # still waiting for an answer from those reached

"""Digest or immediate per role and kind: held deliveries, one combined message per person and channel when
the period ends, never an alarm held, a restart sending a digest once, a person's rule over their role's, and
exercise traffic kept apart. Times are pinned (T0 = 21:00 UTC, a period boundary for a 60-minute digest)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.notifications import adapters
from jedel.notifications.models import Delivery, Digest, DigestRule, Profile
from jedel.notifications.services import worker
from jedel.notifications.services.answers import delivery_answer
from jedel.notifications.services.sending import notice_send
from tests.capacity.capacity_helpers import make_user
from tests.notifications.notify_helpers import T0, principal, sms

pytestmark = pytest.mark.django_db

MIN = timedelta(minutes=1)


def send(net, *, title, at, levels=None, **extra):
    """An overdue-report reminder to the region's coordinator desk (one level unless `levels` says otherwise)."""
    extra.setdefault("priority", "routine")
    return notice_send(actor=principal(net["people"]["sender"]), kind="overdue_report", title=title,
                       body=extra.pop("body", ""), levels=levels or [[{"desk": net["desks"]["region"].pk}]],
                       ack_timeout_s=[1800] * len(levels or [0]), region_id=net["region"].pk, now=at, **extra).notice


def sms_of(notice, username="region_desk"):
    return Delivery.objects.get(notice=notice, channel="sms", recipient__username=username)


def log_of(delivery):
    return list(delivery.log.values_list("state", "detail"))


def test_the_default_rule_set():
    assert list(DigestRule.objects.values_list("role", "kind", "user", "every_min")) == \
        [("regional_coordinator", "overdue_report", None, 60)]


def test_held_until_the_period_ends_then_one_message_with_every_item(net):
    sms(net["people"]["region_desk"], "+77010000009")
    first = send(net, title="KZ-ALA-H1 · Городская больница 1", body="Last report 6 h ago", at=T0 + 5 * MIN)
    second = send(net, title="KZ-ALA-H2 · Больница 2", at=T0 + 20 * MIN)
    in_app = Delivery.objects.get(notice=first, channel="in_app")
    assert in_app.state == "sent"  # the app is never held
    held = sms_of(first)
    assert (held.state, held.next_attempt_at) == ("held", None)
    assert log_of(held) == [("queued", "level 0"), ("held", "held for digest until 2026-12-02T22:00+00:00")]

    worker.tick(T0 + 59 * MIN)
    assert adapters.MEMORY["sms"].sent == {}
    result = worker.tick(T0 + 60 * MIN)

    digest = Digest.objects.get()
    assert (result.digests, result.sent, digest.state, digest.sent_at) == (1, 2, "sent", T0 + 60 * MIN)
    assert adapters.MEMORY["sms"].sent == {f"jedel-digest-{digest.pk}": (
        "+77010000009", "Jedel: 2 notices",
        "1. 21:05 UTC · Overdue capacity report · KZ-ALA-H1 · Городская больница 1\nLast report 6 h ago\n\n"
        "2. 21:20 UTC · Overdue capacity report · KZ-ALA-H2 · Больница 2")}
    for notice in (first, second):
        delivery = sms_of(notice)
        assert (delivery.state, delivery.sent_at, delivery.digest_id) == ("sent", T0 + 60 * MIN, digest.pk)
        assert [s for s, _ in log_of(delivery)] == ["queued", "held", "sent"]
    worker.tick(T0 + 61 * MIN)
    assert adapters.MEMORY["sms"].calls == 1


def test_emergencies_are_never_held(net):
    sms(net["people"]["region_desk"], "+77010000009")
    notice = send(net, title="Mass casualty", at=T0 + 5 * MIN, priority="emergency")
    assert sms_of(notice).state == "queued"
    worker.tick(T0 + 5 * MIN)
    delivery = sms_of(notice)
    assert delivery.state == "sent"
    assert list(adapters.MEMORY["sms"].sent) == [f"jedel-delivery-{delivery.pk}"]
    assert not Digest.objects.exists()


def test_a_delivery_whose_silence_escalates_is_never_held(net):
    sms(net["people"]["region_desk"], "+77010000009")
    sms(net["people"]["duty"], "+77010000010")
    notice = send(net, title="KZ-ALA-H1", at=T0 + 5 * MIN,
                  levels=[[{"desk": net["desks"]["region"].pk}], [{"desk": net["desks"]["nccem"].pk}]])
    assert sms_of(notice).state == "queued"  # level 0 of 2: the NCCEM desk waits on this acknowledgement
    DigestRule.objects.create(user=net["people"]["duty"], kind="overdue_report", every_min=30)
    worker.tick(T0 + 36 * MIN)  # 30 min without acknowledgement: escalated to the NCCEM duty officer
    assert sms_of(notice, "nccem_duty").state == "held"  # the last level: their own rule holds it
    assert Digest.objects.get().due_at == T0 + 60 * MIN


def test_a_persons_rule_wins_over_the_role_rule(net):
    sms(net["people"]["region_desk"], "+77010000009")
    DigestRule.objects.create(user=net["people"]["region_desk"], kind="overdue_report", every_min=None)
    assert sms_of(send(net, title="KZ-ALA-H1", at=T0 + 5 * MIN)).state == "queued"
    DigestRule.objects.filter(user=net["people"]["region_desk"]).update(every_min=15)
    held = sms_of(send(net, title="KZ-ALA-H2", at=T0 + 5 * MIN))
    assert (held.state, held.digest.due_at, held.digest.every_min) == ("held", T0 + 15 * MIN, 15)


def test_other_kinds_and_roles_stay_immediate(net):
    sms(net["people"]["ed_nurse"], "+77010000001")
    notice = send(net, title="KZ-ALA-H1", at=T0, levels=[[{"user": net["people"]["ed_nurse"].pk}]])
    assert sms_of(notice, "ed_nurse").state == "queued"  # a clinician: no rule for the role


def test_a_restart_mid_digest_sends_it_once(net):
    sms(net["people"]["region_desk"], "+77010000009")
    notice = send(net, title="KZ-ALA-H1", at=T0 + 5 * MIN)
    due = T0 + 60 * MIN
    claimed = worker._claim_digests(due)  # the worker claims, the gateway takes it, then the process dies
    adapters.MEMORY["sms"].send(address="+77010000009", subject="x", text="y", key=claimed[0].key)
    worker.tick(due + timedelta(seconds=worker.LEASE_S - 1))  # the claim still holds: not sent again
    assert (adapters.MEMORY["sms"].calls, sms_of(notice).state) == (1, "held")
    worker.tick(due + timedelta(seconds=worker.LEASE_S))
    digest = Digest.objects.get()
    assert (digest.state, digest.attempts, adapters.MEMORY["sms"].calls, len(adapters.MEMORY["sms"].sent)) == \
        ("sent", 2, 2, 1)
    assert sms_of(notice).state == "sent"


def test_an_acknowledged_notice_leaves_the_digest(net):
    sms(net["people"]["region_desk"], "+77010000009")
    notice = send(net, title="KZ-ALA-H1", at=T0 + 5 * MIN)
    in_app = Delivery.objects.get(notice=notice, channel="in_app")
    delivery_answer(actor=principal(net["people"]["region_desk"]), delivery_id=in_app.pk, answer="acknowledged",
                    now=T0 + 10 * MIN)
    assert sms_of(notice).state == "cancelled"
    worker.tick(T0 + 60 * MIN)
    assert (Digest.objects.get().state, adapters.MEMORY["sms"].calls) == ("empty", 0)


def test_a_gateway_down_is_retried_and_shown_on_every_held_delivery(net):
    sms(net["people"]["region_desk"], "+77010000009")
    notice = send(net, title="KZ-ALA-H1", at=T0 + 5 * MIN)
    adapters.MEMORY["sms"].fail_next = 1
    worker.tick(T0 + 60 * MIN)
    delivery = sms_of(notice)
    assert (delivery.state, delivery.last_error, log_of(delivery)[-1][0]) == \
        ("held", "gateway unavailable (test double)", "retry")
    assert Digest.objects.get().next_attempt_at == T0 + 60 * MIN + timedelta(seconds=5)
    worker.tick(T0 + 60 * MIN + timedelta(seconds=5))
    assert (sms_of(notice).state, len(adapters.MEMORY["sms"].sent)) == ("sent", 1)


def test_exercise_digests_are_apart_and_never_reach_real_only_people(net, kz):
    coordinator = net["people"]["region_desk"]
    sms(coordinator, "+77010000009", exercise=True)
    real_only = make_user("region_desk_2", "regional_coordinator", region=net["region"])
    sms(real_only, "+77010000011", exercise=True)
    Profile.objects.create(user=real_only, real_only=True)
    levels = [[{"user": coordinator.pk}, {"user": real_only.pk}]]
    send(net, title="KZ-ALA-H1", at=T0 + 5 * MIN, levels=levels)
    send(net, title="EXERCISE KZ-ALA-H9", at=T0 + 6 * MIN, levels=levels, exercise=True)
    worker.tick(T0 + 60 * MIN)
    assert sorted(adapters.MEMORY["sms"].sent.values()) == [
        ("+77010000009", "Jedel: 1 notice", "1. 21:05 UTC · Overdue capacity report · KZ-ALA-H1"),
        ("+77010000009", "[EXERCISE] Jedel: 1 notice", "1. 21:06 UTC · Overdue capacity report · EXERCISE KZ-ALA-H9"),
        ("+77010000011", "Jedel: 1 notice", "1. 21:05 UTC · Overdue capacity report · KZ-ALA-H1"),
    ]


def test_the_message_page_shows_who_is_held_for_digest(net, client):
    sms(net["people"]["region_desk"], "+77010000009")
    notice = send(net, title="KZ-ALA-H1", at=T0 + 5 * MIN)
    client.force_login(net["people"]["sender"])
    page = client.get(f"/notices/{notice.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count("held for digest") == 1
    api = client.get(f"/api/notices/{notice.pk}").json()
    assert sorted((d["channel"], d["state"]) for d in api["deliveries"] if d["recipient"] == "region_desk") == \
        [("in_app", "sent"), ("sms", "held")]

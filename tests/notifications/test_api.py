"""The notifications API: send, inbox, answer, message page, statistics, rosters; bad input is 422 and stores nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from jedel.notifications.models import Notice, Shift
from tests.notifications.notify_helpers import T0

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def notice_body(net, **extra):
    d = net["desks"]
    return {"kind": "incoming_patient", "title": "2 red from the Medeu road crash", "priority": "emergency",
            "levels": [[{"desk": d["admissions"].pk, "position": 0}], [{"desk": d["region"].pk}]],
            "ack_timeout_s": [60, 120], "facility": net["hospital"].pk, "region": net["region"].pk, **extra}


@pytest.fixture
def clock_at_t0(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: T0)


def test_send_answer_and_read_the_log(net, clock_at_t0):
    people = net["people"]
    sent = post(client_of(people["sender"]), "/api/notices", notice_body(net))
    assert sent.status_code == 201, sent.content
    notice_id = sent.json()["notice"]["id"]
    assert (sent.json()["collapsed"], sent.json()["empty_desks"], sorted(sent.json()["without_channel"])) == \
        (False, [], ["ed_nurse"])
    nurse = client_of(people["ed_nurse"])
    inbox = nurse.get("/api/notices/inbox").json()
    assert [(i["notice"]["id"], i["state"]) for i in inbox] == [(notice_id, "sent")]
    answered = post(nurse, f"/api/notices/deliveries/{inbox[0]['delivery']}/answer", {"answer": "acknowledged"})
    assert (answered.status_code, answered.json()["state"]) == (200, "acknowledged")
    page = client_of(people["sender"]).get(f"/api/notices/{notice_id}").json()
    assert (page["notice"]["status"], page["notice"]["acknowledged_by"], page["notice"]["acknowledged_at"]) == \
        ("acknowledged", "ed_nurse", "2026-12-02T21:00:00Z")
    assert [(d["recipient"], d["state"], [r["state"] for r in d["log"]]) for d in page["deliveries"]] == \
        [("ed_nurse", "acknowledged", ["queued", "sent", "acknowledged"])]


@pytest.mark.parametrize(("change", "loc"), [
    ({"kind": "rumour"}, ["body", "data", "kind"]),
    ({"levels": []}, ["body", "data", "levels"]),
    ({"levels": [[{"desk": "1"}]]}, ["body", "data", "levels", 0, 0]),
    ({"ack_timeout_s": [0, 120]}, ["body", "data", "ack_timeout_s", 0]),
    ({"title": ""}, ["body", "data", "title"]),
])
def test_bad_notice_is_422_and_stores_nothing(net, change, loc):
    response = post(client_of(net["people"]["sender"]), "/api/notices", notice_body(net, **change))
    assert response.status_code == 422, response.content
    assert [e["loc"][:len(loc)] for e in response.json()["detail"]][0] == loc
    assert Notice.objects.count() == 0


def test_timeouts_must_match_levels(net):
    response = post(client_of(net["people"]["sender"]), "/api/notices", notice_body(net, ack_timeout_s=[60]))
    assert (response.status_code, response.json()["detail"][0]["code"]) == (422, "bad_levels")


def test_unknown_answer_and_foreign_delivery(net, clock_at_t0):
    people = net["people"]
    post(client_of(people["sender"]), "/api/notices", notice_body(net))
    delivery = client_of(people["ed_nurse"]).get("/api/notices/inbox").json()[0]["delivery"]
    wrong = post(client_of(people["ed_nurse"]), f"/api/notices/deliveries/{delivery}/answer", {"answer": "maybe"})
    assert wrong.status_code == 422
    foreign = post(client_of(people["ed_doctor"]), f"/api/notices/deliveries/{delivery}/answer", {"answer": "read"})
    assert (foreign.status_code, foreign.json()["detail"][0]["code"]) == (404, "notice_not_found")


def test_stats_show_time_to_acknowledge(net, clock_at_t0, monkeypatch):
    people = net["people"]
    post(client_of(people["sender"]), "/api/notices", notice_body(net))
    delivery = client_of(people["ed_nurse"]).get("/api/notices/inbox").json()[0]["delivery"]
    monkeypatch.setattr("django.utils.timezone.now", lambda: T0 + timedelta(seconds=42))
    post(client_of(people["ed_nurse"]), f"/api/notices/deliveries/{delivery}/answer", {"answer": "acknowledged"})
    stats = client_of(people["sender"]).get("/api/notices/stats").json()
    assert [(s["facility_name"], s["role"], s["reached"], s["acknowledged"], s["median_ack_s"]) for s in stats] == \
        [("Hospital KZ-ALA-H1", "clinician", 1, 1, 42.0)]


def test_roster_shows_who_is_on_duty_and_unstaffed_desks(net, clock_at_t0):
    people = net["people"]
    sender = client_of(people["sender"])
    desk = post(sender, "/api/rosters/desks", {"kind": "security", "facility": net["hospital"].pk})
    assert desk.status_code == 201, desk.content
    rows = {r["kind"]: r for r in sender.get(f"/api/rosters?facility={net['hospital'].pk}").json()}
    assert (rows["security"]["unstaffed"], [s["user"] for s in rows["admissions"]["on_duty"]]) == \
        (True, ["ed_nurse", "ed_doctor"])
    shift = post(sender, "/api/rosters/shifts", {"desk": desk.json()["id"], "user": people["ed_doctor"].pk,
                                                 "starts_at": "2026-12-02T20:00:00Z", "ends_at": "2026-12-03T08:00:00Z"})
    assert shift.status_code == 201, shift.content
    rows = {r["kind"]: r for r in sender.get(f"/api/rosters?facility={net['hospital'].pk}").json()}
    assert (rows["security"]["unstaffed"], [s["user"] for s in rows["security"]["on_duty"]]) == (False, ["ed_doctor"])


def test_shift_ending_before_it_starts_and_mismatched_desk_are_refused(net):
    sender = client_of(net["people"]["sender"])
    bad = post(sender, "/api/rosters/shifts", {"desk": net["desks"]["admissions"].pk, "user": net["people"]["ed_doctor"].pk,
                                               "starts_at": "2026-12-03T08:00:00Z", "ends_at": "2026-12-02T20:00:00Z"})
    assert (bad.status_code, bad.json()["detail"][0]["code"]) == (422, "bad_shift")
    desk = post(sender, "/api/rosters/desks", {"kind": "admissions", "region": net["region"].pk})
    assert (desk.status_code, desk.json()["detail"][0]["code"]) == (422, "bad_desk")
    assert Shift.objects.count() == 4


def test_ids_beyond_64_bits_and_unknown_regions_are_refused_not_500(net):
    """Found by the OpenAPI fuzzer: an id too large for the database, and a desk for a region that does not exist
    (SQLite only noticed the broken foreign key at commit)."""
    from jedel.notifications.models import Desk

    sender, huge = client_of(net["people"]["sender"]), 2**63
    listed = sender.get(f"/api/rosters?facility={huge}&region=-5")
    assert listed.status_code == 422
    assert sorted((d["loc"][-1], d["code"], d["msg"]) for d in listed.json()["detail"]) == [
        ("facility", "invalid", "Input should be less than or equal to 9223372036854775807"),
        ("region", "invalid", "Input should be greater than or equal to 1")]
    assert sender.get(f"/api/notices/{huge}").status_code == 422
    assert sender.get(f"/api/rosters?facility={2**63 - 1}").json() == []
    desks = Desk.objects.count()
    big = post(sender, "/api/rosters/desks", {"kind": "region_coordination", "region": huge})
    assert (big.status_code, big.json()["detail"][0]["loc"][-1]) == (422, "region")
    gone = post(sender, "/api/rosters/desks", {"kind": "region_coordination", "region": 987654})
    assert (gone.status_code, gone.json()["detail"][0]["code"], gone.json()["detail"][0]["loc"][-1]) == (
        404, "notice_not_found", "region")
    assert Desk.objects.count() == desks

"""The notice pages: inbox (showing a notice is its receipt), answering by form, the message page, the sent log,
sending to a hospital's chain, rosters with unstaffed desks, statistics; in English, Russian and Kazakh."""

from __future__ import annotations

import pytest
from django.test import Client

from jedel.notifications.models import Delivery, Notice
from jedel.notifications.services.sending import notice_send
from tests.notifications.notify_helpers import T0, principal

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_t0(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: T0)


def client_of(user, lang="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def sent(net):
    hospital = net["hospital"]
    return notice_send(actor=principal(net["people"]["sender"]), kind="incoming_patient", title="3 yellow, ETA 20 min",
                       levels=[[{"desk": net["desks"]["admissions"].pk}]], ack_timeout_s=[120],
                       region_id=hospital.region_id, facility_id=hospital.pk, now=T0).notice


@pytest.mark.parametrize(("lang", "heading"), [("en", "My notices"), ("ru", "Мои оповещения"),
                                               ("kk", "Менің хабарламаларым")])
def test_inbox_shows_the_notice_and_marks_it_delivered(net, at_t0, lang, heading):
    notice = sent(net)
    page = client_of(net["people"]["ed_nurse"], lang).get("/notices/")
    assert page.status_code == 200
    text = page.content.decode()
    assert heading in text and "3 yellow, ETA 20 min" in text
    assert Delivery.objects.get(notice=notice, recipient=net["people"]["ed_nurse"]).state == "delivered"


def test_acknowledge_by_form_then_the_page_says_who(net, at_t0):
    notice = sent(net)
    nurse = client_of(net["people"]["ed_nurse"])
    delivery = Delivery.objects.get(notice=notice, recipient=net["people"]["ed_nurse"])
    answer = nurse.post(f"/notices/deliveries/{delivery.pk}/answer/", {"answer": "acknowledged"})
    assert (answer.status_code, answer["Location"]) == (302, f"/notices/{notice.pk}/")
    page = client_of(net["people"]["sender"]).get(f"/notices/{notice.pk}/").content.decode()
    assert "Acknowledged by ed_nurse at 03.12.2026 02:00:00" in page  # 21:00 UTC is 02:00 in Almaty (UTC+5)
    assert 'data-recipient="ed_doctor" data-state="cancelled"' in page


def test_someone_elses_notice_page_is_refused(net, at_t0, kz):
    from tests.capacity.capacity_helpers import make_facility, make_user

    notice = sent(net)
    stranger = make_user("astana_clinician", "clinician", facility=make_facility(kz["KZ-71"], "AST-1"))
    assert client_of(stranger).get(f"/notices/{notice.pk}/").status_code == 403


def test_send_page_uses_the_hospitals_chain(net, at_t0):
    response = client_of(net["people"]["sender"]).post("/notices/send/", {
        "facility": net["hospital"].code, "kind": "incoming_patient", "priority": "urgent", "title": "1 red",
        "ack_timeout_s": "30"})
    notice = Notice.objects.get()
    assert response.status_code == 302
    d = net["desks"]
    assert notice.levels == [[{"desk": d["admissions"].pk, "position": 0}], [{"desk": d["admissions"].pk}],
                             [{"desk": d["region"].pk}], [{"desk": d["nccem"].pk}]]
    assert notice.ack_timeout_s == [30, 30, 30, 30]


def test_send_page_unknown_facility_is_a_form_error(net):
    response = client_of(net["people"]["sender"]).post("/notices/send/", {
        "facility": "NOPE", "kind": "other", "priority": "urgent", "title": "x"})
    assert response.status_code == 422
    assert "No active facility with this code." in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_roster_flags_unstaffed_desks(net, at_t0, lang):
    from jedel.notifications.models import Desk

    Desk.objects.create(kind="security", facility=net["hospital"])
    page = client_of(net["people"]["sender"], lang).get("/notices/rosters/")
    assert page.status_code == 200
    assert page.content.decode().count('class="unstaffed"') == 1


@pytest.mark.parametrize("path", ["/notices/sent/", "/notices/stats/", "/notices/stats/?days=30&exercise=1"])
def test_log_pages_render(net, at_t0, path):
    sent(net)
    assert client_of(net["people"]["sender"]).get(path).status_code == 200


def test_log_pages_refused_to_a_clinician(net):
    assert client_of(net["people"]["ed_nurse"]).get("/notices/sent/").status_code == 403

"""Family reunification (issue 8, item 6): search across incidents by name (any case, ё/е, Cyrillic or Latin),
tag, age band, sex and description; whereabouts only for those entitled; every search audited (the query and who,
never the results); exercises never mixed into real searches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from jedel.accounts.models import AuditEvent
from jedel.common.errors import DomainError, PermissionDenied
from jedel.incidents.search_keys import query_words, search_key
from jedel.incidents.services.casualties import casualty_move, casualty_register
from jedel.incidents.services.reunification import SearchQuery, casualty_search
from tests.incidents.conftest import T0, declare


@pytest.mark.parametrize("text, key", [
    ("Юлия Ёлкина", "iuliia elkina"),
    ("YULIYA  ELKINA", "iuliia elkina"),
    ("Iuliia Elkina", "iuliia elkina"),
    ("Алёна", "alena"),
    ("АЛЕНА", "alena"),
    ("Хасанов", "hasanov"),
    ("Khasanov", "hasanov"),
    ("Дмитрий", "dmitrii"),
    ("Dmitriy", "dmitrii"),
    ("Қайрат Әбенов", "kairat abenov"),
    ("Жанна-Мария", "zhanna mariia"),
    ("Müller", "muller"),
    ("Красная куртка, шрам", "krasnaia kurtka shram"),
    ("", ""),
])
def test_search_keys_fold_case_yo_and_alphabet(text, key):
    assert search_key(text) == key


def test_query_words_are_keyed_and_deduplicated():
    assert query_words("Ёлкина ЕЛКИНА alena") == ["elkina", "alena"]


@pytest.fixture
def people(world):
    """Real incident in Almaty (KZ-75), one in Astana (KZ-71), and an Almaty exercise."""
    nc = world["p"]["nc"]
    almaty = declare(world, title="Bus crash", now=T0)
    astana = declare(world, regions=("KZ-71",), title="Fire in Astana", now=T0 + timedelta(minutes=1))
    drill = declare(world, exercise=True, title="Drill", now=T0 + timedelta(minutes=2))

    def reg(incident, tag, minutes, **fields):
        return casualty_register(actor=nc, incident_id=incident.pk, tag=tag, now=T0 + timedelta(minutes=minutes),
                                 **fields)[0]

    reg(almaty, "A-1", 10, name="Алёна Ёлкина", age_band="adult", sex="female", description="Красная куртка")
    casualty_move(actor=nc, incident_id=almaty.pk, tag="A-1", status="in_transport", version=1,
                  destination_code="INC-H2", vehicle="103-17", now=T0 + timedelta(minutes=30))
    reg(almaty, "A-2", 11, name="Ivanov Sergey", age_band="adult", sex="male")
    reg(almaty, "A-3", 12, age_band="child", sex="female", description="Pink jacket, about six")
    reg(astana, "B-1", 13, name="Елкина Ольга", age_band="older", sex="female")
    reg(drill, "E-1", 14, name="Алена Елкина", age_band="adult", sex="female")
    return {"almaty": almaty, "astana": astana, "drill": drill}


def found(world, who, **query):
    return [(h.casualty.tag, h.located) for h in casualty_search(viewer=world["p"][who], query=SearchQuery(**query))]


def test_a_name_is_found_in_any_spelling_and_exercises_stay_apart(world, people):
    for spelling in ("Алёна Ёлкина", "алена елкина", "ALENA ELKINA", "Elkina Alena", "алён"):
        assert found(world, "nc", name=spelling) == [("A-1", True)], spelling
    # Newest registration first; the exercise's Алена Елкина is not among real casualties...
    assert found(world, "nc", name="ЕЛКИНА") == [("B-1", True), ("A-1", True)]
    # ...and only exercises are searched when asked.
    assert found(world, "nc", name="Ёлкина", exercise=True) == [("E-1", True)]


def test_tag_description_age_band_and_sex(world, people):
    assert found(world, "nc", tag=" a-2 ") == [("A-2", True)]
    assert found(world, "nc", description="куртка") == [("A-1", True)]
    assert found(world, "nc", description="kurtka krasnaia") == [("A-1", True)]
    assert found(world, "nc", description="pink") == [("A-3", True)]
    assert found(world, "nc", age_band="child", sex="female") == [("A-3", True)]
    assert found(world, "nc", sex="female", age_band="older") == [("B-1", True)]
    assert found(world, "nc", name="Petrov") == []


# Who sees where each found casualty is: A-1 (Almaty incident, sent to INC-H2 in Astana), B-1 (Astana incident,
# at the scene). Written out from permissions.py's rules, not computed.
WHEREABOUTS = {
    "nc": [("B-1", True), ("A-1", True)],
    "rc75": [("B-1", False), ("A-1", True)],
    "rc71": [("B-1", True), ("A-1", True)],  # A-1 is on its way to a hospital of Astana
    "manager_h2": [("B-1", False), ("A-1", True)],  # A-1 is on its way to the manager's hospital
}


@pytest.mark.parametrize("who", sorted(WHEREABOUTS))
def test_whereabouts_only_for_the_entitled(world, people, who):
    assert found(world, who, name="елкина") == WHEREABOUTS[who]


@pytest.mark.parametrize("who", ["medic_h1", "viewer"])
def test_clinicians_and_viewers_may_not_search(world, people, who):
    with pytest.raises(PermissionDenied):
        found(world, who, name="елкина")
    denied = AuditEvent.objects.get(action="search_casualties", actor_label=f"inc-{who.replace('_', '-')}")
    assert denied.outcome == "denied"


def test_every_search_is_audited_with_the_query_not_the_results(world, people):
    before = AuditEvent.objects.filter(action="search_casualties").count()
    found(world, "rc75", name="Ёлкина", sex="female")
    found(world, "rc75", tag="B-1", exercise=True)
    events = list(AuditEvent.objects.filter(action="search_casualties").order_by("pk"))[before:]
    assert [(e.actor_label, e.outcome, e.object_type, e.region_id, e.changes) for e in events] == [
        ("inc-rc75", "ok", "casualty_search", world["almaty"].pk,
         {"query": {"name": "Ёлкина", "sex": "female", "exercise": False}}),
        ("inc-rc75", "ok", "casualty_search", world["almaty"].pk, {"query": {"tag": "B-1", "exercise": True}}),
    ]


def test_a_search_needs_a_criterion(world, people):
    with pytest.raises(DomainError) as refused:
        found(world, "nc", name="  ", exercise=True)
    assert refused.value.code.value == "search_needs_criteria"
    assert not AuditEvent.objects.filter(action="search_casualties").exists()


def client_of(world, who, lang="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(world["users"][who])
    return client


def test_the_api_answers_with_whereabouts_or_null(world, people):
    rows = client_of(world, "rc71").get("/api/casualties/search", {"name": "elkina"}).json()
    assert [(r["tag"], r["incident_title"], r["incident_region"], r["is_exercise"], r["name"], r["age_band"],
             r["sex"]) for r in rows] == [
        ("B-1", "Fire in Astana", "KZ-71", False, "Елкина Ольга", "older", "female"),
        ("A-1", "Bus crash", "KZ-75", False, "Алёна Ёлкина", "adult", "female")]
    assert rows[0]["location"] == {"status": "at_scene", "destination": None, "destination_name": None,
                                   "vehicle": "", "eta": None, "since": "2026-12-02T21:13:00Z"}
    assert [r["location"] is None for r in
            client_of(world, "rc75").get("/api/casualties/search", {"name": "elkina"}).json()] == [True, False]
    mine = client_of(world, "manager_h2").get("/api/casualties/search", {"tag": "A-1"}).json()
    assert mine[0]["location"] | {"destination_name": "-"} == {
        "status": "in_transport", "destination": "INC-H2", "destination_name": "-", "vehicle": "103-17", "eta": None,
        "since": "2026-12-02T21:30:00Z"}


@pytest.mark.parametrize("query, code", [({}, "search_needs_criteria"), ({"sex": "other"}, "invalid"),
                                         ({"tag": "a b"}, "invalid")])
def test_the_api_refuses_bad_searches_with_422(world, people, query, code):
    response = client_of(world, "nc").get("/api/casualties/search", query)
    assert response.status_code == 422 and response.json()["detail"][0]["code"] == code


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_page_searches_and_withholds_whereabouts(world, people, lang):
    client = client_of(world, "rc75", lang)
    page = client.get("/incidents/find/")
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.content.decode()
    assert not AuditEvent.objects.filter(action="search_casualties").exists()  # no criteria sent: no search
    html = client.get("/incidents/find/", {"name": "елкина"}).content.decode()
    assert html.count('class="panel found"') == 2
    assert html.index('data-tag="B-1"') < html.index('data-tag="A-1"')
    assert html.count("whereabouts withheld") == 1  # B-1: an Astana incident
    assert "103-17" in html  # A-1's vehicle, shown to the Almaty coordinator
    assert AuditEvent.objects.filter(action="search_casualties").count() == 1


def test_the_page_is_refused_to_a_clinician(world, people):
    assert client_of(world, "medic_h1").get("/incidents/find/", {"name": "x"}).status_code == 403

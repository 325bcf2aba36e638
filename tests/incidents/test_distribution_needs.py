"""A casualty's needs constrain the plan (a hospital without the capability is never proposed), and a collection
point is the plan's and the ETA's origin for the casualties waiting there.

Expected destinations are worked out here from the three test hospitals (distribution_helpers.HOSPITALS): only
MCI-FAR has a burns unit; a collection point beside MCI-FAR makes MCI-FAR the nearest for casualties there. Travel
minutes come from the core's road model (the model the plan uses), called here for the exact origin.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from jedel.common.errors import DomainError
from jedel.core.travel import RoadClass, travel_time_matrix_min
from jedel.facilities.models import Facility
from jedel.incidents.models import Casualty, TimelineEntry
from jedel.incidents.services.casualties import casualty_register, casualty_triage
from jedel.incidents.services.distribution import assignment_accept, plan_current
from jedel.incidents.services.incoming import collection_point_add
from tests.incidents.conftest import declare, start
from tests.incidents.distribution_helpers import FINDINGS, HOSPITALS, SCENE, network  # noqa: F401

POINT = (43.449, 77.099)  # a collection point beside MCI-FAR (43.45, 77.10)


def _road_minutes(origin, code):
    lat, lon = HOSPITALS[code][:2]
    return float(travel_time_matrix_min([origin[0]], [origin[1]], [lat], [lon], road_class=RoadClass.RURAL)[0][0])


def _register(network, incident, tag, category, **extra):
    casualty, created = casualty_register(actor=network["p"]["nc"], incident_id=incident.pk, tag=tag,
                                          triage=start(FINDINGS[category]), **extra)
    assert created
    return casualty


@pytest.fixture
def burns_far(network):
    Facility.objects.filter(code="MCI-FAR").update(has_burns=True)
    return network


def test_a_need_sends_the_casualty_only_where_it_is_met(burns_far):
    network = burns_far
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    _register(network, incident, "B1", "immediate", needs=["burns"])
    _register(network, incident, "R1", "immediate")
    _register(network, incident, "N1", "delayed", needs=["neurosurgery"])  # no hospital has neurosurgery
    proposals = {p["tag"]: p for p in plan_current(viewer=network["p"]["nc"], incident_id=incident.pk).proposals}
    # Without the need B1 and R1 would share NEAR's and MID's single immediate places; the burns unit is FAR's.
    assert (proposals["B1"]["hospital"], proposals["R1"]["hospital"]) == ("MCI-FAR", "MCI-NEAR")
    assert proposals["B1"]["travel_time_min"] == pytest.approx(_road_minutes(SCENE, "MCI-FAR"))
    assert (proposals["N1"]["hospital"], proposals["N1"]["reason_code"]) == (None, "needs_unmet")


def test_overriding_to_a_hospital_without_the_need_takes_a_reason_and_is_recorded(burns_far):
    network = burns_far
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    casualty = _register(network, incident, "B1", "immediate", needs=["burns"])
    plan = plan_current(viewer=network["p"]["nc"], incident_id=incident.pk)
    with pytest.raises(DomainError) as refused:
        assignment_accept(actor=network["p"]["nc"], incident_id=incident.pk, tag="B1", hospital="MCI-NEAR",
                          version=casualty.version, plan_id=plan.pk)
    assert refused.value.code.value == "override_reason_required"
    assignment_accept(actor=network["p"]["nc"], incident_id=incident.pk, tag="B1", hospital="MCI-NEAR",
                      version=casualty.version, plan_id=plan.pk, reason="FAR's road is cut")
    entry = TimelineEntry.objects.get(incident=incident, kind="casualty_assigned")
    assert (entry.data["proposed"], entry.data["hospital"], entry.data["lacking"]) == ("MCI-FAR", "MCI-NEAR", ["burns"])


def test_a_collection_point_is_the_origin_of_the_plan_and_of_the_eta(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    point = collection_point_add(actor=network["p"]["nc"], incident_id=incident.pk, name="CCP East", lat=POINT[0],
                                 lon=POINT[1])
    _register(network, incident, "G1", "minimal")  # at the scene: NEAR is nearest and has minimal places
    at_point = _register(network, incident, "G2", "minimal", collection_point=point.pk)
    proposals = {p["tag"]: p for p in plan_current(viewer=network["p"]["nc"], incident_id=incident.pk).proposals}
    assert (proposals["G1"]["hospital"], proposals["G2"]["hospital"]) == ("MCI-NEAR", "MCI-FAR")
    assert proposals["G2"]["travel_time_min"] == pytest.approx(_road_minutes(POINT, "MCI-FAR"))
    plan = plan_current(viewer=network["p"]["nc"], incident_id=incident.pk)
    assignment = assignment_accept(actor=network["p"]["nc"], incident_id=incident.pk, tag="G2", hospital="MCI-FAR",
                                   version=at_point.version, plan_id=plan.pk)
    assert assignment.travel_time_min == pytest.approx(_road_minutes(POINT, "MCI-FAR"))
    stored = Casualty.objects.get(pk=at_point.pk)
    assert stored.eta - assignment.accepted_at == timedelta(minutes=assignment.travel_time_min)


def test_retriage_records_needs_and_the_point_and_bad_values_change_nothing(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    other = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1], title="Another incident")
    point = collection_point_add(actor=network["p"]["nc"], incident_id=incident.pk, name="CCP", lat=43.3, lon=76.9)
    foreign = collection_point_add(actor=network["p"]["nc"], incident_id=other.pk, name="Elsewhere", lat=43, lon=77)
    casualty = _register(network, incident, "T1", "delayed", needs=["ct", "burns", "ct"])
    assert casualty.needs == ["burns", "ct"]  # known names, once each, sorted
    triaged, _ = casualty_triage(actor=network["p"]["nc"], incident_id=incident.pk, tag="T1",
                                 outcome=start(FINDINGS["immediate"]), version=casualty.version,
                                 needs=["neurosurgery"], collection_point=point.pk)
    assert (triaged.needs, triaged.collection_point_id, triaged.version) == (["neurosurgery"], point.pk, 2)
    kept, _ = casualty_triage(actor=network["p"]["nc"], incident_id=incident.pk, tag="T1",
                              outcome=start(FINDINGS["immediate"]), version=2)
    assert (kept.needs, kept.collection_point_id) == (["neurosurgery"], point.pk)
    for bad, code in (({"needs": ["teleportation"]}, "unknown_need"),
                      ({"collection_point": foreign.pk}, "collection_point_not_found")):
        with pytest.raises(DomainError) as refused:
            casualty_triage(actor=network["p"]["nc"], incident_id=incident.pk, tag="T1",
                            outcome=start(FINDINGS["delayed"]), version=3, **bad)
        assert refused.value.code.value == code
    assert Casualty.objects.get(pk=casualty.pk).version == 3


def test_the_api_takes_needs_and_points_and_refuses_unknown_ones(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    point = collection_point_add(actor=network["p"]["nc"], incident_id=incident.pk, name="CCP", lat=43.3, lon=76.9)
    client = Client()
    client.force_login(network["users"]["nc"])
    url = f"/api/incidents/{incident.pk}/casualties"
    made = client.post(url, {"tag": "A1", "needs": ["burns"], "collection_point": point.pk},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    assert (made.json()["needs"], made.json()["collection_point"]) == (["burns"], point.pk)
    unknown = client.post(url, {"tag": "A2", "needs": ["magic"]}, content_type="application/json")
    assert unknown.status_code == 422
    missing = client.post(url, {"tag": "A3", "collection_point": 999_999}, content_type="application/json")
    assert (missing.status_code, missing.json()["detail"][0]["code"]) == (404, "collection_point_not_found")
    assert not Casualty.objects.filter(tag__in=["A2", "A3"]).exists()


def test_the_needs_the_api_names_are_the_engines_needs():
    from typing import get_args

    from jedel.core.vocabulary import Need
    from jedel.incidents.schemas import NeedName

    assert set(get_args(NeedName)) == {n.value for n in Need}


def test_the_register_form_asks_for_needs_and_the_point_and_keeps_the_point_for_the_next(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    point = collection_point_add(actor=network["p"]["nc"], incident_id=incident.pk, name="CCP North", lat=43.3,
                                 lon=76.9)
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(network["users"]["nc"])
    url = f"/incidents/{incident.pk}/casualties/new/"
    page = client.get(url).content.decode()
    assert 'name="needs" value="burns"' in page and "Ожоговое отделение" in page
    assert f'<option value="{point.pk}">CCP North</option>' in page
    sent = client.post(url, {"tag": "F1", "age_band": "adult", "sex": "unknown", "method": "start",
                             "needs": ["burns", "ct"], "collection_point": str(point.pk), "can_walk": "yes"})
    assert sent.status_code == 200
    stored = Casualty.objects.get(incident=incident, tag="F1")
    assert (stored.needs, stored.collection_point_id, stored.category) == (["burns", "ct"], point.pk, "minimal")
    assert f'<option value="{point.pk}" selected>CCP North</option>' in sent.content.decode()
    shown = client.get(f"/incidents/{incident.pk}/casualties/F1/").content.decode()
    assert "CCP North" in shown and "Ожоговое отделение" in shown

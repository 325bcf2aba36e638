"""The CAP 1.2 alert of an incident validates against the official OASIS schema, at every stage."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from lxml import etree

import jedel.incidents
from jedel.incidents.cap import incident_cap
from jedel.incidents.services.incidents import incident_close, incident_stand_down
from tests.incidents.conftest import T0, declare

SHIPPED = Path(jedel.incidents.__file__).parent / "schemas" / "cap-1.2" / "CAP-v1.2.xsd"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "cap-1.2"
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SHIPPED)))


def valid(schema, xml: bytes):
    doc = etree.fromstring(xml)
    schema.assertValid(doc)
    return doc


def test_the_shipped_schema_is_the_official_one_and_accepts_the_specification_examples(schema):
    if not SHARED.exists():
        pytest.skip("the shared schema collection is not next to this checkout")
    assert SHIPPED.read_bytes() == (SHARED / "CAP-v1.2.xsd").read_bytes()
    for example in sorted((SHARED / "examples").glob("*.xml")):
        schema.assertValid(etree.parse(str(example)))


def test_a_declared_incident_is_a_valid_actual_alert_in_three_languages(world, schema):
    incident = declare(world, regions=("KZ-75", "KZ-71"), description="Two buses, one overturned.")
    doc = valid(schema, incident_cap(incident, now=T0 + timedelta(minutes=3)))
    text = lambda path: doc.findtext(path, namespaces=NS)  # noqa: E731
    assert (text("cap:status"), text("cap:msgType"), text("cap:scope")) == ("Actual", "Alert", "Restricted")
    assert text("cap:sent") == "2026-12-03T02:03:00+05:00"
    assert text("cap:identifier") == f"jedel-incident-{incident.pk}-v1"
    infos = doc.findall("cap:info", NS)
    assert [i.findtext("cap:language", namespaces=NS) for i in infos] == ["en", "ru", "kk"]
    en = infos[0]
    assert [c.text for c in en.findall("cap:category", NS)] == ["Transport", "Health"]
    assert (en.findtext("cap:event", namespaces=NS), en.findtext("cap:severity", namespaces=NS)) == (
        "Transport accident", "Severe")
    assert en.findtext("cap:area/cap:circle", namespaces=NS) == "43.20000,76.80000 10"
    assert [v.text for v in en.findall("cap:area/cap:geocode/cap:value", NS)] == ["KZ-71", "KZ-75"]
    assert en.findtext("cap:parameter/cap:value", namespaces=NS) == "25"


def test_an_exercise_is_never_sent_as_actual(world, schema):
    incident = declare(world, exercise=True)
    doc = valid(schema, incident_cap(incident, now=T0))
    assert doc.findtext("cap:status", namespaces=NS) == "Exercise"
    assert doc.findtext("cap:info/cap:headline", namespaces=NS).startswith("EXERCISE — ")


def test_stand_down_updates_and_close_cancels_with_a_reference_to_the_first_alert(world, schema):
    incident = declare(world)
    nc = world["p"]["nc"]
    incident = incident_stand_down(actor=nc, incident_id=incident.pk, version=1)
    doc = valid(schema, incident_cap(incident, now=T0 + timedelta(hours=2)))
    assert doc.findtext("cap:msgType", namespaces=NS) == "Update"
    assert doc.findtext("cap:references", namespaces=NS) == (
        f"nccem.jedel.kz,jedel-incident-{incident.pk}-v1,2026-12-03T02:00:00+05:00")
    incident = incident_close(actor=nc, incident_id=incident.pk, version=2)
    doc = valid(schema, incident_cap(incident, now=T0 + timedelta(hours=3)))
    assert doc.findtext("cap:msgType", namespaces=NS) == "Cancel"


def test_the_api_downloads_the_alert_as_xml(world, schema):
    incident = declare(world)
    client = Client()
    client.force_login(world["users"]["viewer"])
    response = client.get(f"/api/incidents/{incident.pk}/cap.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    valid(schema, response.content)

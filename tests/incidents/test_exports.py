"""Tracking exports: a FHIR R4 Bundle (valid per fhir.resources R4B; Patient + Encounter with the location history
as stays, status and disposition from the state machine, the category as priority) and the tracking CSV (exact
rows, formulas escaped); who may export; exercises never mixed with real incidents; `jedel incidents export`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import typer
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from typer.testing import CliRunner

from jedel.accounts.models import AuditEvent
from jedel.common.errors import DomainError, PermissionDenied
from jedel.incidents.services.casualties import casualty_move, casualty_register
from jedel.incidents.services.exports import tracking_export
from tests.incidents.conftest import RED, T0, declare, start

BASE = "http://127.0.0.1:8000/fhir"


def at(minutes):
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def tracked(world, settings):
    """Incident 1 (real): T-1 red, to INC-H1 then re-routed to INC-H2 in 103-17, admitted there; T-2 released at
    the scene; T-3 untriaged at the scene with a formula-looking description. Exercise 2: one casualty."""
    settings.JEDEL_FHIR_BASE = BASE
    nc = world["p"]["nc"]
    incident = declare(world, now=T0)
    i = incident.pk
    casualty_register(actor=nc, incident_id=i, tag="T-1", name="Алёна Ким", age_band="adult", sex="female",
                      description="Red coat", triage=start(RED), lat=43.2, lon=76.8, now=at(1))
    for version, (minutes, status, extra) in enumerate([
            (5, "awaiting_transport", {}),
            (10, "in_transport", {"destination_code": "INC-H1", "vehicle": "103-17", "eta": at(40)}),
            (15, "in_transport", {"destination_code": "INC-H2"}),
            (40, "arrived", {}), (60, "admitted", {"note": "ward 3"})], start=1):
        casualty_move(actor=nc, incident_id=i, tag="T-1", status=status, version=version, now=at(minutes), **extra)
    casualty_register(actor=nc, incident_id=i, tag="T-2", age_band="older", sex="male",
                      triage=start({"can_walk": True}), now=at(2))
    casualty_move(actor=nc, incident_id=i, tag="T-2", status="treated_released", version=1, now=at(20))
    casualty_register(actor=nc, incident_id=i, tag="T-3", description="=HYPERLINK(\"x\")", now=at(3))
    drill = declare(world, exercise=True, title="Drill", now=T0)
    casualty_register(actor=nc, incident_id=drill.pk, tag="D-1", now=at(4))
    return {"incident": incident, "drill": drill}


def bundle_of(world, incident_ids, **kw):
    export = tracking_export(actor=world["p"]["nc"], fmt="fhir", incident_ids=incident_ids, **kw)
    return json.loads(export.content)


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_fhir_bundle_is_valid_r4_with_the_tracking_mapped(world, tracked):
    i = tracked["incident"].pk
    bundle = bundle_of(world, [i])
    Bundle.model_validate(bundle)  # raises on anything R4 does not allow
    assert (bundle["type"], "meta" in bundle, len(bundle["entry"])) == ("collection", False, 3 * 2 + 2)
    patients, encounters = resources(bundle, "Patient"), resources(bundle, "Encounter")
    tag_system = f"{BASE}/sid/triage-tag/{i}"
    assert [(p["identifier"], p.get("name"), p["gender"]) for p in patients] == [
        ([{"system": tag_system, "value": "T-1"}], [{"text": "Алёна Ким"}], "female"),
        ([{"system": tag_system, "value": "T-2"}], None, "male"),
        ([{"system": tag_system, "value": "T-3"}], None, "unknown")]
    assert patients[0]["extension"] == [
        {"url": f"{BASE}/StructureDefinition/age-band",
         "valueCoding": {"system": f"{BASE}/CodeSystem/age-band", "code": "adult", "display": "18–64 years"}},
        {"url": f"{BASE}/StructureDefinition/casualty-description", "valueString": "Red coat"}]
    red, released, untriaged = encounters
    assert red["subject"] == {"reference": bundle["entry"][0]["fullUrl"]}
    assert (red["status"], red["class"]["code"], red["period"]) == (
        "finished", "EMER", {"start": "2026-12-02T21:01:00Z", "end": "2026-12-02T22:00:00Z"})
    assert red["priority"] == {"coding": [
        {"system": f"{BASE}/CodeSystem/triage-category", "code": "immediate", "display": "Immediate (red)"},
        {"system": "http://terminology.hl7.org/CodeSystem/v3-ActPriority", "code": "EM", "display": "emergency"}]}
    assert red["hospitalization"] == {
        "destination": {"reference": f"{BASE}/Location/INC-H2",
                        "identifier": {"system": f"{BASE}/sid/facility-code", "value": "INC-H2"},
                        "display": "Hospital INC-H2"},
        "dischargeDisposition": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/discharge-disposition",
                                             "code": "other-hcf", "display": "Other healthcare facility"}]}}
    # Scene (registered, awaiting) → vehicle 103-17 (the re-route stays in it) → INC-H2 from arrival to admission.
    assert [(s["location"]["display"], s["status"], s["period"]) for s in red["location"]] == [
        ("Scene: Bus crash on the Almaty–Bishkek road", "completed",
         {"start": "2026-12-02T21:01:00Z", "end": "2026-12-02T21:10:00Z"}),
        ("103-17", "completed", {"start": "2026-12-02T21:10:00Z", "end": "2026-12-02T21:40:00Z"}),
        ("Hospital INC-H2", "completed", {"start": "2026-12-02T21:40:00Z", "end": "2026-12-02T22:00:00Z"})]
    assert (released["status"], released["priority"]["coding"][1]["code"],
            released["hospitalization"]["dischargeDisposition"]["coding"][0]["code"],
            [(s["status"], s["period"]) for s in released["location"]]) == (
        "finished", "R", "home",
        [("completed", {"start": "2026-12-02T21:02:00Z", "end": "2026-12-02T21:20:00Z"})])
    assert (untriaged["status"], "priority" in untriaged, "hospitalization" in untriaged,
            [(s["status"], s["period"]) for s in untriaged["location"]]) == (
        "in-progress", False, False, [("active", {"start": "2026-12-02T21:03:00Z"})])
    scene, vehicle = resources(bundle, "Location")
    assert (scene["physicalType"]["coding"][0]["code"], scene["position"]) == ("area", {"longitude": 76.8,
                                                                                        "latitude": 43.2})
    assert (vehicle["name"], vehicle["physicalType"]["coding"][0]["code"]) == ("103-17", "ve")
    assert bundle_of(world, [i]) == bundle  # reproducible


def test_an_exercise_bundle_is_marked_test_data_throughout(world, tracked):
    bundle = bundle_of(world, [tracked["drill"].pk])
    Bundle.model_validate(bundle)
    htest = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST",
             "display": "test health data"}
    assert bundle["meta"] == {"tag": [htest]}
    assert [e["resource"]["meta"] for e in bundle["entry"]] == [{"tag": [htest]}] * 3  # Patient, Encounter, scene


def test_the_csv_has_one_exact_row_per_tracking_entry(world, tracked):
    i = tracked["incident"].pk
    text = tracking_export(actor=world["p"]["nc"], fmt="csv", incident_ids=[i]).content.decode()
    fixed1 = f"{i},false,T-1,Алёна Ким,adult,female,Red coat,immediate"
    fixed2 = f"{i},false,T-2,,older,male,,minimal"
    fixed3 = f"{i},false,T-3,,unknown,unknown,\"'=HYPERLINK(\"\"x\"\")\","
    assert text.splitlines() == [
        "incident,exercise,tag,name,age_band,sex,description,category,at,status,destination,vehicle,eta,lat,lon,"
        "note,recorded_by",
        f"{fixed1},2026-12-02T21:01:00Z,at_scene,,,,43.2,76.8,,inc-nc",
        f"{fixed1},2026-12-02T21:05:00Z,awaiting_transport,,,,,,,inc-nc",
        f"{fixed1},2026-12-02T21:10:00Z,in_transport,INC-H1,103-17,2026-12-02T21:40:00Z,,,,inc-nc",
        f"{fixed1},2026-12-02T21:15:00Z,in_transport,INC-H2,103-17,2026-12-02T21:40:00Z,,,,inc-nc",
        f"{fixed1},2026-12-02T21:40:00Z,arrived,INC-H2,103-17,2026-12-02T21:40:00Z,,,,inc-nc",
        f"{fixed1},2026-12-02T22:00:00Z,admitted,INC-H2,103-17,2026-12-02T21:40:00Z,,,ward 3,inc-nc",
        f"{fixed2},2026-12-02T21:02:00Z,at_scene,,,,,,,inc-nc",
        f"{fixed2},2026-12-02T21:20:00Z,treated_released,,,,,,,inc-nc",
        f"{fixed3},2026-12-02T21:03:00Z,at_scene,,,,,,,inc-nc",
    ]


def test_exports_never_mix_exercises_and_are_for_coordinators_over_the_incident(world, tracked):
    i, d = tracked["incident"].pk, tracked["drill"].pk
    with pytest.raises(DomainError) as mixed:
        tracking_export(actor=world["p"]["nc"], fmt="csv", incident_ids=[i, d])
    assert (mixed.value.code.value, mixed.value.field) == ("export_exercise_mixed", "incident.1")
    everything = tracking_export(actor=world["p"]["nc"], fmt="csv")  # all real incidents: not the drill
    assert (everything.incidents, everything.casualties, everything.filename) == (1, 3, "incidents-tracking.csv")
    drills = tracking_export(actor=world["p"]["nc"], fmt="csv", exercise=True)
    assert [line.split(",")[2] for line in drills.content.decode().splitlines()[1:]] == ["D-1"]
    assert tracking_export(actor=world["p"]["rc75"], fmt="csv", incident_ids=[i]).casualties == 3
    for who in ("rc71", "medic_h1", "manager_h2", "viewer"):
        with pytest.raises(PermissionDenied):
            tracking_export(actor=world["p"][who], fmt="fhir", incident_ids=[i])
    with pytest.raises(PermissionDenied):  # several incidents at once: national scope only
        tracking_export(actor=world["p"]["rc75"], fmt="csv")
    audited = AuditEvent.objects.filter(action="export_casualties", outcome="ok").order_by("pk").first()
    assert audited.changes == {"format": "csv", "exercise": False, "incidents": [i], "casualties": 3}


def test_the_api_exports_an_incident(world, tracked):
    client = Client()
    client.force_login(world["users"]["rc75"])
    i = tracked["incident"].pk
    fhir = client.get(f"/api/incidents/{i}/export.fhir.json")
    assert (fhir.status_code, fhir["Content-Type"], fhir["Content-Disposition"]) == (
        200, "application/fhir+json", f'attachment; filename="incident-{i}-tracking.fhir.json"')
    assert len(resources(json.loads(fhir.content), "Encounter")) == 3
    csv = client.get(f"/api/incidents/{i}/export.csv")
    assert csv.status_code == 200 and csv.content.decode().count("\n") == 10
    assert client.get("/api/incidents/999999/export.csv").status_code == 404


def test_the_cli_exports_real_incidents_or_exercises(world, tracked, tmp_path):
    from jedel.cli import incidents

    app = typer.Typer()
    incidents.register(app)
    runner = CliRunner()
    out = tmp_path / "all.json"
    result = runner.invoke(app, ["incidents", "export", "--format", "fhir", "-o", str(out)])
    assert result.exit_code == 0, result.output
    Bundle.model_validate(json.loads(out.read_text()))
    assert len(resources(json.loads(out.read_text()), "Patient")) == 3
    drills = runner.invoke(app, ["incidents", "export", "--format", "csv", "--exercise"])
    assert drills.exit_code == 0 and drills.stdout.splitlines()[1].split(",")[:3] == [
        str(tracked["drill"].pk), "true", "D-1"]
    refused = runner.invoke(app, ["incidents", "export", "--format", "csv", "-i", str(tracked["drill"].pk)])
    assert refused.exit_code == 2
    assert f"--incident {tracked['drill'].pk}: Exercises are exported apart" in refused.stderr

"""The violence registry: who sees personal data (an explicit matrix), evidence integrity and its access log."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jedel.common.errors import Conflict, DomainError, PermissionDenied
from jedel.security.models_registry import Evidence, EvidenceAccess
from jedel.security.selectors_registry import incident_get, incident_list
from jedel.security.services.registry import (
    IncidentInput, PerpetratorInput, VictimInput, evidence_add, evidence_open, evidence_path, incident_record,
    incident_update,
)
from tests.security.conftest import p

pytestmark = pytest.mark.django_db
T = datetime(2026, 11, 20, 23, 40, tzinfo=UTC)
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
VIDEO_SHA = hashlib.sha256(VIDEO).hexdigest()

# Who reads an incident at hospital A (Almaty), and whether with names. Written out, not computed by the policy.
PERSONAL_MATRIX = {
    "officer_a": "names",          # the facility's security officer
    "manager_a": "names",          # its manager
    "lead": "names",               # the regional security lead (security officer, Almaty region scope)
    "coord": "anonymous",          # regional coordinator: the incident, without names
    "national": "anonymous",       # national coordinator
    "national_officer": "anonymous",  # a security officer at national scope: aggregates only
    "viewer": "anonymous",         # the Ministry's viewer
    "officer_c": "refused",        # another region's facility
    "manager_b": "refused",        # another facility of the same region
    "nurse_a": "refused",          # clinicians have no part in the registry
}


@pytest.fixture(autouse=True)
def _evidence_dir(settings, tmp_path):
    settings.JEDEL_EVIDENCE_DIR = str(tmp_path / "evidence")


@pytest.fixture
def incident(site):
    return incident_record(actor=p(site["people"]["officer_a"]), facility_id=site["A"].pk, now=T, data=IncidentInput(
        occurred_at=T, department="Emergency department", location="Triage", kind="physical", severity="severe",
        summary="A relative struck a nurse at triage.", police_notified=True, police_case_number="KUI-2026-0451",
        criminal_case="opened", victims=(VictimInput("Aigerim S.", "nurse", "head injury", 12),),
        perpetrators=(PerpetratorInput("relative", "Marat K.", detained=True),), tasks=("Counselling for the nurse",)))


def _seen(view) -> str:
    names = [v.name for v in view.victims] + [x.name for x in view.perpetrators]
    return "names" if names == ["Aigerim S.", "Marat K."] else ("anonymous" if names == ["", ""] else f"?{names}")


@pytest.mark.parametrize("who", list(PERSONAL_MATRIX))
def test_personal_data_matrix(site, incident, who):
    viewer = p(site["people"][who])
    try:
        view = incident_get(viewer, incident.pk)
    except PermissionDenied:
        got = "refused"
    else:
        got = _seen(view)
        assert view.personal == (got == "names")
        assert (view.victims[0].staff_role, view.victims[0].sick_leave_days, view.perpetrators[0].detained) == \
            ("nurse", 12, True)  # the facts stay for everyone who may read the incident
    assert got == PERSONAL_MATRIX[who]


def test_the_api_hides_names_from_the_coordinator(site, incident):
    client = Client()
    client.force_login(site["people"]["coord"])
    body = client.get(f"/api/security/incidents/{incident.pk}").json()
    assert (body["personal"], body["victims"][0]["name"], body["perpetrators"][0]["name"]) == (False, None, None)
    client.force_login(site["people"]["lead"])
    body = client.get(f"/api/security/incidents/{incident.pk}").json()
    assert (body["personal"], body["victims"][0]["name"]) == (True, "Aigerim S.")


def test_listing_follows_scope(site, incident):
    assert [i.pk for i in incident_list(p(site["people"]["lead"]))] == [incident.pk]
    assert incident_list(p(site["people"]["officer_c"])) == []
    with pytest.raises(PermissionDenied):
        incident_list(p(site["people"]["nurse_a"]))


def _add(site, incident, data=VIDEO, sha=VIDEO_SHA, who="officer_a"):
    return evidence_add(actor=p(site["people"][who]), incident_id=incident.pk, kind="body_camera",
                        filename="../../cam-07.mp4", content_type="video/mp4", chunks=[data[:1000], data[1000:]],
                        declared_sha256=sha, now=T)


def test_evidence_is_stored_with_hash_size_and_uploader(site, incident):
    evidence = _add(site, incident, sha=VIDEO_SHA.upper())
    assert (evidence.sha256, evidence.size_bytes, evidence.uploaded_by_label, evidence.original_name) == \
        (VIDEO_SHA, 10252, "officer_a", "cam-07.mp4")
    assert evidence_path(VIDEO_SHA).read_bytes() == VIDEO


def test_a_wrong_declared_hash_is_refused_and_nothing_is_kept(site, incident):
    with pytest.raises(DomainError) as exc:
        _add(site, incident, sha=hashlib.sha256(b"something else").hexdigest())
    assert exc.value.code.value == "hash_mismatch" and VIDEO_SHA in exc.value.detail
    assert Evidence.objects.count() == 0
    assert [f for f in evidence_path(VIDEO_SHA).parent.parent.rglob("*") if f.is_file()] == []
    for sha, code in (("abc", "bad_hash"), ("g" * 64, "bad_hash")):
        with pytest.raises(DomainError) as exc:
            _add(site, incident, sha=sha)
        assert exc.value.code.value == code
    with pytest.raises(DomainError) as exc:
        _add(site, incident, data=b"", sha=hashlib.sha256(b"").hexdigest())
    assert exc.value.code.value == "empty_file"


def test_evidence_is_never_silently_replaced(site, incident):
    first = _add(site, incident)
    with pytest.raises(Conflict) as exc:
        _add(site, incident, who="manager_a")
    assert exc.value.code.value == "evidence_exists"
    assert list(Evidence.objects.values_list("pk", "uploaded_by_label")) == [(first.pk, "officer_a")]


def test_every_download_is_logged_and_only_for_the_entitled(site, incident):
    evidence = _add(site, incident)
    for who in ("officer_a", "lead"):
        opened, path = evidence_open(viewer=p(site["people"][who]), evidence_id=evidence.pk, now=T)
        assert path.read_bytes() == VIDEO
    for who in ("coord", "national_officer", "viewer", "officer_c"):
        with pytest.raises(PermissionDenied):
            evidence_open(viewer=p(site["people"][who]), evidence_id=evidence.pk, now=T)
    assert list(EvidenceAccess.objects.values_list("user_label", "kind")) == [("officer_a", "download"),
                                                                              ("lead_almaty", "download")]


def test_upload_and_download_through_the_api(site, incident):
    client = Client()
    client.force_login(site["people"]["officer_a"])
    wrong = client.post(f"/api/security/incidents/{incident.pk}/evidence", data={
        "kind": "cctv", "sha256": "0" * 64, "file": SimpleUploadedFile("cctv.mp4", VIDEO, "video/mp4")})
    assert (wrong.status_code, wrong.json()["detail"][0]["code"]) == (422, "hash_mismatch")
    ok = client.post(f"/api/security/incidents/{incident.pk}/evidence", data={
        "kind": "cctv", "sha256": VIDEO_SHA, "file": SimpleUploadedFile("cctv.mp4", VIDEO, "video/mp4")})
    assert (ok.status_code, ok.json()["sha256"], ok.json()["size_bytes"]) == (201, VIDEO_SHA, 10252)
    download = client.get(f"/api/security/evidence/{ok.json()['id']}/download")
    assert download.status_code == 200 and b"".join(download.streaming_content) == VIDEO
    assert EvidenceAccess.objects.count() == 1


def test_case_status_updates_with_a_version(site, incident):
    officer = p(site["people"]["officer_a"])
    updated = incident_update(actor=officer, incident_id=incident.pk, version=1,
                              changes={"criminal_case": "in_court"})
    assert (updated.criminal_case, updated.version) == ("in_court", 2)
    with pytest.raises(Conflict) as exc:
        incident_update(actor=officer, incident_id=incident.pk, version=1, changes={"criminal_case": "closed"})
    assert exc.value.code.value == "stale_version"


def test_recording_checks_its_input(site):
    officer = p(site["people"]["officer_a"])
    base = dict(occurred_at=T, department="ER", kind="physical", severity="minor")
    for changes, field in (({"kind": "rude"}, "kind"), ({"department": "  "}, "department"),
                           ({"victims": (VictimInput("X", "janitor"),)}, "victims.0.staff_role"),
                           ({"occurred_at": datetime(2099, 1, 1, tzinfo=UTC)}, "occurred_at")):
        with pytest.raises(DomainError) as exc:
            incident_record(actor=officer, facility_id=site["A"].pk, data=IncidentInput(**{**base, **changes}), now=T)
        assert (exc.value.code.value, exc.value.field) == ("invalid", field)

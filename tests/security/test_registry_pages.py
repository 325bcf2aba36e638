"""Registry pages: record an incident, attach evidence (hash checked), open it (logged), names need-to-know."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jedel.security.models_registry import Evidence, EvidenceAccess, ViolenceIncident

pytestmark = pytest.mark.django_db
PHOTO = b"\xff\xd8\xff\xe0" + b"photo" * 200


@pytest.fixture(autouse=True)
def _evidence_dir(settings, tmp_path):
    settings.JEDEL_EVIDENCE_DIR = str(tmp_path / "evidence")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_record_attach_open_and_who_sees_names(site):
    officer = _client(site["people"]["officer_a"])
    assert officer.get("/security/incidents/new/").status_code == 200
    r = officer.post("/security/incidents/new/", {
        "occurred_at": "2026-11-20T23:40", "department": "Emergency department", "kind": "physical",
        "severity": "severe", "victim_name": "Aigerim S.", "victim_role": "nurse", "sick_leave_days": "12",
        "perpetrator_kind": "relative", "perpetrator_name": "Marat K.", "detained": "on", "criminal_case": "opened"})
    incident = ViolenceIncident.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/security/incidents/{incident.pk}/"
    url = f"/security/incidents/{incident.pk}/"
    wrong = officer.post(url, {"kind": "photo", "sha256": "1" * 64,
                               "file": SimpleUploadedFile("p.jpg", PHOTO, "image/jpeg")}, follow=True)
    assert b"differs from the declared one" in wrong.content and Evidence.objects.count() == 0
    officer.post(url, {"kind": "photo", "sha256": hashlib.sha256(PHOTO).hexdigest(),
                       "file": SimpleUploadedFile("p.jpg", PHOTO, "image/jpeg")})
    evidence = Evidence.objects.get()
    opened = officer.get(f"/security/evidence/{evidence.pk}/?inline=1")
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PHOTO
    page = officer.get(url).content.decode()
    assert "Aigerim S." in page and "Marat K." in page and 'id="evidence-log"' in page
    coord = _client(site["people"]["coord"])
    page = coord.get(url).content.decode()
    assert "Aigerim S." not in page and "Marat K." not in page and 'id="no-personal"' in page
    assert coord.get(f"/security/evidence/{evidence.pk}/").status_code == 403
    assert list(EvidenceAccess.objects.values_list("user_label", "kind")) == [("officer_a", "view")]
    assert "Emergency department" in coord.get("/security/incidents/").content.decode()
    assert _client(site["people"]["nurse_a"]).get("/security/incidents/").status_code == 403

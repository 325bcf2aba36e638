"""Evidence photos on HSI items: SHA-256 kept and shown, the same photo kept once, size and type refused,
served only to those who may read the assessment."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from jedel.preparedness.models import HsiPhoto
from jedel.preparedness.services.photos import PHOTO_MAX_BYTES
from tests.capacity.capacity_helpers import make_user


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def setup(hospitals):
    client = Client()
    client.force_login(make_user("ph-mgr", "facility_manager", facility=hospitals["A"]))
    r = client.post("/api/preparedness/hsi", json.dumps({"facility": hospitals["A"].pk, "assessed_on": "2026-11-02",
                                                         "evaluators": ["E"]}), content_type="application/json")
    return client, r.json()["id"]


def _upload(client, pk, content, name="crack.png", item="2"):
    return client.post(f"/preparedness/hsi/{pk}/photos/", {"item": item, "caption": "Crack in the east wall",
                                                          "photo": SimpleUploadedFile(name, content)})


def test_a_photo_is_stored_with_its_sha256_shown_and_served(setup, hospitals):
    client, pk = setup
    content = _png()
    assert _upload(client, pk, content).status_code == 302
    photo = HsiPhoto.objects.get()
    digest = hashlib.sha256(content).hexdigest()
    assert (photo.sha256, photo.content_type, photo.size_bytes, photo.item.code) == (digest, "image/png",
                                                                                    len(content), "2")
    page = client.get(f"/preparedness/hsi/{pk}/").content.decode()
    assert f'<img src="/preparedness/photos/{photo.pk}/" alt="Crack in the east wall"' in page
    assert f'title="SHA-256 {digest}">SHA-256 {digest[:12]}…' in page
    served = client.get(f"/preparedness/photos/{photo.pk}/")
    assert (served.status_code, served["Content-Type"], served.content) == (200, "image/png", content)
    assert served["X-Content-Type-Options"] == "nosniff"
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(client.get(f"/preparedness/hsi/{pk}/pdf/").content)
    assert f"Crack in the east wall · SHA-256 {digest}" in "".join(p.get_textpage().get_text_range() for p in pdf)
    _upload(client, pk, content)                       # the same photo again: kept once
    assert HsiPhoto.objects.count() == 1
    other = Client()
    other.force_login(make_user("ph-mgr-b", "facility_manager", facility=hospitals["B"]))
    assert other.get(f"/preparedness/photos/{photo.pk}/").status_code == 403


@pytest.mark.parametrize("content,name,message", [
    (b"%PDF-1.4 not an image", "crack.png", "Only JPEG, PNG or WebP photos are accepted."),
    (b"\x89PNG\r\n\x1a\n" + b"0" * PHOTO_MAX_BYTES, "big.png", "The photo is larger than 5 MB; send a smaller one."),
])
def test_wrong_type_or_too_large_is_refused(setup, content, name, message):
    client, pk = setup
    r = client.post(f"/preparedness/hsi/{pk}/photos/", {"item": "2", "photo": SimpleUploadedFile(name, content)},
                    follow=True)
    assert message in r.content.decode()
    assert HsiPhoto.objects.count() == 0


def test_an_item_outside_the_assessment_is_refused(setup):
    client, pk = setup
    r = _upload(client, pk, _png(), item="99.9")
    assert r.status_code == 302 and HsiPhoto.objects.count() == 0

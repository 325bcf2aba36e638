"""Evidence photos on HSI items: checked by size and by their first bytes (not the declared type), fingerprinted
with SHA-256, stored once per assessment and item (the same photo sent twice is kept once)."""

from __future__ import annotations

import hashlib

from django.db import transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common import clock
from jedel.common.errors import DomainError, NotFound
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import HsiAssessment, HsiPhoto, InstrumentItem
from jedel.preparedness.permissions import ASSESS_HSI

PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Why sniff: a browser's declared content type is whatever the file name suggests; the bytes decide what is served.
SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def photo_type(content: bytes) -> str | None:
    for prefix, kind in SIGNATURES:
        if content.startswith(prefix):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def photo_add(*, actor: Principal, assessment_id: int, item_code: str, name: str, content: bytes,
              caption: str = "") -> tuple[HsiPhoto, bool]:
    """Attach a photo to an item of the assessment; returns (photo, created)."""
    assessment = HsiAssessment.objects.select_related("facility").filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound(PrepError.ASSESSMENT_NOT_FOUND)
    require(actor, ASSESS_HSI, assessment, object_type="hsi_assessment", object_id=assessment_id)
    item = InstrumentItem.objects.filter(instrument_id=assessment.instrument_id, code=item_code,
                                         section__code__in=assessment.modules).first()
    if item is None:
        raise DomainError(PrepError.UNKNOWN_ITEM, field="item")
    if len(content) > PHOTO_MAX_BYTES:
        raise DomainError(PrepError.PHOTO_TOO_LARGE, field="photo")
    kind = photo_type(content)
    if kind is None:
        raise DomainError(PrepError.PHOTO_TYPE, field="photo")
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        photo, created = HsiPhoto.objects.get_or_create(
            assessment=assessment, item=item, sha256=digest,
            defaults={"content": content, "content_type": kind, "size_bytes": len(content),
                      "original_name": name[:200], "caption": caption.strip()[:300], "uploaded_by": actor.label,
                      "uploaded_at": clock.utcnow()})
        if created:
            audit_record(actor=actor, action=ASSESS_HSI.name, object_type="hsi_assessment", object_id=assessment.pk,
                         region_id=assessment.facility.region_id, facility_id=assessment.facility_id,
                         changes={"photo": {"item": item.code, "sha256": digest, "bytes": len(content)}})
    return photo, created

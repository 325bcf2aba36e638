"""The violence registry: record an incident with its victims, perpetrators and follow-up; update its police
and case status (optimistic version); attach evidence files, verified against their declared SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.facilities.models import Facility
from jedel.security.errors import SecurityError
from jedel.security.models_registry import (
    CriminalCase, Evidence, EvidenceKind, FollowUpTask, Perpetrator, PerpetratorKind, Severity, StaffRole, Victim,
    ViolenceIncident, ViolenceKind,
)
from jedel.security.permissions import RECORD_VIOLENCE

CHUNK = 1 << 20


@dataclass(frozen=True)
class VictimInput:
    name: str
    staff_role: str
    injuries: str = ""
    sick_leave_days: int | None = None


@dataclass(frozen=True)
class PerpetratorInput:
    kind: str
    name: str = ""
    detained: bool = False
    mental_health_referral: bool = False


@dataclass(frozen=True)
class IncidentInput:
    occurred_at: datetime
    department: str
    kind: str
    severity: str
    location: str = ""
    summary: str = ""
    police_notified: bool = False
    police_case_number: str = ""
    criminal_case: str = CriminalCase.NONE
    measures_taken: str = ""
    victims: tuple[VictimInput, ...] = ()
    perpetrators: tuple[PerpetratorInput, ...] = ()
    tasks: tuple[str, ...] = field(default_factory=tuple)


def _check(data: IncidentInput, now: datetime) -> None:
    checks = [("kind", data.kind in ViolenceKind.values), ("severity", data.severity in Severity.values),
              ("criminal_case", data.criminal_case in CriminalCase.values),
              ("department", bool(data.department.strip())), ("occurred_at", data.occurred_at <= now),
              *((f"victims.{i}.staff_role", v.staff_role in StaffRole.values) for i, v in enumerate(data.victims)),
              *((f"perpetrators.{i}.kind", p.kind in PerpetratorKind.values) for i, p in enumerate(data.perpetrators))]
    for name, ok in checks:
        if not ok:
            raise DomainError(SecurityError.INVALID, field=name)


def incident_record(*, actor: Principal | None, facility_id: int, data: IncidentInput,
                    now: datetime | None = None) -> ViolenceIncident:
    """Record an incident at the facility, with its people and follow-up tasks, in one transaction."""
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise NotFound(SecurityError.FACILITY_NOT_FOUND, field="facility")
    require(actor, RECORD_VIOLENCE, facility, object_type="facility", object_id=facility.pk)
    assert actor is not None
    now = now or utcnow()
    _check(data, now)
    with transaction.atomic():
        incident = ViolenceIncident.objects.create(
            facility=facility, occurred_at=data.occurred_at, department=data.department.strip()[:100],
            location=data.location.strip()[:120], kind=data.kind, severity=data.severity, summary=data.summary,
            police_notified=data.police_notified, police_case_number=data.police_case_number.strip()[:64],
            criminal_case=data.criminal_case, measures_taken=data.measures_taken, recorded_by_label=actor.label)
        Victim.objects.bulk_create([Victim(incident=incident, name=v.name.strip()[:200], staff_role=v.staff_role,
                                           injuries=v.injuries[:500], sick_leave_days=v.sick_leave_days)
                                    for v in data.victims])
        Perpetrator.objects.bulk_create([Perpetrator(incident=incident, name=p.name.strip()[:200], kind=p.kind,
                                                     detained=p.detained, mental_health_referral=p.mental_health_referral)
                                         for p in data.perpetrators])
        FollowUpTask.objects.bulk_create([FollowUpTask(incident=incident, title=t.strip()[:200])
                                          for t in data.tasks if t.strip()])
        # The audit names no person: the trail is read more widely than the registry's personal data.
        audit_record(actor=actor, action=RECORD_VIOLENCE.name, object_type="violence_incident", object_id=incident.pk,
                     region_id=facility.region_id, facility_id=facility.pk, now=now,
                     changes={"kind": data.kind, "severity": data.severity, "victims": len(data.victims)})
    return incident


CASE_FIELDS = ("police_notified", "police_case_number", "criminal_case", "measures_taken")


def incident_update(*, actor: Principal | None, incident_id: int, version: int, changes: dict[str, Any],
                    now: datetime | None = None) -> ViolenceIncident:
    """Update the police and criminal-case fields and measures; a stale `version` is refused (409)."""
    incident = ViolenceIncident.objects.select_related("facility").filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(SecurityError.INCIDENT_NOT_FOUND)
    require(actor, RECORD_VIOLENCE, incident, object_type="violence_incident", object_id=incident.pk)
    assert actor is not None
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown or ("criminal_case" in changes and changes["criminal_case"] not in CriminalCase.values):
        raise DomainError(SecurityError.INVALID, field=sorted(unknown)[0] if unknown else "criminal_case")
    with transaction.atomic():
        updated = ViolenceIncident.objects.filter(pk=incident.pk, version=version).update(
            **changes, version=version + 1, updated_at=now or utcnow())
        if not updated:
            raise Conflict(SecurityError.STALE_VERSION, field="version")
        audit_record(actor=actor, action=RECORD_VIOLENCE.name, object_type="violence_incident", object_id=incident.pk,
                     region_id=incident.facility.region_id, facility_id=incident.facility_id, now=now,
                     changes={k: str(v)[:100] for k, v in changes.items()})
    incident.refresh_from_db()
    return incident


def evidence_dir() -> Path:
    """Where evidence files live, named by their SHA-256 (setting or environment JEDEL_EVIDENCE_DIR, default
    var/evidence)."""
    configured = getattr(settings, "JEDEL_EVIDENCE_DIR", "") or os.environ.get("JEDEL_EVIDENCE_DIR", "")
    return Path(configured or settings.VAR_DIR / "evidence")


def evidence_path(sha256: str) -> Path:
    return evidence_dir() / sha256[:2] / sha256


def evidence_add(*, actor: Principal | None, incident_id: int, kind: str, filename: str, content_type: str,
                 chunks: Iterable[bytes], declared_sha256: str, now: datetime | None = None) -> Evidence:
    """Store a file as evidence once its SHA-256, computed here, equals the declared one.

    The file goes to a temporary name first and is renamed to its hash only when it matches: a refused upload
    leaves nothing behind, and a stored file is never overwritten (the same content has the same name).
    """
    incident = ViolenceIncident.objects.select_related("facility").filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(SecurityError.INCIDENT_NOT_FOUND)
    require(actor, RECORD_VIOLENCE, incident, object_type="violence_incident", object_id=incident.pk)
    assert actor is not None
    declared = declared_sha256.strip().lower()
    if len(declared) != 64 or any(c not in "0123456789abcdef" for c in declared):
        raise DomainError(SecurityError.BAD_HASH, field="sha256")
    if kind not in EvidenceKind.values:
        raise DomainError(SecurityError.INVALID, field="kind")
    evidence_dir().mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=evidence_dir(), prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if size == 0:
            raise DomainError(SecurityError.EMPTY_FILE, field="file")
        if actual != declared:
            raise DomainError(SecurityError.HASH_MISMATCH, field="sha256",
                              detail=f"{SecurityError.HASH_MISMATCH.message} (SHA-256 {actual})")
        now = now or utcnow()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    evidence = Evidence.objects.create(
                        incident=incident, kind=kind, original_name=Path(filename).name[:200] or "file",
                        content_type=(content_type or "application/octet-stream")[:100], sha256=actual,
                        size_bytes=size, uploaded_by_id=actor.user_id, uploaded_by_label=actor.label[:200],
                        uploaded_at=now)
            except IntegrityError:
                raise Conflict(SecurityError.EVIDENCE_EXISTS, field="file") from None
            final = evidence_path(actual)
            final.parent.mkdir(parents=True, exist_ok=True)
            if not final.exists():
                os.replace(tmp, final)
            audit_record(actor=actor, action=RECORD_VIOLENCE.name, object_type="evidence", object_id=evidence.pk,
                         region_id=incident.facility.region_id, facility_id=incident.facility_id, now=now,
                         changes={"incident": incident.pk, "sha256": actual, "size": size})
        return evidence
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def evidence_open(*, viewer: Principal | None, evidence_id: int, kind: str = "download",
                  now: datetime | None = None) -> tuple[Evidence, Path]:
    """Open a piece of evidence for those entitled to personal data; the access is logged before it is served."""
    from jedel.security.models_registry import EvidenceAccess
    from jedel.security.selectors_registry import require_personal

    evidence = Evidence.objects.select_related("incident", "incident__facility").filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound(SecurityError.EVIDENCE_NOT_FOUND)
    require_personal(viewer, evidence.incident, object_type="evidence", object_id=evidence.pk)
    assert viewer is not None
    EvidenceAccess.objects.create(evidence=evidence, at=now or utcnow(), kind=kind, user_id=viewer.user_id,
                                  user_label=viewer.label[:200])
    return evidence, evidence_path(evidence.sha256)

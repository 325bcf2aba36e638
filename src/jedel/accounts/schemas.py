"""API schemas of the accounts app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class MeOut(Schema):
    label: str
    role: str | None
    scope_level: str
    region_id: int | None
    facility_id: int | None
    is_token: bool


class AuditOut(Schema):
    at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    region_iso: str | None
    outcome: str
    changes: dict[str, Any]

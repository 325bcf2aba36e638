"""API schemas of the accounts app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class MeOut(Schema):
    label: str
    role: str | None
    scope_level: str
    region_id: int | None
    facility_id: int | None
    is_token: bool


class AuditEventOut(Schema):
    """One audit event: machine fields for programs, `action_label` and `changes_text` for people."""

    id: int
    at: datetime
    actor_label: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    region_iso: str | None
    facility_code: str | None
    outcome: str
    changes: dict[str, Any]
    changes_text: list[str]


class UserOut(Schema):
    username: str
    role: str
    scope_level: str
    region_iso: str | None
    facility_code: str | None
    is_active: bool
    last_login: datetime | None
    throttled: bool


class PasswordIn(Schema):
    password: str = Field(min_length=1, max_length=4096)


class TokenIn(Schema):
    """A token for exactly one facility (its information system) or one user (a script acting as them)."""

    name: str = Field(min_length=1, max_length=100)
    facility: str | None = Field(default=None, max_length=64)
    user: str | None = Field(default=None, max_length=150)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    facility_code: str | None
    username: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="The token itself, shown this once and never stored")

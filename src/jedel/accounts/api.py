"""Who am I, the audit trail, and account administration (users and API tokens)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jedel.accounts import administration, selectors
from jedel.accounts.audit_text import action_label, change_lines
from jedel.accounts.models import ApiToken, AuditEvent, User
from jedel.common.ids import RowIdParam
from jedel.common.moments import ApiDate
from jedel.accounts.schemas import (
    AuditEventOut,
    MeOut,
    PasswordIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserOut,
)

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def get_me(request: HttpRequest) -> Any:
    p = request.auth  # type: ignore[attr-defined]
    return MeOut(label=p.label, role=p.role.value if p.role else None, scope_level=p.scope_level.value,
                 region_id=p.region_id, facility_id=p.facility_id, is_token=p.is_token)


class AuditQuery(Schema):
    who: str = ""
    action: str = ""
    facility: str = ""
    since: ApiDate | None = None
    until: ApiDate | None = None
    # Beyond 2**53 a number is nonsense here, and past 2**63 PostgreSQL refuses the OFFSET (a 500): 422 instead.
    limit: int = Field(200, le=2**53)
    offset: int = Field(0, le=2**53)


def _audit_out(e: AuditEvent) -> AuditEventOut:
    return AuditEventOut(id=e.pk, at=e.at, actor_label=e.actor_label, action=e.action,
                         action_label=action_label(e.action), object_type=e.object_type, object_id=e.object_id,
                         region_iso=e.region.iso_code if e.region else None,
                         facility_code=e.facility.code if e.facility else None, outcome=e.outcome,
                         changes=e.changes if isinstance(e.changes, dict) else {"value": e.changes},
                         changes_text=change_lines(e.changes))


@router.get("/audit", response=list[AuditEventOut])
def list_audit(request: HttpRequest, q: Query[AuditQuery]) -> Any:
    """Newest first, within the caller's scope (security officers: sign-ins and account actions only).
    `since`/`until` are Almaty calendar days (inclusive); page with `limit` (1-1000) and `offset`."""
    filters = selectors.AuditFilter(who=q.who, action=q.action, facility=q.facility, since=q.since, until=q.until)
    offset, limit = max(0, q.offset), max(1, min(q.limit, 1000))
    events = selectors.audit_list(viewer=request.auth, filters=filters, limit=None)  # type: ignore[attr-defined]
    return [_audit_out(e) for e in events[offset:offset + limit]]


def _user_out(u: User) -> UserOut:
    return UserOut(username=u.username, role=u.role, scope_level=u.scope_level,
                   region_iso=u.scope_region.iso_code if u.scope_region_id else None,  # type: ignore[union-attr]
                   facility_code=u.scope_facility.code if u.scope_facility_id else None,  # type: ignore[union-attr]
                   is_active=u.is_active, last_login=u.last_login, throttled=getattr(u, "throttled", False))


@router.get("/users", response=list[UserOut])
def list_users(request: HttpRequest, search: str = "") -> Any:
    """Accounts the caller may manage (national: all; regional: the region's)."""
    return [_user_out(u) for u in selectors.user_list(viewer=request.auth, query=search)]  # type: ignore[attr-defined]


def _one_user(request: HttpRequest, username: str) -> UserOut:
    return _user_out(selectors.user_list(viewer=request.auth, query="").get(username=username))  # type: ignore[attr-defined]


@router.post("/users/{username}/deactivate", response=UserOut)
def deactivate_user(request: HttpRequest, username: str) -> Any:
    """Sign-ins, sessions and the user's personal tokens stop working."""
    administration.user_set_active(actor=request.auth, username=username, active=False)  # type: ignore[attr-defined]
    return _one_user(request, username)


@router.post("/users/{username}/activate", response=UserOut)
def activate_user(request: HttpRequest, username: str) -> Any:
    administration.user_set_active(actor=request.auth, username=username, active=True)  # type: ignore[attr-defined]
    return _one_user(request, username)


@router.post("/users/{username}/unlock", response=UserOut)
def unlock_user(request: HttpRequest, username: str) -> Any:
    """Forget the account's failed sign-ins from every address."""
    administration.user_unlock(actor=request.auth, username=username)  # type: ignore[attr-defined]
    return _one_user(request, username)


@router.post("/users/{username}/password", response=UserOut)
def set_user_password(request: HttpRequest, username: str, body: PasswordIn) -> Any:
    """A new password, held to the password rules (422 `weak_password` otherwise)."""
    administration.user_set_password(actor=request.auth, username=username,  # type: ignore[attr-defined]
                                     password=body.password)
    return _one_user(request, username)


def _token_out(t: ApiToken, secret: str | None = None) -> Any:
    fields = dict(id=t.pk, name=t.name, prefix=t.prefix, facility_code=t.facility.code if t.facility_id else None,  # type: ignore[union-attr]
                  username=t.user.username if t.user_id else None, created_at=t.created_at,  # type: ignore[union-attr]
                  last_used_at=t.last_used_at, revoked_at=t.revoked_at)
    return TokenCreatedOut(**fields, secret=secret) if secret else TokenOut(**fields)


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest, include_revoked: bool = False) -> Any:
    """Tokens the caller may manage; never their secrets."""
    return [_token_out(t) for t in selectors.token_list(viewer=request.auth,  # type: ignore[attr-defined]
                                                        include_revoked=include_revoked)]


@router.post("/tokens", response={201: TokenCreatedOut})
def create_token(request: HttpRequest, body: TokenIn) -> Any:
    """Issue a token for one facility or one user; the secret is in this response only. Rotation: create a
    new token, switch the client over, then revoke the old one."""
    token, raw = administration.token_issue(actor=request.auth, name=body.name,  # type: ignore[attr-defined]
                                            facility_code=body.facility, username=body.user)
    return 201, _token_out(token, raw)


@router.post("/tokens/{token_id}/revoke", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: RowIdParam) -> Any:
    return _token_out(administration.token_withdraw(actor=request.auth, token_id=token_id))  # type: ignore[attr-defined]

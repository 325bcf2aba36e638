"""Writes of the accounts app: audit trail, permission enforcement, user creation, tokens.

Sign-in and its throttling live in `signin.py`; account administration (deactivate, unlock, passwords,
issuing and revoking tokens on behalf of others) in `administration.py`."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jedel.accounts.errors import AccountError
from jedel.accounts.models import ApiToken, AuditEvent, Role, ScopeLevel, User
from jedel.accounts.policy import NATIONAL, Action, Principal, Target, allowed, target_of
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError, PermissionDenied
from jedel.accounts.permissions import MANAGE_USERS

TOKEN_USE_RESOLUTION = timedelta(minutes=1)
SYSTEM = Principal(label="system", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)


def audit_record(*, actor: Principal, action: str, object_type: str = "", object_id: Any = "",
                 region_id: int | None = None, changes: dict[str, Any] | None = None,
                 outcome: str = AuditEvent.Outcome.OK, now: datetime | None = None,
                 facility_id: int | None = None) -> AuditEvent:
    """Append one audit event. Call inside the same transaction as the write it records."""
    return AuditEvent.objects.create(
        at=now or utcnow(), actor_id=actor.user_id, actor_label=actor.label[:200], action=action,
        object_type=object_type, object_id=str(object_id)[:64], region_id=region_id, facility_id=facility_id,
        outcome=outcome, changes=changes or {},
    )


def require(actor: Principal | None, action: Action, target: Any = NATIONAL, *,
            object_type: str = "", object_id: Any = "") -> Principal:
    """Raise PermissionDenied (and audit the attempt) unless the policy allows it.

    The one enforcement call: services (writes) and selectors (reads) make it, nothing else. `target` is a
    Target or a domain object whose app registered a resolver (a Facility, an incident...).
    """
    if actor is None:
        raise DomainError(AccountError.NOT_AUTHENTICATED, status=401)
    target = target_of(target)
    if allowed(actor, action, target):
        return actor
    # Services call require() before opening their own transaction, so this record is committed
    # even though the caller is about to fail.
    audit_record(actor=actor, action=action.value, object_type=object_type, object_id=object_id,
                 region_id=target.region_id, outcome=AuditEvent.Outcome.DENIED)
    raise PermissionDenied(AccountError.FORBIDDEN)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: Principal, name: str, facility_id: int | None = None,
                 user: User | None = None, region_id: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plaintext secret, shown once and never stored."""
    raw = "jdl_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name, prefix=raw[4:12], digest=_digest(raw),
                                    facility_id=facility_id, user=user)
    audit_record(actor=actor, action="token_create", object_type="api_token", object_id=token.pk,
                 region_id=region_id, facility_id=facility_id,
                 changes={"name": name, "owner": user.username if user else None, "prefix": token.prefix})
    return token, raw


def token_principal(raw: str, *, now: datetime | None = None) -> Principal | None:
    """Resolve a bearer secret to a Principal, or None if unknown/revoked."""
    token = (ApiToken.objects.select_related("user", "facility")
             .filter(digest=_digest(raw), revoked_at__isnull=True).first())
    if token is None:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        # "Last used" to the minute is what an administrator needs; a write per request is not (a hospital
        # system posting every few seconds would otherwise write the token row each time).
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if token.user is not None:
        from jedel.accounts.policy import principal_for_user

        return principal_for_user(token.user)
    facility = token.facility
    assert facility is not None
    return Principal(label=f"token:{token.name}", role=None, scope_level=ScopeLevel.FACILITY,
                     region_id=facility.region_id, facility_id=facility.pk, is_token=True)


@transaction.atomic
def token_revoke(*, actor: Principal, token_id: int, region_id: int | None = None) -> None:
    """Revoke a token now (a token already revoked keeps its first revocation time)."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or token.revoked_at is not None:
        return
    ApiToken.objects.filter(pk=token_id).update(revoked_at=utcnow())
    audit_record(actor=actor, action="token_revoke", object_type="api_token", object_id=token_id,
                 region_id=region_id, facility_id=token.facility_id,
                 changes={"name": token.name, "prefix": token.prefix})


def _scope_check(role: Role, scope_level: ScopeLevel, region_id: int | None, facility_id: int | None) -> None:
    if scope_level == ScopeLevel.REGION and region_id is None:
        raise DomainError(AccountError.BAD_SCOPE, field="scope_region")
    if scope_level == ScopeLevel.FACILITY and facility_id is None:
        raise DomainError(AccountError.BAD_SCOPE, field="scope_facility")
    if role == Role.NATIONAL_COORDINATOR and scope_level != ScopeLevel.NATIONAL:
        raise DomainError(AccountError.BAD_SCOPE, field="scope_level")
    if role == Role.REGIONAL_COORDINATOR and scope_level != ScopeLevel.REGION:
        raise DomainError(AccountError.BAD_SCOPE, field="scope_level")
    if role == Role.FACILITY_MANAGER and scope_level != ScopeLevel.FACILITY:
        raise DomainError(AccountError.BAD_SCOPE, field="scope_level")


def user_create(*, actor: Principal, username: str, password: str, role: Role,
                scope_level: ScopeLevel = ScopeLevel.NATIONAL, region_id: int | None = None,
                facility_id: int | None = None, facility_region_id: int | None = None,
                email: str = "", full_name: str = "") -> User:
    """Create a user with a role and scope; the creator must be allowed to manage users there."""
    _scope_check(role, scope_level, region_id, facility_id)
    target_region = region_id if scope_level == ScopeLevel.REGION else facility_region_id
    require(actor, MANAGE_USERS, Target(region_id=target_region), object_type="user", object_id=username)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise DomainError(AccountError.USERNAME_TAKEN, field="username")
        first, _, last = full_name.partition(" ")
        user = User(username=username, email=email, role=role, scope_level=scope_level,
                    scope_region_id=region_id if scope_level == ScopeLevel.REGION else None,
                    scope_facility_id=facility_id if scope_level == ScopeLevel.FACILITY else None,
                    first_name=first, last_name=last)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(AccountError.WEAK_PASSWORD, field="password", detail=" ".join(exc.messages)) from exc
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=actor, action="user_create", object_type="user", object_id=user.pk,
                     region_id=target_region, facility_id=user.scope_facility_id,
                     changes={"username": username, "role": role.value, "scope_level": scope_level.value})
    return user

"""Account administration (issue 7): deactivate, reactivate, unlock, set passwords; issue, rotate and revoke
API tokens. One place for the CLI, the web pages and the API; every action is checked by the policy and
audited in the same transaction as its write.

Who may: an account is managed under `manage_users` on the account's own scope (national coordinators
everywhere, a regional coordinator within the region); a facility's tokens under `manage_tokens` on the
facility (also its facility manager); a personal token acts as its user, so issuing one is `manage_users` on
that user (nobody gains more than an administrator who could set the password anyway).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jedel.accounts.errors import AccountError
from jedel.accounts.models import ApiToken, User
from jedel.accounts.permissions import MANAGE_TOKENS, MANAGE_USERS
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import audit_record, require, token_create, token_revoke
from jedel.accounts.signin import client_key, throttle_clear
from jedel.common.errors import DomainError, NotFound


def user_target(user: User) -> Target:
    """Where an account lives for the policy: its region, or its facility and that facility's region."""
    if user.scope_facility_id:
        return Target(region_id=user.scope_facility.region_id, facility_id=user.scope_facility_id)  # type: ignore[union-attr]
    return Target(region_id=user.scope_region_id)


def _managed_user(actor: Principal, username: str) -> tuple[User, Target]:
    user = User.objects.select_related("scope_facility").filter(username=username).first()
    if user is None:
        # Checked first without a target: only someone who may manage users learns whether a name exists.
        require(actor, MANAGE_USERS, Target(region_id=actor.region_id, facility_id=actor.facility_id),
                object_type="user", object_id=username)
        raise NotFound(AccountError.UNKNOWN_USER, field="username")
    target = user_target(user)
    require(actor, MANAGE_USERS, target, object_type="user", object_id=username)
    return user, target


def _audit_user(actor: Principal, action: str, user: User, target: Target, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, object_type="user", object_id=user.username,
                 region_id=target.region_id, facility_id=target.facility_id, changes=changes)


def user_set_active(*, actor: Principal, username: str, active: bool) -> User:
    """Deactivate (sign-ins refused, sessions and personal tokens stop working) or reactivate an account."""
    user, target = _managed_user(actor, username)
    if not active and actor.user_id == user.pk:
        raise DomainError(AccountError.SELF_DEACTIVATE, field="username")
    with transaction.atomic():
        if user.is_active != active:
            User.objects.filter(pk=user.pk).update(is_active=active)
            _audit_user(actor, "user_activate" if active else "user_deactivate", user, target,
                        {"active": [user.is_active, active]})
            user.is_active = active
    return user


def user_unlock(*, actor: Principal, username: str) -> int:
    """Forget this account's failed sign-ins from every client address; returns how many counts were cleared."""
    user, target = _managed_user(actor, username)
    with transaction.atomic():
        cleared = throttle_clear(username=user.username)
        _audit_user(actor, "user_unlock", user, target, {"cleared": cleared})
    return cleared


def client_unlock(*, actor: Principal, client: str) -> int:
    """Forget one client address's failed sign-ins (a hospital's shared address after a burst of typos)."""
    require(actor, MANAGE_USERS, Target(), object_type="client", object_id=client)
    try:
        key = client_key(client)
    except ValueError:
        raise DomainError(AccountError.BAD_CLIENT, field="client") from None
    with transaction.atomic():
        cleared = throttle_clear(client=key)
        audit_record(actor=actor, action="client_unlock", object_type="client", object_id=key,
                     changes={"cleared": cleared})
    return cleared


def user_set_password(*, actor: Principal, username: str, password: str) -> User:
    """Set a new password (held to the password rules); the account's failed sign-ins are forgotten too."""
    user, target = _managed_user(actor, username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(AccountError.WEAK_PASSWORD, field="password", detail=" ".join(exc.messages)) from exc
    with transaction.atomic():
        user.set_password(password)
        User.objects.filter(pk=user.pk).update(password=user.password)
        throttle_clear(username=user.username)
        # Never the password or its hash in the audit: only that it changed.
        _audit_user(actor, "user_set_password", user, target, {"password": "changed"})
    return user


def _facility(code: str) -> Any:
    # Through the app registry: accounts sits below facilities on the import ladder (as its models' FKs do).
    facility = apps.get_model("facilities", "Facility").objects.filter(code=code).first()
    if facility is None:
        raise NotFound(AccountError.UNKNOWN_FACILITY, field="facility")
    return facility


def token_issue(*, actor: Principal, name: str, facility_code: str | None = None,
                username: str | None = None) -> tuple[ApiToken, str]:
    """A new token for one facility or one user; returns it with its secret (shown once, never stored)."""
    if bool(facility_code) == bool(username):
        raise DomainError(AccountError.TOKEN_OWNER, field="facility")
    if not name.strip():
        raise DomainError(AccountError.TOKEN_NAME, field="name")
    if facility_code:
        facility = _facility(facility_code)
        require(actor, MANAGE_TOKENS, facility, object_type="facility", object_id=facility.code)
        return token_create(actor=actor, name=name.strip()[:100], facility_id=facility.pk,
                            region_id=facility.region_id)
    user, target = _managed_user(actor, username or "")
    return token_create(actor=actor, name=name.strip()[:100], user=user, region_id=target.region_id)


def token_target(token: ApiToken) -> Target:
    """Where a token lives: its facility, or its user's scope."""
    if token.facility_id:
        return Target(region_id=token.facility.region_id, facility_id=token.facility_id)  # type: ignore[union-attr]
    return user_target(token.user)  # type: ignore[arg-type]


def _managed_token(actor: Principal, token_id: int) -> tuple[ApiToken, Target]:
    token = ApiToken.objects.select_related("facility", "user__scope_facility").filter(pk=token_id).first()
    if token is None:
        require(actor, MANAGE_TOKENS, Target(region_id=actor.region_id, facility_id=actor.facility_id),
                object_type="api_token", object_id=token_id)
        raise NotFound(AccountError.UNKNOWN_TOKEN, field="token")
    target = token_target(token)
    require(actor, MANAGE_TOKENS if token.facility_id else MANAGE_USERS, target, object_type="api_token",
            object_id=token_id)
    return token, target


def token_withdraw(*, actor: Principal, token_id: int) -> ApiToken:
    """Revoke a token now (checked and audited); revoking a revoked token changes nothing."""
    token, target = _managed_token(actor, token_id)
    token_revoke(actor=actor, token_id=token.pk, region_id=target.region_id)
    token.refresh_from_db()
    return token


def token_rotate(*, actor: Principal, token_id: int) -> tuple[ApiToken, str]:
    """Rotation: a new token for the same owner and name, and the old one revoked, in one transaction."""
    token, target = _managed_token(actor, token_id)
    if token.revoked_at is not None:
        raise DomainError(AccountError.TOKEN_REVOKED, field="token", status=409)
    with transaction.atomic():
        new, raw = token_create(actor=actor, name=token.name, facility_id=token.facility_id, user=token.user,
                                region_id=target.region_id)
        token_revoke(actor=actor, token_id=token.pk, region_id=target.region_id)
    return new, raw


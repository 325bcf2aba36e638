"""Accounts services: tokens, user creation rules, audit visibility."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jedel.accounts.errors import AccountError
from jedel.accounts.models import AuditEvent, Role, ScopeLevel, User
from jedel.accounts.policy import Principal, Target, principal_for_user
from jedel.capacity.permissions import VIEW_BOARD
from jedel.facilities.permissions import EDIT_FACILITY
from jedel.accounts.selectors import audit_list
from jedel.accounts.services import SYSTEM, audit_record, require, token_create, token_principal, user_create
from jedel.common.errors import DomainError, PermissionDenied

PASSWORD = "correct-horse-battery-9"
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def almaty_coordinator(kz):
    return user_create(actor=SYSTEM, username="coord75", password=PASSWORD, role=Role.REGIONAL_COORDINATOR,
                       scope_level=ScopeLevel.REGION, region_id=kz["KZ-75"].pk)


def test_regional_coordinator_cannot_create_users_in_another_region(almaty_coordinator, kz):
    actor = principal_for_user(almaty_coordinator)
    with pytest.raises(PermissionDenied):
        user_create(actor=actor, username="astana", password=PASSWORD, role=Role.REGIONAL_COORDINATOR,
                    scope_level=ScopeLevel.REGION, region_id=kz["KZ-71"].pk)
    denied = AuditEvent.objects.get(outcome="denied")
    assert (denied.action, denied.region_id, denied.actor_label) == ("manage_users", kz["KZ-71"].pk, "coord75")
    assert not User.objects.filter(username="astana").exists()


def test_role_and_scope_must_agree(kz):
    with pytest.raises(DomainError) as exc:
        user_create(actor=SYSTEM, username="x", password=PASSWORD, role=Role.REGIONAL_COORDINATOR,
                    scope_level=ScopeLevel.NATIONAL)
    assert (exc.value.code, exc.value.field) == (AccountError.BAD_SCOPE, "scope_level")


def test_weak_password_is_refused(kz):
    with pytest.raises(DomainError) as exc:
        user_create(actor=SYSTEM, username="weak", password="123", role=Role.VIEWER)
    assert (exc.value.code, exc.value.field) == (AccountError.WEAK_PASSWORD, "password")


def test_duplicate_username(almaty_coordinator, kz):
    with pytest.raises(DomainError) as exc:
        user_create(actor=SYSTEM, username="coord75", password=PASSWORD, role=Role.VIEWER)
    assert exc.value.code == AccountError.USERNAME_TAKEN


def test_user_token_resolves_to_its_user_and_revoked_tokens_do_not(almaty_coordinator):
    token, raw = token_create(actor=SYSTEM, name="script", user=almaty_coordinator)
    p = token_principal(raw)
    assert p is not None and (p.label, p.role, p.region_id) == ("coord75", Role.REGIONAL_COORDINATOR,
                                                               almaty_coordinator.scope_region_id)
    assert token.digest != raw and raw not in token.digest
    token.revoked_at = T0
    token.save()
    assert token_principal(raw) is None
    assert token_principal("jdl_not-a-token") is None


def test_regional_audit_view_sees_only_its_region(almaty_coordinator, kz):
    audit_record(actor=SYSTEM, action="a", region_id=kz["KZ-75"].pk)
    audit_record(actor=SYSTEM, action="b", region_id=kz["KZ-71"].pk)
    regional = principal_for_user(almaty_coordinator)
    assert {e.action for e in audit_list(viewer=regional)} >= {"a"}
    assert "b" not in {e.action for e in audit_list(viewer=regional)}
    assert {"a", "b"} <= {e.action for e in audit_list(viewer=SYSTEM)}


def test_require_without_principal_is_401(kz):
    with pytest.raises(DomainError) as exc:
        require(None, VIEW_BOARD)
    assert exc.value.status == 401


def test_require_denial_is_audited(kz):
    viewer = Principal(label="v", role=Role.VIEWER, scope_level=ScopeLevel.NATIONAL)
    with pytest.raises(PermissionDenied):
        require(viewer, EDIT_FACILITY, Target(region_id=kz["KZ-75"].pk, facility_id=1),
                object_type="facility", object_id="X1")
    e = AuditEvent.objects.get()
    assert (e.outcome, e.action, e.object_id) == ("denied", "edit_facility", "X1")


def test_token_use_is_recorded_to_the_minute_not_on_every_request(almaty_coordinator):
    from jedel.accounts.models import ApiToken

    token, raw = token_create(actor=SYSTEM, name="his", user=almaty_coordinator)
    t0 = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    token_principal(raw, now=t0)
    token_principal(raw, now=t0 + timedelta(seconds=59))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == t0
    token_principal(raw, now=t0 + timedelta(seconds=60))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == t0 + timedelta(seconds=60)

"""Account administration (issue 7): deactivate, unlock, set passwords, issue/rotate/revoke tokens — each
checked by the policy within the administrator's scope and audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jedel.accounts.administration import (
    client_unlock,
    token_issue,
    token_rotate,
    token_withdraw,
    user_set_active,
    user_set_password,
    user_unlock,
)
from jedel.accounts.errors import AccountError
from jedel.accounts.models import ApiToken, AuditEvent, Role, ScopeLevel
from jedel.accounts.policy import principal_for_user
from jedel.accounts.selectors import token_list, user_list
from jedel.accounts.services import SYSTEM, token_principal, user_create
from jedel.accounts.signin import sign_in
from jedel.common.errors import DomainError, NotFound, PermissionDenied
from tests.accounts.hashers import HASHERS
from tests.capacity.capacity_helpers import make_facility

PASSWORD = "correct-horse-battery-9"
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ATTACKER = "198.51.100.7"


@pytest.fixture
def people(kz, settings):
    settings.PASSWORD_HASHERS = HASHERS
    hospital = make_facility(kz["KZ-75"], "ADM-1")
    astana = make_facility(kz["KZ-71"], "ADM-2")
    made = {
        "national": user_create(actor=SYSTEM, username="nat", password=PASSWORD, role=Role.NATIONAL_COORDINATOR),
        "almaty": user_create(actor=SYSTEM, username="alm", password=PASSWORD, role=Role.REGIONAL_COORDINATOR,
                              scope_level=ScopeLevel.REGION, region_id=kz["KZ-75"].pk),
        "manager": user_create(actor=SYSTEM, username="mgr", password=PASSWORD, role=Role.FACILITY_MANAGER,
                               scope_level=ScopeLevel.FACILITY, facility_id=hospital.pk,
                               facility_region_id=hospital.region_id),
        "astana_mgr": user_create(actor=SYSTEM, username="ast", password=PASSWORD, role=Role.FACILITY_MANAGER,
                                  scope_level=ScopeLevel.FACILITY, facility_id=astana.pk,
                                  facility_region_id=astana.region_id),
    }
    return {**made, "hospital": hospital, "astana": astana,
            **{f"p_{k}": principal_for_user(v) for k, v in made.items()}}


def test_deactivated_users_cannot_sign_in_and_their_tokens_stop(people):
    _token, raw = token_issue(actor=SYSTEM, name="script", username="mgr")
    assert token_principal(raw) is not None
    user_set_active(actor=people["p_almaty"], username="mgr", active=False)
    assert token_principal(raw) is None
    with pytest.raises(DomainError) as exc:
        sign_in(username="mgr", password=PASSWORD, client="203.0.113.1")
    assert exc.value.status == 401
    event = AuditEvent.objects.get(action="user_deactivate")
    assert (event.actor_label, event.object_id, event.changes, event.facility_id) == (
        "alm", "mgr", {"active": [True, False]}, people["hospital"].pk)
    user_set_active(actor=people["p_almaty"], username="mgr", active=True)
    assert sign_in(username="mgr", password=PASSWORD, client="203.0.113.1").username == "mgr"


def test_a_regional_coordinator_manages_only_its_regions_accounts(people):
    with pytest.raises(PermissionDenied):
        user_set_active(actor=people["p_almaty"], username="ast", active=False)
    with pytest.raises(PermissionDenied):
        user_set_password(actor=people["p_almaty"], username="nat", password="another-long-pass-7")
    with pytest.raises(PermissionDenied):
        user_unlock(actor=people["p_manager"], username="mgr")
    assert AuditEvent.objects.filter(outcome="denied", action="manage_users").count() == 3
    assert [u.username for u in user_list(viewer=people["p_almaty"])] == ["alm", "mgr"]
    assert [u.username for u in user_list(viewer=people["p_national"])] == ["alm", "ast", "mgr", "nat"]


def test_nobody_deactivates_themselves_and_unknown_names_are_404(people):
    with pytest.raises(DomainError) as exc:
        user_set_active(actor=people["p_national"], username="nat", active=False)
    assert exc.value.code == AccountError.SELF_DEACTIVATE
    with pytest.raises(NotFound) as missing:
        user_unlock(actor=people["p_national"], username="ghost")
    assert missing.value.code == AccountError.UNKNOWN_USER
    with pytest.raises(PermissionDenied):  # a non-administrator does not learn whether the name exists
        user_unlock(actor=people["p_manager"], username="ghost")


def test_unlock_lets_the_user_try_again_from_a_throttled_address(people):
    for _ in range(5):
        with pytest.raises(DomainError):
            sign_in(username="mgr", password="wrong", client=ATTACKER, now=T0)
    with pytest.raises(DomainError) as throttled:
        sign_in(username="mgr", password=PASSWORD, client=ATTACKER, now=T0)
    assert throttled.value.status == 429
    assert user_unlock(actor=people["p_almaty"], username="mgr") == 1
    assert sign_in(username="mgr", password=PASSWORD, client=ATTACKER, now=T0).username == "mgr"
    assert AuditEvent.objects.get(action="user_unlock").changes == {"cleared": 1}


def test_client_unlock_is_national_and_checks_the_address(people):
    for i in range(20):
        with pytest.raises(DomainError):
            sign_in(username=f"u{i}", password="wrong", client=ATTACKER, now=T0)
    with pytest.raises(PermissionDenied):
        client_unlock(actor=people["p_almaty"], client=ATTACKER)
    with pytest.raises(DomainError) as bad:
        client_unlock(actor=people["p_national"], client="not-an-ip")
    assert (bad.value.code, bad.value.field) == (AccountError.BAD_CLIENT, "client")
    assert client_unlock(actor=people["p_national"], client=ATTACKER) == 1
    assert sign_in(username="nat", password=PASSWORD, client=ATTACKER, now=T0).username == "nat"


def test_set_password_follows_the_rules_and_never_lands_in_the_audit(people):
    with pytest.raises(DomainError) as weak:
        user_set_password(actor=people["p_national"], username="mgr", password="123")
    assert (weak.value.code, weak.value.field) == (AccountError.WEAK_PASSWORD, "password")
    user_set_password(actor=people["p_national"], username="mgr", password="brand-new-passphrase-4")
    assert sign_in(username="mgr", password="brand-new-passphrase-4", client="203.0.113.1").username == "mgr"
    event = AuditEvent.objects.get(action="user_set_password")
    assert event.changes == {"password": "changed"} and "brand-new" not in str(event.changes)


def test_tokens_issue_list_rotate_revoke_within_scope(people):
    token, raw = token_issue(actor=people["p_manager"], name="HIS", facility_code="ADM-1")
    with pytest.raises(PermissionDenied):
        token_issue(actor=people["p_manager"], name="HIS", facility_code="ADM-2")
    with pytest.raises(PermissionDenied):  # a personal token acts as its user: user administration only
        token_issue(actor=people["p_manager"], name="mine", username="nat")
    with pytest.raises(DomainError) as owner:
        token_issue(actor=SYSTEM, name="x", facility_code="ADM-1", username="mgr")
    assert owner.value.code == AccountError.TOKEN_OWNER
    with pytest.raises(NotFound):
        token_issue(actor=SYSTEM, name="x", facility_code="NOPE")
    other, _raw = token_issue(actor=SYSTEM, name="HIS", facility_code="ADM-2")
    assert [t.pk for t in token_list(viewer=people["p_manager"])] == [token.pk]
    assert {t.pk for t in token_list(viewer=people["p_national"])} == {token.pk, other.pk}
    with pytest.raises(PermissionDenied):
        token_withdraw(actor=people["p_manager"], token_id=other.pk)
    new, new_raw = token_rotate(actor=people["p_manager"], token_id=token.pk)
    assert token_principal(raw) is None and token_principal(new_raw).facility_id == people["hospital"].pk
    assert (new.name, new.facility_id) == ("HIS", people["hospital"].pk)
    with pytest.raises(DomainError) as again:
        token_rotate(actor=people["p_manager"], token_id=token.pk)
    assert (again.value.code, again.value.status) == (AccountError.TOKEN_REVOKED, 409)
    token_withdraw(actor=people["p_almaty"], token_id=new.pk)
    assert token_principal(new_raw) is None
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1  # only Astana's
    actions = list(AuditEvent.objects.filter(object_type="api_token", outcome="ok").order_by("id")
                   .values_list("action", "actor_label"))
    assert actions == [("token_create", "mgr"), ("token_create", "system"), ("token_create", "mgr"),
                       ("token_revoke", "mgr"), ("token_revoke", "alm")]

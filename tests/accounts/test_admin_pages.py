"""Account administration pages for national administrators (issue 7): users and API tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from jedel.accounts.models import ApiToken, AuditEvent, User
from jedel.accounts.services import token_principal
from jedel.accounts.signin import sign_in
from jedel.common.errors import DomainError
from tests.accounts.hashers import HASHERS
from tests.capacity.capacity_helpers import make_facility, make_user

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def admin(kz, settings):
    settings.PASSWORD_HASHERS = HASHERS
    hospital = make_facility(kz["KZ-75"], "UI-1")
    make_user("nurse", "clinician", facility=hospital, password=PASSWORD)
    client = Client()
    client.force_login(make_user("nat", "national_coordinator"))
    return client


def test_users_page_deactivate_unlock_and_set_password(admin):
    for _ in range(5):
        with pytest.raises(DomainError):
            sign_in(username="nurse", password="wrong", client="198.51.100.7")
    page = admin.get("/accounts/users/").content.decode()
    assert "nurse" in page and "throttled" in page
    assert admin.post("/accounts/users/nurse/unlock/").status_code == 302
    assert "throttled</span>" not in admin.get("/accounts/users/").content.decode()
    assert admin.post("/accounts/users/nurse/deactivate/").status_code == 302
    assert User.objects.get(username="nurse").is_active is False
    weak = admin.post("/accounts/users/nurse/password/", {"password": "123"})
    assert weak.status_code == 422 and b"error" in weak.content
    assert admin.post("/accounts/users/nurse/password/", {"password": "fresh-passphrase-42"}).status_code == 302
    assert User.objects.get(username="nurse").check_password("fresh-passphrase-42")
    assert admin.post("/accounts/users/nurse/explode/").status_code == 404
    assert admin.post("/accounts/users/ghost/unlock/").status_code == 404
    assert {"user_unlock", "user_deactivate", "user_set_password"} <= set(
        AuditEvent.objects.values_list("action", flat=True))


def test_tokens_page_issue_rotate_revoke_shows_the_secret_once(admin):
    issued = admin.post("/accounts/tokens/", {"name": "HIS", "facility": "UI-1"})
    token = ApiToken.objects.get()
    html = issued.content.decode()
    secret = html.split('<code class="secret">')[1].split("</code>")[0]
    assert token_principal(secret) is not None
    listing = admin.get("/accounts/tokens/").content.decode()
    assert f"jdl_{token.prefix}" in listing and secret not in listing
    rotated = admin.post(f"/accounts/tokens/{token.pk}/rotate/").content.decode()
    new_secret = rotated.split('<code class="secret">')[1].split("</code>")[0]
    assert token_principal(secret) is None and token_principal(new_secret) is not None
    new = ApiToken.objects.get(revoked_at__isnull=True)
    assert admin.post(f"/accounts/tokens/{new.pk}/revoke/").status_code == 302
    assert token_principal(new_secret) is None
    bad = admin.post("/accounts/tokens/", {"name": "x", "facility": "NOPE"})
    assert bad.status_code == 422 and b"No facility has this code." in bad.content


def test_a_clinician_gets_403_not_the_pages(admin):
    client = Client()
    client.force_login(User.objects.get(username="nurse"))
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/tokens/").status_code == 403
    assert client.post("/accounts/users/nat/deactivate/").status_code == 403
    assert User.objects.get(username="nat").is_active

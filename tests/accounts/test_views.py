"""The sign-in page: after a correct sign-in, `next` is followed only when it stays on this site."""

from __future__ import annotations

import pytest
from django.test import Client

from jedel.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def user(kz):
    u = User(username="coord", role="national_coordinator", scope_level="national")
    u.set_password(PASSWORD)
    u.save()
    return u


@pytest.mark.parametrize("next_url, expected", [
    ("/facilities/ALA-1/", "/facilities/ALA-1/"),            # on this site: followed
    ("/?region=KZ-75", "/?region=KZ-75"),
    ("https://evil.example/", "/"),                          # another host: the board instead
    ("//evil.example/x", "/"),                               # scheme-relative: another host
    ("javascript:alert(1)", "/"),                            # not a URL to follow (was a 500)
    ("https://testserver.evil.example/", "/"),
    ("", "/"),
])
def test_next_is_followed_only_within_the_site(user, next_url, expected):
    response = Client().post(f"/accounts/login/?next={next_url}",
                             {"username": "coord", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, expected)

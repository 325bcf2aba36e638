"""Every response carries Content-Security-Policy and Permissions-Policy; authenticated ones are not stored
by caches (API: always `no-store`; pages: `no-store` unless the view chose its own revalidation)."""

from __future__ import annotations

import pytest
from tests.capacity.capacity_helpers import make_user

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self' ws://testserver wss://testserver; font-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def _policy(header: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in header.split(", "))


@pytest.mark.django_db
def test_pages_carry_csp_and_permissions_policy(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    policy = _policy(response["Permissions-Policy"])
    assert policy["camera"] == "(self)" and policy["geolocation"] == "(self)"
    assert {name for name, value in policy.items() if value != "()"} == {"camera", "geolocation"}
    assert policy["microphone"] == policy["payment"] == policy["usb"] == "()"


@pytest.mark.django_db
def test_the_api_and_its_docs_carry_csp(client):
    for url in ("/api/openapi.json", "/api/docs"):
        assert client.get(url)["Content-Security-Policy"] == CSP


def test_a_configured_basemap_host_may_serve_images(settings, rf):
    from jedel.common.security_headers import csp_header

    settings.JEDEL_CSP = {**settings.JEDEL_CSP, "img-src": ["'self'", "data:", "https://*.tile.example.org"]}
    assert "img-src 'self' data: https://*.tile.example.org;" in csp_header("jedel.example.kz")
    assert "connect-src 'self' ws://jedel.example.kz wss://jedel.example.kz;" in csp_header("jedel.example.kz")


def test_tile_url_template_becomes_a_wildcard_origin(monkeypatch):
    import importlib

    import jedel.config.settings as module

    monkeypatch.setenv("JEDEL_TILE_URL", "https://{s}.tile.example.org/{z}/{x}/{y}.png")
    try:
        assert importlib.reload(module).JEDEL_CSP["img-src"] == ["'self'", "data:", "https://*.tile.example.org"]
    finally:
        monkeypatch.delenv("JEDEL_TILE_URL")
        importlib.reload(module)


@pytest.mark.django_db
def test_authenticated_api_responses_are_no_store(client, kz):
    from jedel.accounts.services import SYSTEM, token_create

    user = make_user("ncc", "national_coordinator")
    raw = token_create(actor=SYSTEM, name="t", user=user)[1]
    by_token = client.get("/api/status", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert by_token.status_code == 200
    assert by_token["Cache-Control"] == "private, no-store"
    client.force_login(user)
    by_session = client.get("/api/status")
    assert by_session.status_code == 200
    assert by_session["Cache-Control"] == "private, no-store"
    assert client.get("/api/facilities/NOPE/status")["Cache-Control"] == "private, no-store"  # errors too


@pytest.mark.django_db
def test_authenticated_pages_are_private(client, kz):
    client.force_login(make_user("ncc", "national_coordinator"))
    assert client.get("/about/")["Cache-Control"] == "private, no-store"
    assert client.get("/")["Cache-Control"] == "private, no-cache"  # the board chose its own: kept
    # The board's polled partials keep their own revalidation, so an unchanged poll is still a 304.
    partial = client.get("/board/totals/")
    assert partial["Cache-Control"] == "private, no-cache"
    assert client.get("/board/totals/", HTTP_IF_NONE_MATCH=partial["ETag"]).status_code == 304


@pytest.mark.django_db
def test_anonymous_pages_are_left_to_caches_rules(client):
    assert not client.get("/about/").has_header("Cache-Control")

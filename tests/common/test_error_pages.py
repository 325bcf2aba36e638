"""Errors outside the API are pages in the site's shell (status, title, way back); under /api/ they stay JSON.
The favicon is served at /favicon.ico too, and the navigation links the API docs."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.capacity.capacity_helpers import make_user


@pytest.mark.django_db
def test_unknown_page_is_a_site_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found · Jedel</title>" in html
    assert 'class="topbar"' in html and "common/site.css" in html
    assert "This page does not exist, or it has moved." in html
    assert 'href="/"' in html  # the way back to the board


@pytest.mark.django_db
def test_unknown_api_address_stays_json(client):
    response = client.get("/api/no-such-endpoint")
    assert response.status_code == 404
    assert response.json() == {"detail": "This page does not exist, or it has moved."}


def test_server_error_page_needs_neither_request_nor_database(rf):
    from jedel.common.views import server_error

    response = server_error(rf.get("/facilities/X/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Something went wrong · Jedel</title>" in html and "common/site.css" in html
    assert server_error(rf.get("/api/status")).status_code == 500
    assert b'"detail"' in server_error(rf.get("/api/status")).content


@pytest.mark.django_db
def test_permission_denied_is_a_site_styled_403(rf):
    from django.contrib.auth.models import AnonymousUser

    from jedel.common.views import permission_denied

    request = rf.get("/facilities/X/")
    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert "You are not allowed to see this page." in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_is_a_site_styled_page(kz):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html and 'class="topbar"' in html


def test_handlers_are_wired():
    from jedel.config import urls

    assert urls.handler404 == "jedel.common.views.page_not_found"
    assert urls.handler500 == "jedel.common.views.server_error"
    assert urls.handler403 == "jedel.common.views.permission_denied"


@pytest.mark.django_db
def test_favicon_is_linked_and_served(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/common/favicon.svg" type="image/svg+xml">' in html
    redirect = client.get("/favicon.ico")
    assert (redirect.status_code, redirect["Location"]) == (301, "/static/common/favicon.svg")
    icon = client.get("/static/common/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


@pytest.mark.django_db
def test_navigation_links_the_api_docs(client, kz):
    assert '<a href="/api/docs">API</a>' in client.get("/about/").content.decode()
    client.force_login(make_user("ncc", "national_coordinator"))
    assert '<a href="/api/docs">API</a>' in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_host_is_a_site_styled_400(client):
    response = client.get("/about/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "The request could not be understood." in response.content.decode()
    assert "ws://evil.example" not in response["Content-Security-Policy"]  # never echo a refused host

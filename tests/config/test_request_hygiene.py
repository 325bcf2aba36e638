"""Request hygiene: nothing is fetched from another host (works offline), and NUL characters are refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.capacity.capacity_helpers import make_user

# Things a browser fetches by itself (scripts, styles, icons, images); plain <a> links are fine.
ASSET = re.compile(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*"([^"]+)"')


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/docs", "/", "/about/"])
def test_pages_load_assets_only_from_this_server(path, kz):
    client = Client()
    client.force_login(make_user("offline", "viewer"))
    response = client.get(path)
    assert response.status_code == 200
    assets = ASSET.findall(response.content.decode())
    assert assets, "the page should load its scripts and styles"
    external = [a for a in assets if a.startswith(("http://", "https://", "//"))]
    assert external == []


@pytest.mark.parametrize("url", ["/api/export/saner.json?region=KZ%00", "/api/status?kind=a%00b",
                                 "/api/geo/towns?reg%00ion=KZ-75"])
def test_nul_in_a_query_is_a_422_naming_the_parameter(url, kz):
    client = Client()
    client.force_login(make_user("nul", "viewer"))
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "invalid"


@pytest.mark.parametrize("page", ["1425969942719515590656", "0", "-1"])
def test_out_of_range_page_is_a_422(page, kz):
    client = Client()
    client.force_login(make_user("pager", "viewer"))
    assert client.get(f"/api/facilities?page={page}").status_code == 422


def test_last_real_page_still_works(kz):
    client = Client()
    client.force_login(make_user("pager", "viewer"))
    response = client.get("/api/facilities?page=1")
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize("url, code", [("/api/status", "service_busy"), ("/board/map.json", None)])
def test_no_database_connection_in_time_is_a_retryable_503_not_a_crash(kz, monkeypatch, url, code):
    """The pool exhausted (or the database restarting): the API and the pages both answer 503 Retry-After."""
    from django.db import OperationalError

    def no_connection(**kwargs):
        raise OperationalError("couldn't get a connection after 10.00 sec")

    monkeypatch.setattr("jedel.capacity.selectors.status.status_dumps", no_connection)
    client = Client()
    client.force_login(make_user("busy", "viewer"))
    response = client.get(url)
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    if code:
        assert response.json()["detail"][0]["code"] == code

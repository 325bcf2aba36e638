"""The system works on a hospital network cut off from the internet: no page loads anything from elsewhere."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.facilities.capacity_helpers import make_user

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

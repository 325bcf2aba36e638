"""What every browser test shares: Debian's Chromium, its launch flags, and one rule for skipping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


def browser_or_skip() -> None:
    """Skip without Chromium or Playwright, except in CI (JEDEL_REQUIRE_BROWSER=1), where that is a failure."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright  # noqa: F401
        except ImportError as exc:
            reason = f"playwright is not installed: {exc}"
    if reason and os.environ.get("JEDEL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"JEDEL_REQUIRE_BROWSER=1 but {reason}")
    if reason:
        pytest.skip(reason)


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the login form, as a person does, and wait for the board (the landing page)."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/")

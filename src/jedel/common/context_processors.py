"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Expose the few settings templates need."""
    return {
        "JEDEL_TILE_URL": settings.JEDEL_TILE_URL,
        "JEDEL_TILE_ATTRIBUTION": settings.JEDEL_TILE_ATTRIBUTION,
        "JEDEL_BOARD_POLL_SECONDS": settings.JEDEL_BOARD_POLL_SECONDS,
    }

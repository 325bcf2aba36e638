"""capacity endpoints."""

from ninja import Router

router = Router(tags=["capacity"])

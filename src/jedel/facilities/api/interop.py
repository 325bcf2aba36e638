"""interop endpoints."""

from ninja import Router

router = Router(tags=["interop"])

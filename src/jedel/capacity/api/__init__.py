"""Capacity reporting, the national status picture, its interop formats and the engines: one router."""

from __future__ import annotations

from ninja import Router

from jedel.capacity.api.engines import router as engines_router
from jedel.capacity.api.interop import router as interop_router
from jedel.capacity.api.status import router as status_router

router = Router()
router.add_router("/", status_router)
router.add_router("/", interop_router)
router.add_router("/", engines_router)

"""Facility registry, capacity and interop endpoints: one router composed from the sub-routers."""

from __future__ import annotations

from ninja import Router

from jedel.facilities.api.capacity import router as capacity_router
from jedel.facilities.api.interop import router as interop_router
from jedel.facilities.api.registry import router as registry_router

router = Router()
router.add_router("/", registry_router)
router.add_router("/", capacity_router)
router.add_router("/", interop_router)

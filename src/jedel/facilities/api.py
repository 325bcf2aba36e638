"""Facility registry and capacity endpoints: one router composed from the sub-routers."""

from __future__ import annotations

from ninja import Router

router = Router()

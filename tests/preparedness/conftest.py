"""Preparedness fixtures: the shipped instruments loaded, a facility in Almaty (KZ-75) and one in Astana (KZ-71)."""

from __future__ import annotations

import pytest

from jedel.cli.preparedness import SHIPPED
from jedel.preparedness.services.instruments import instruments_load
from tests.capacity.capacity_helpers import make_facility


def shipped_files() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SHIPPED.glob("*.json"))]


@pytest.fixture
def instruments(db):
    return {r.instrument.kind: r.instrument for r in instruments_load(shipped_files())}


@pytest.fixture
def hospitals(kz, instruments):
    return {"A": make_facility(kz["KZ-75"], "PR-A"), "B": make_facility(kz["KZ-75"], "PR-B"),
            "C": make_facility(kz["KZ-71"], "PR-C")}

"""API schemas of walk-in casualties: one registered, a count, counted ones turned into records, the summary."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from jedel.common.ids import NO_NUL
from jedel.incidents.models import WalkInCount
from jedel.incidents.schemas import AgeBandName, SexName
from jedel.incidents.selectors_walkins import WalkInRow

# Red, yellow, green, black: what a receiving hospital chooses at the door.
WalkInCategory = Literal["immediate", "delayed", "minimal", "dead"]
HospitalCode = Annotated[str, Field(min_length=1, max_length=32, pattern=NO_NUL,
                                    description="facility code; omitted: the caller's own hospital")]
Count = Annotated[StrictInt, Field(ge=1, le=500)]


class WalkInIn(Schema):
    category: WalkInCategory
    hospital: HospitalCode | None = None
    age_band: AgeBandName = "unknown"
    sex: SexName = "unknown"
    name: str = Field("", max_length=200, pattern=NO_NUL)
    description: str = Field("", max_length=2000, pattern=NO_NUL)


class WalkInCountIn(Schema):
    category: WalkInCategory
    count: Count = 1
    hospital: HospitalCode | None = None


class WalkInCountOut(Schema):
    id: int
    incident: int
    hospital: str
    category: str
    count: int
    at: datetime
    by: str
    outstanding: int = Field(description="walk-ins of this category counted here and not yet turned into records")

    @staticmethod
    def of(row: WalkInCount, outstanding: int) -> "WalkInCountOut":
        return WalkInCountOut(id=row.pk, incident=row.incident_id, hospital=row.facility.code, category=row.category,
                              count=abs(row.delta), at=row.at, by=row.actor_label, outstanding=outstanding)


class WalkInRowOut(Schema):
    hospital: str
    name: str
    individual: dict[str, int] = Field(description="walk-ins registered one by one, by category")
    counted: dict[str, int] = Field(description="walk-ins only counted (not yet records), by category")
    total: dict[str, int]

    @staticmethod
    def of(row: WalkInRow) -> "WalkInRowOut":
        return WalkInRowOut(hospital=row.code, name=row.name, individual=row.individual, counted=row.counted,
                            total=row.total)

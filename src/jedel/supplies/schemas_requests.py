"""API schemas of supply requests and shipments. Counts are JSON integers only (no strings, no booleans)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from jedel.common.errors import DomainError
from jedel.common.ids import NO_NUL, RowId
from jedel.supplies.errors import SupplyError
from jedel.supplies.selectors_requests import LineView, RequestView, ShipmentLineView, ShipmentView

RequestStatusName = Literal["submitted", "approved", "rejected", "partly_fulfilled", "fulfilled", "closed",
                            "cancelled"]
ShipmentStatusName = Literal["prepared", "dispatched", "received", "cancelled"]
Units = Annotated[StrictInt, Field(ge=1, le=1_000_000_000)]
UnitsOrZero = Annotated[StrictInt, Field(ge=0, le=1_000_000_000)]
Version = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]


def _unique(ids: list[int], field: str) -> None:
    """A line named twice is refused (the second would silently win in a mapping)."""
    seen: set[int] = set()
    for i, line_id in enumerate(ids):
        if line_id in seen:
            raise DomainError(SupplyError.INVALID, field=f"{field}.{i}.line")
        seen.add(line_id)


class SupplyRequestLineIn(Schema):
    item: RowId
    quantity: Units


class SupplyRequestIn(Schema):
    region: RowId
    facility: RowId | None = None
    source: RowId = Field(description="the warehouse asked to supply")
    destination: RowId = Field(description="the requesting region's (or facility's) warehouse that receives")
    lines: list[SupplyRequestLineIn] = Field(min_length=1, max_length=200)
    needed_by: date | None = None
    reason: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""
    incident: RowId | None = None


class DecisionLineIn(Schema):
    line: RowId
    approved: UnitsOrZero = Field(description="0 refuses the line; at most the quantity requested")


class SupplyRequestDecisionIn(Schema):
    version: Version
    lines: list[DecisionLineIn] = Field(min_length=1, max_length=200, description="every line of the request")
    note: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""

    def approved(self) -> dict[int, int]:
        _unique([x.line for x in self.lines], "lines")
        return {x.line: x.approved for x in self.lines}


class SupplyRequestCancelIn(Schema):
    version: Version
    reason: Annotated[str, Field(max_length=500, pattern=NO_NUL)] = ""


class SupplyRequestCloseIn(Schema):
    version: Version
    reason: Annotated[str, Field(min_length=1, max_length=500, pattern=NO_NUL)] = Field(
        description="why the rest will not be sent (shown to the requester)")


class ShipmentLineIn(Schema):
    line: RowId = Field(description="a line of the request")
    quantity: Units


class ShipmentPrepareIn(Schema):
    lines: list[ShipmentLineIn] = Field(min_length=1, max_length=200)
    carrier: Annotated[str, Field(max_length=200, pattern=NO_NUL)] = ""

    def units(self) -> dict[int, int]:
        _unique([x.line for x in self.lines], "lines")
        return {x.line: x.quantity for x in self.lines}


class ShipmentVersionIn(Schema):
    version: Version


class ReceivedLineIn(Schema):
    line: RowId = Field(description="a line of the shipment")
    received: UnitsOrZero
    note: Annotated[str, Field(max_length=300, pattern=NO_NUL)] = ""


class ShipmentReceiveIn(Schema):
    lines: list[ReceivedLineIn] = Field(default_factory=list, max_length=200,
                                        description="lines left out arrived whole")

    def received(self) -> dict[int, int]:
        _unique([x.line for x in self.lines], "lines")
        return {x.line: x.received for x in self.lines}

    def notes(self) -> dict[int, str]:
        return {x.line: x.note for x in self.lines if x.note.strip()}


class SupplyRequestLineOut(Schema):
    id: int
    item: int
    item_code: str
    requested: int
    approved: int | None
    prepared: int
    shipped: int
    received: int
    outstanding: int

    @staticmethod
    def of(v: LineView) -> SupplyRequestLineOut:
        ln = v.line
        return SupplyRequestLineOut(id=ln.pk, item=ln.item_id, item_code=ln.item.code,
                                    requested=ln.quantity_requested, approved=ln.quantity_approved,
                                    prepared=v.prepared, shipped=v.shipped, received=v.received,
                                    outstanding=v.outstanding)


class ShipmentLineOut(Schema):
    id: int
    line: int
    item_code: str
    sent: int
    received: int | None
    discrepancy: int | None = Field(description="units sent but not received; null until received")
    note: str

    @staticmethod
    def of(v: ShipmentLineView) -> ShipmentLineOut:
        sl = v.line
        return ShipmentLineOut(id=sl.pk, line=sl.line_id, item_code=sl.line.item.code, sent=sl.quantity_sent,
                               received=sl.quantity_received, discrepancy=v.discrepancy, note=sl.discrepancy_note)


class ShipmentOut(Schema):
    id: int
    version: int
    request: int
    status: ShipmentStatusName
    carrier: str
    prepared_by: str
    dispatched_at: datetime | None
    dispatched_by: str
    received_at: datetime | None
    received_by: str
    lines: list[ShipmentLineOut]

    @staticmethod
    def of(v: ShipmentView) -> ShipmentOut:
        s = v.shipment
        return ShipmentOut(id=s.pk, version=s.version, request=s.request_id, status=s.status,  # type: ignore[arg-type]
                           carrier=s.carrier, prepared_by=s.prepared_by_label, dispatched_at=s.dispatched_at,
                           dispatched_by=s.dispatched_by_label, received_at=s.received_at,
                           received_by=s.received_by_label, lines=[ShipmentLineOut.of(x) for x in v.lines])


class SupplyRequestSummaryOut(Schema):
    id: int
    version: int
    status: RequestStatusName
    region: int
    facility: int | None
    incident: int | None
    source: int
    destination: int
    needed_by: date | None
    requested_by: str
    created_at: datetime

    @classmethod
    def fields_of(cls, r: object) -> dict[str, object]:
        return dict(id=r.pk, version=r.version, status=r.status, region=r.region_id,  # type: ignore[attr-defined]
                    facility=r.facility_id, incident=r.incident_id, source=r.source_id,  # type: ignore[attr-defined]
                    destination=r.destination_id, needed_by=r.needed_by,  # type: ignore[attr-defined]
                    requested_by=r.requested_by_label, created_at=r.created_at)  # type: ignore[attr-defined]

    @staticmethod
    def of(r: object) -> SupplyRequestSummaryOut:
        return SupplyRequestSummaryOut(**SupplyRequestSummaryOut.fields_of(r))  # type: ignore[arg-type]


class SupplyRequestOut(SupplyRequestSummaryOut):
    reason: str
    decided_by: str
    decided_at: datetime | None
    decision_note: str
    lines: list[SupplyRequestLineOut]
    shipments: list[ShipmentOut]

    @staticmethod
    def of(v: RequestView) -> SupplyRequestOut:  # type: ignore[override]
        r = v.request
        return SupplyRequestOut(**SupplyRequestSummaryOut.fields_of(r), reason=r.reason,  # type: ignore[arg-type]
                                decided_by=r.decided_by_label, decided_at=r.decided_at,
                                decision_note=r.decision_note, lines=[SupplyRequestLineOut.of(x) for x in v.lines],
                                shipments=[ShipmentOut.of(s) for s in v.shipments])

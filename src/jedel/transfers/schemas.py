"""API schemas of the transfers app."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from jedel.common.ids import RowId
from jedel.transfers.clocks import stage_minutes, waiting_min
from jedel.transfers.engines import DispatchOption, Ranking
from jedel.transfers.models import Mission, Transfer, TransferEvent, TransportAsset

Code = Annotated[str, Field(min_length=1, max_length=32)]
Reason = Annotated[str, Field(min_length=1, max_length=500)]
StepName = Literal["at_patient", "departed", "delivered", "back_at_base"]
AssetStatusName = Literal["available", "maintenance", "weather_grounded"]


class TransferIn(Schema):
    reference: Annotated[str, Field(min_length=1, max_length=40)]
    origin: Code
    destination: Code | None = Field(None, description="receiving facility code; empty: NCCEM decides")
    urgency: Literal["emergency", "urgent", "planned"]
    diagnosis: Annotated[str, Field(min_length=1, max_length=500)]
    bed_type: Code = Field(description="HAvBED bed type needed (EDXL-HAVE name, e.g. AdultICU)")
    capabilities: list[Code] = Field(default_factory=list, max_length=10)
    needs: list[Code] = Field(default_factory=list, max_length=10)
    triage_category: Literal["", "immediate", "delayed", "minimal", "expectant"] = ""
    rpm: Annotated[int, Field(ge=0, le=12)] | None = None
    ventilated: bool = False
    oxygen: bool = False
    infusion_pumps: Annotated[int, Field(ge=0, le=20)] = 0
    casualty: RowId | None = None


class TransferVersionIn(Schema):
    version: Annotated[int, Field(ge=1)] | None = None


class TransferReasonIn(TransferVersionIn):
    reason: Reason


class TransferRouteIn(TransferVersionIn):
    destination: Code


class TransferAssignIn(TransferVersionIn):
    asset: RowId


CrewName = Literal["physician", "paramedic", "neonatal", "critical_care"]
CallSign = Annotated[str, Field(min_length=1, max_length=32)]
Operator = Annotated[str, Field(max_length=120)]


class TransportAssetIn(Schema):
    call_sign: CallSign
    kind: Literal["helicopter", "fixed_wing", "road"]
    base: Code = Field(description="code of the base facility (airfield, hospital or EMS station)")
    operator: Operator = ""
    crew_type: CrewName = "physician"
    equipment: list[Code] = Field(default_factory=list, max_length=10)
    night_capable: bool = False


class TransportAssetPatchIn(Schema):
    version: Annotated[int, Field(ge=1)]
    call_sign: CallSign | None = None
    base: Code | None = None
    operator: Operator | None = None
    crew_type: CrewName | None = None
    equipment: list[Code] | None = Field(None, max_length=10)
    night_capable: bool | None = None


class MissionStepIn(Schema):
    step: StepName


class TransportAssetStatusIn(TransferVersionIn):
    status: AssetStatusName


class TransferOut(Schema):
    id: int
    reference: str
    state: str
    urgency: str
    origin: str
    origin_region: str
    destination: str | None
    diagnosis: str
    triage_category: str
    rpm: int | None
    ventilated: bool
    oxygen: bool
    infusion_pumps: int
    capabilities: list[str]
    bed_type: str
    needs: list[str]
    requested_at: datetime
    requested_by: str
    expires_at: datetime
    accepted_at: datetime | None
    arranged_at: datetime | None
    departed_at: datetime | None
    arrived_at: datetime | None
    closed_at: datetime | None
    close_reason: str
    mode: str
    eta: datetime | None
    version: int
    waiting_min: float
    to_acceptance_min: float | None
    to_departure_min: float | None
    to_arrival_min: float | None

    @staticmethod
    def of(t: Transfer, now: datetime) -> TransferOut:
        return TransferOut(
            id=t.pk, reference=t.reference, state=t.state, urgency=t.urgency, origin=t.origin.code,
            origin_region=t.origin.region.iso_code, destination=t.destination.code if t.destination else None,
            diagnosis=t.diagnosis, triage_category=t.triage_category, rpm=t.rpm, ventilated=t.ventilated,
            oxygen=t.oxygen, infusion_pumps=t.infusion_pumps, capabilities=t.capabilities, bed_type=t.bed_type,
            needs=t.needs, requested_at=t.requested_at, requested_by=t.requested_by_label, expires_at=t.expires_at,
            accepted_at=t.accepted_at, arranged_at=t.arranged_at, departed_at=t.departed_at,
            arrived_at=t.arrived_at, closed_at=t.closed_at, close_reason=t.close_reason, mode=t.mode, eta=t.eta,
            version=t.version, waiting_min=waiting_min(t, now), **stage_minutes(t))


class TransferEventOut(Schema):
    at: datetime
    kind: str
    from_state: str
    state: str
    by: str
    facility: str | None
    reason: str

    @staticmethod
    def of(e: TransferEvent) -> TransferEventOut:
        return TransferEventOut(at=e.at, kind=e.kind, from_state=e.from_state, state=e.state, by=e.actor_label,
                        facility=e.facility.code if e.facility else None, reason=e.reason)


class TransferMissionOut(Schema):
    asset: str
    kind: str
    step: str
    dispatched_at: datetime
    at_patient_at: datetime | None
    departed_at: datetime | None
    delivered_at: datetime | None
    back_at_base_at: datetime | None
    eta_at_patient: datetime
    eta_delivered: datetime

    @staticmethod
    def of(m: Mission) -> TransferMissionOut:
        return TransferMissionOut(asset=m.asset.call_sign, kind=m.asset.kind, step=m.step, dispatched_at=m.dispatched_at,
                          at_patient_at=m.at_patient_at, departed_at=m.departed_at, delivered_at=m.delivered_at,
                          back_at_base_at=m.back_at_base_at, eta_at_patient=m.eta_at_patient,
                          eta_delivered=m.eta_delivered)


class TransferDetailOut(Schema):
    transfer: TransferOut
    events: list[TransferEventOut]
    missions: list[TransferMissionOut]
    declined_by: list[str]


class TransferDestinationOut(Schema):
    code: str
    name: str
    distance_km: float
    travel_min: float
    beds_available: int


class DestinationRankingOut(Schema):
    feasible: bool
    reason_code: str
    reason: str
    destinations: list[TransferDestinationOut]

    @staticmethod
    def of(r: Ranking) -> DestinationRankingOut:
        return DestinationRankingOut(feasible=not r.reason_code, reason_code=r.reason_code, reason=r.reason, destinations=[
            TransferDestinationOut(code=d.code, name=d.name, distance_km=round(d.distance_km, 1),
                           travel_min=round(d.travel_min, 1), beds_available=d.beds_available)
            for d in r.destinations])


class TransferDispatchOptionOut(Schema):
    asset: int
    call_sign: str
    kind: str
    base: str
    feasible: bool
    reason: str
    at_patient_min: float | None
    delivered_min: float | None

    @staticmethod
    def of(o: DispatchOption) -> TransferDispatchOptionOut:
        finite = o.delivered_min != float("inf")
        return TransferDispatchOptionOut(asset=o.asset_id, call_sign=o.call_sign, kind=o.kind, base=o.base,
                                 feasible=o.feasible, reason=o.reason,
                                 at_patient_min=round(o.at_patient_min, 1) if finite else None,
                                 delivered_min=round(o.delivered_min, 1) if finite else None)


class TransportAssetOut(Schema):
    id: int
    call_sign: str
    kind: str
    operator: str
    base: str
    region: str
    status: str
    crew_type: str
    equipment: list[str]
    night_capable: bool
    version: int

    @staticmethod
    def of(a: TransportAsset) -> TransportAssetOut:
        return TransportAssetOut(id=a.pk, call_sign=a.call_sign, kind=a.kind, operator=a.operator, base=a.base.code,
                        region=a.region.iso_code, status=a.status, crew_type=a.crew_type, equipment=a.equipment,
                        night_capable=a.night_capable, version=a.version)


class TransferStatsRowOut(Schema):
    region: str
    month: str
    requests: int
    accepted: int
    arrived: int
    declines: int
    by_air: int
    air_share_pct: float | None
    median_to_acceptance_min: float | None
    median_to_departure_min: float | None
    median_to_arrival_min: float | None

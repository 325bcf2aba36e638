"""Transfers, their receiving-side ranking, dispatch options and missions, transport assets and statistics."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from jedel.common.clock import utcnow
from jedel.common.ids import RowIdParam
from jedel.transfers import selectors
from jedel.transfers.engines import destinations_rank, dispatch_options
from jedel.transfers.export_fhir import transfer_bundle
from jedel.transfers.schemas import (
    TransportAssetOut,
    TransportAssetStatusIn,
    TransportAssetIn,
    TransportAssetPatchIn,
    TransferAssignIn,
    TransferDispatchOptionOut,
    TransferMissionOut,
    DestinationRankingOut,
    TransferReasonIn,
    TransferRouteIn,
    TransferStatsRowOut,
    MissionStepIn,
    TransferDetailOut,
    TransferIn,
    TransferOut,
    TransferVersionIn,
    TransferEventOut,
)
from jedel.transfers.services import assets, dispatch, requests
from jedel.transfers.stats import stats_csv, transfer_stats

router = Router(tags=["transfers"])


def _detail(t: Any) -> TransferDetailOut:
    return TransferDetailOut(transfer=TransferOut.of(t, utcnow()), events=[TransferEventOut.of(e) for e in requests.timeline(t)],
                             missions=[TransferMissionOut.of(m) for m in selectors.missions_of(t)],
                             declined_by=[d.facility.code for d in t.declines.select_related("facility")])


@router.post("/transfers", response={201: TransferOut})
def create_transfer(request: HttpRequest, data: TransferIn) -> Any:
    payload = data.model_dump()
    payload["casualty_id"] = payload.pop("casualty")
    t = requests.transfer_create(actor=request.auth, data=requests.TransferInput(**payload))  # type: ignore[attr-defined]
    return Status(201, TransferOut.of(t, utcnow()))


@router.get("/transfers", response=list[TransferOut])
def list_transfers(request: HttpRequest, state: str | None = None, open: bool = False,
                   region: RowIdParam | None = None) -> Any:
    rows = selectors.transfer_list(viewer=request.auth, state=state, open_only=open, region_id=region)  # type: ignore[attr-defined]
    now = utcnow()
    return [TransferOut.of(t, now) for t in rows]


@router.get("/transfers/stats", response=list[TransferStatsRowOut])
def get_transfer_stats(request: HttpRequest) -> Any:
    return [asdict(r) for r in transfer_stats(viewer=request.auth)]  # type: ignore[attr-defined]


@router.get("/transfers/stats.csv")
def export_transfer_stats_csv(request: HttpRequest) -> HttpResponse:
    text = stats_csv(transfer_stats(viewer=request.auth))  # type: ignore[attr-defined]
    return HttpResponse(text, content_type="text/csv; charset=utf-8")


@router.get("/transfers/{transfer_id}", response=TransferDetailOut)
def get_transfer(request: HttpRequest, transfer_id: RowIdParam) -> Any:
    return _detail(selectors.transfer_get(viewer=request.auth, transfer_id=transfer_id))  # type: ignore[attr-defined]


@router.get("/transfers/{transfer_id}/fhir")
def export_transfer_fhir(request: HttpRequest, transfer_id: RowIdParam) -> Any:
    return transfer_bundle(selectors.transfer_get(viewer=request.auth, transfer_id=transfer_id))  # type: ignore[attr-defined]


@router.get("/transfers/{transfer_id}/destinations", response=DestinationRankingOut)
def rank_transfer_destinations(request: HttpRequest, transfer_id: RowIdParam) -> Any:
    t = selectors.transfer_get(viewer=request.auth, transfer_id=transfer_id)  # type: ignore[attr-defined]
    return DestinationRankingOut.of(destinations_rank(t, now=utcnow()))


@router.get("/transfers/{transfer_id}/dispatch-options", response=list[TransferDispatchOptionOut])
def list_dispatch_options(request: HttpRequest, transfer_id: RowIdParam) -> Any:
    t = selectors.transfer_get(viewer=request.auth, transfer_id=transfer_id)  # type: ignore[attr-defined]
    if t.destination is None:
        return []
    assets = selectors.asset_list(viewer=request.auth)  # type: ignore[attr-defined]
    return [TransferDispatchOptionOut.of(o) for o in dispatch_options(t, assets, now=utcnow())]


@router.post("/transfers/{transfer_id}/route", response=TransferOut)
def route_transfer(request: HttpRequest, transfer_id: RowIdParam, data: TransferRouteIn) -> Any:
    t = requests.transfer_route(actor=request.auth, transfer_id=transfer_id, destination=data.destination,  # type: ignore[attr-defined]
                                version=data.version)
    return TransferOut.of(t, utcnow())


@router.post("/transfers/{transfer_id}/accept", response=TransferOut)
def accept_transfer(request: HttpRequest, transfer_id: RowIdParam, data: TransferVersionIn) -> Any:
    t = requests.transfer_accept(actor=request.auth, transfer_id=transfer_id, version=data.version)  # type: ignore[attr-defined]
    return TransferOut.of(t, utcnow())


@router.post("/transfers/{transfer_id}/decline", response=TransferOut)
def decline_transfer(request: HttpRequest, transfer_id: RowIdParam, data: TransferReasonIn) -> Any:
    t = requests.transfer_decline(actor=request.auth, transfer_id=transfer_id, reason=data.reason,  # type: ignore[attr-defined]
                                  version=data.version)
    return TransferOut.of(t, utcnow())


@router.post("/transfers/{transfer_id}/cancel", response=TransferOut)
def cancel_transfer(request: HttpRequest, transfer_id: RowIdParam, data: TransferReasonIn) -> Any:
    t = requests.transfer_cancel(actor=request.auth, transfer_id=transfer_id, reason=data.reason,  # type: ignore[attr-defined]
                                 version=data.version)
    return TransferOut.of(t, utcnow())


@router.post("/transfers/{transfer_id}/assign", response=TransferMissionOut)
def assign_transfer_asset(request: HttpRequest, transfer_id: RowIdParam, data: TransferAssignIn) -> Any:
    m = dispatch.transfer_assign(actor=request.auth, transfer_id=transfer_id, asset_id=data.asset,  # type: ignore[attr-defined]
                                 version=data.version)
    return TransferMissionOut.of(m)


@router.post("/transfers/{transfer_id}/mission", response=TransferMissionOut)
def record_mission_step(request: HttpRequest, transfer_id: RowIdParam, data: MissionStepIn) -> Any:
    return TransferMissionOut.of(dispatch.mission_step(actor=request.auth, transfer_id=transfer_id, step=data.step))  # type: ignore[attr-defined]


@router.get("/transport-assets", response=list[TransportAssetOut])
def list_transport_assets(request: HttpRequest, kind: str | None = None) -> Any:
    return [TransportAssetOut.of(a) for a in selectors.asset_list(viewer=request.auth, kind=kind)]  # type: ignore[attr-defined]


@router.post("/transport-assets/{asset_id}/status", response=TransportAssetOut)
def set_transport_asset_status(request: HttpRequest, asset_id: RowIdParam, data: TransportAssetStatusIn) -> Any:
    a = dispatch.asset_status_set(actor=request.auth, asset_id=asset_id, status=data.status, version=data.version)  # type: ignore[attr-defined]
    return TransportAssetOut.of(a)


@router.post("/transport-assets", response={201: TransportAssetOut})
def create_transport_asset(request: HttpRequest, data: TransportAssetIn) -> Any:
    a = assets.asset_create(actor=request.auth, data=assets.AssetInput(**data.model_dump()))  # type: ignore[attr-defined]
    return Status(201, TransportAssetOut.of(a))


@router.patch("/transport-assets/{asset_id}", response=TransportAssetOut)
def update_transport_asset(request: HttpRequest, asset_id: RowIdParam, data: TransportAssetPatchIn) -> Any:
    changes = data.model_dump(exclude={"version"})
    a = assets.asset_update(actor=request.auth, asset_id=asset_id, version=data.version, changes=changes)  # type: ignore[attr-defined]
    return TransportAssetOut.of(a)

"""Dispatch: assigning a transport asset to an accepted transfer, the mission's steps, and assets' status.

Two dispatchers assigning one aircraft, or two aircraft to one request, at once: the transfer row, then the asset
row, are locked (`select_for_update`), so they are served one after the other and the second sees the first's
mission (409 `transfer_already_arranged` / `transfer_asset_on_mission`); the partial unique constraints on open
missions back the locks in the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError
from jedel.transfers.engines import asset_option
from jedel.transfers.errors import TransferError
from jedel.transfers.models import MISSION_STEPS, AssetKind, AssetStatus, Mission, Transfer, TransportAsset
from jedel.transfers.permissions import DISPATCH_AIR, DISPATCH_TRANSFER, MANAGE_ASSETS, origin_target
from jedel.transfers.realtime import asset_changed_publish
from jedel.transfers.selectors import asset_get
from jedel.transfers.services.common import check_transition, check_version, locked, step_record, transfer_of

# Mission step -> the transfer state it brings (None: the transfer's state does not change).
STEP_STATE = {"at_patient": None, "departed": "departed", "delivered": "arrived", "back_at_base": None}


def transfer_assign(*, actor: Principal | None, transfer_id: int, asset_id: int, version: int | None = None,
                    now: datetime | None = None) -> Mission:
    """Dispatch `asset` for an accepted transfer: aircraft by NCCEM (national), road crews by the coordinators
    over the sending region. Refused when the asset is on another mission, not available, or unsuitable."""
    transfer = transfer_of(transfer_id)
    asset = asset_get(asset_id)
    action = DISPATCH_TRANSFER if asset.kind == AssetKind.ROAD else DISPATCH_AIR
    require(actor, action, origin_target(transfer), object_type="transfer", object_id=transfer.pk)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        transfer = locked(transfer_id)
        current = Mission.objects.filter(transfer=transfer, ended_at__isnull=True).first()
        if current is not None:
            if current.asset_id == asset.pk:
                return current  # idempotent: this very assignment happened
            raise Conflict(TransferError.ALREADY_ARRANGED, field="transfer_id")
        check_version(transfer, version)
        check_transition(transfer, "transport_arranged")
        asset = TransportAsset.objects.select_for_update(of=("self",)).select_related("base").get(pk=asset.pk)
        if Mission.objects.filter(asset=asset, ended_at__isnull=True).exists() or asset.status == "on_mission":
            raise Conflict(TransferError.ASSET_BUSY, field="asset")
        if asset.status != AssetStatus.AVAILABLE:
            raise Conflict(TransferError.ASSET_UNAVAILABLE, field="asset",
                           detail=f"{TransferError.ASSET_UNAVAILABLE.message} ({asset.status})")
        option = asset_option(asset, transfer, now=now, busy=set())
        if not option.feasible:
            raise DomainError(TransferError.ASSET_UNSUITABLE, field="asset",
                              detail=f"{TransferError.ASSET_UNSUITABLE.message} ({option.reason})")
        mission = Mission.objects.create(
            transfer=transfer, asset=asset, dispatched_at=now, dispatched_by_label=actor.label[:200],
            eta_at_patient=now + timedelta(minutes=option.at_patient_min),
            eta_delivered=now + timedelta(minutes=option.delivered_min))
        asset.status, asset.version = AssetStatus.ON_MISSION, asset.version + 1
        asset.save(update_fields=["status", "version", "updated_at"])
        before = transfer.state
        transfer.state, transfer.arranged_at, transfer.mode = "transport_arranged", now, asset.kind
        transfer.eta = mission.eta_delivered
        step_record(actor=actor, transfer=transfer, before=before, kind="transfer.arranged", action=action.name,
                    now=now, data={"asset": asset.call_sign, "mode": asset.kind,
                                   "at_patient_min": round(option.at_patient_min, 1),
                                   "delivered_min": round(option.delivered_min, 1)},
                    fields=["arranged_at", "mode", "eta"])
        asset_changed_publish(asset)
    return mission


def mission_step(*, actor: Principal | None, transfer_id: int, step: str, now: datetime | None = None) -> Mission:
    """Record the next step of the transfer's mission: at_patient, departed, delivered, back_at_base (in order).
    Departed and delivered move the transfer to departed / arrived; back at base frees the asset. Repeating the
    step the mission is at changes nothing."""
    transfer = transfer_of(transfer_id)
    require(actor, DISPATCH_TRANSFER, origin_target(transfer), object_type="transfer", object_id=transfer.pk)
    assert actor is not None
    if step not in MISSION_STEPS[1:]:
        raise DomainError(TransferError.BAD_STEP, field="step")
    now = now or utcnow()
    with transaction.atomic():
        transfer = locked(transfer_id)
        mission = (Mission.objects.select_for_update().filter(transfer=transfer).order_by("-dispatched_at", "-pk")
                   .first())
        if mission is None or (mission.ended_at is not None and mission.step != "back_at_base"):
            raise Conflict(TransferError.NO_MISSION, field="transfer_id")
        if mission.step == step:
            return mission  # idempotent
        if MISSION_STEPS.index(step) != MISSION_STEPS.index(mission.step) + 1:
            raise Conflict(TransferError.BAD_STEP, field="step")
        mission.step = step
        setattr(mission, f"{step}_at", now)
        fields = ["step", f"{step}_at"]
        asset = TransportAsset.objects.select_for_update().get(pk=mission.asset_id)
        if step == "back_at_base":
            mission.ended_at = now
            fields.append("ended_at")
            asset.status, asset.version = AssetStatus.AVAILABLE, asset.version + 1
            asset.save(update_fields=["status", "version", "updated_at"])
            asset_changed_publish(asset)
        mission.save(update_fields=fields)
        to = STEP_STATE[step]
        before = transfer.state
        extra: list[str] = []
        if to is not None:
            check_transition(transfer, to)
            transfer.state = to
            extra = ["departed_at"] if to == "departed" else ["arrived_at", "closed_at"]
            for name in extra:
                setattr(transfer, name, now)
        step_record(actor=actor, transfer=transfer, before=before, kind=f"mission.{step}",
                    action=DISPATCH_TRANSFER.name, now=now, data={"asset": asset.call_sign, "step": step},
                    fields=extra)
    return mission


def mission_close_for_cancel(transfer: Transfer, now: datetime) -> None:
    """A cancelled transfer's open mission ends and its asset is available again (inside the caller's lock)."""
    mission = Mission.objects.select_for_update().filter(transfer=transfer, ended_at__isnull=True).first()
    if mission is None:
        return
    Mission.objects.filter(pk=mission.pk).update(ended_at=now)
    asset = TransportAsset.objects.select_for_update().get(pk=mission.asset_id)
    asset.status, asset.version = AssetStatus.AVAILABLE, asset.version + 1
    asset.save(update_fields=["status", "version", "updated_at"])
    asset_changed_publish(asset)


def asset_status_set(*, actor: Principal | None, asset_id: int, status: str, version: int | None = None,
                     now: datetime | None = None) -> TransportAsset:
    """Set an asset to available, maintenance or weather-grounded (on mission comes from dispatch only)."""
    asset = asset_get(asset_id)
    require(actor, MANAGE_ASSETS, asset, object_type="transport_asset", object_id=asset.pk)
    assert actor is not None
    if status not in (AssetStatus.AVAILABLE, AssetStatus.MAINTENANCE, AssetStatus.WEATHER_GROUNDED):
        raise DomainError(TransferError.ASSET_UNAVAILABLE, field="status")
    with transaction.atomic():
        asset = TransportAsset.objects.select_for_update().get(pk=asset_id)
        if asset.status == status:
            return asset
        if version is not None and version != asset.version:
            raise Conflict(TransferError.STALE_VERSION, field="version")
        if Mission.objects.filter(asset=asset, ended_at__isnull=True).exists():
            raise Conflict(TransferError.ASSET_BUSY, field="asset")
        before = asset.status
        asset.status, asset.version = status, asset.version + 1
        asset.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=actor, action=MANAGE_ASSETS.name, object_type="transport_asset", object_id=asset.pk,
                     region_id=asset.region_id, changes={"from": before, "to": status}, now=now)
        asset_changed_publish(asset)
    return asset

"""Adding and editing transport assets: aircraft (NCCEM, national coordinators) and road ambulances (regional).

The base is an active facility (an airfield or hospital for aircraft, an EMS station for road ambulances); the
asset's region follows its base. Status is set separately (dispatch.asset_status_set); kind never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from jedel.accounts.policy import Action, Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.facilities.models import Facility
from jedel.transfers.errors import TransferError
from jedel.transfers.models import AssetKind, CrewType, Need, TransportAsset
from jedel.transfers.permissions import MANAGE_AIRCRAFT, MANAGE_ROAD_FLEET
from jedel.transfers.realtime import asset_changed_publish
from jedel.transfers.selectors import asset_get


@dataclass
class AssetInput:
    call_sign: str
    kind: str
    base: str
    operator: str = ""
    crew_type: str = "physician"
    equipment: list[str] = field(default_factory=list)
    night_capable: bool = False


def _action(kind: str) -> Action:
    return MANAGE_ROAD_FLEET if kind == AssetKind.ROAD else MANAGE_AIRCRAFT


def _base(code: str) -> Facility:
    base = Facility.objects.select_related("region").filter(code=code, active=True).first()
    if base is None:
        raise NotFound(TransferError.UNKNOWN_FACILITY, field="base")
    return base


def _equipment(values: list[str]) -> list[str]:
    if any(v not in Need.values for v in values):
        raise DomainError(TransferError.UNKNOWN_NEED, field="equipment")
    return sorted(set(values))


def _check(asset: TransportAsset) -> None:
    """The page's form is not the API's schema: the same limits, checked here for both."""
    bad = ("call_sign" if not asset.call_sign or len(asset.call_sign) > 32 else
           "kind" if asset.kind not in AssetKind.values else
           "crew_type" if asset.crew_type not in CrewType.values else
           "operator" if len(asset.operator) > 120 else None)
    if bad:
        raise DomainError(TransferError.BAD_ASSET_FIELD, field=bad)


def _save(asset: TransportAsset) -> None:
    _check(asset)
    try:
        with transaction.atomic():
            asset.save()
    except IntegrityError as exc:  # the unique call sign, taken meanwhile or already
        raise Conflict(TransferError.CALL_SIGN_TAKEN, field="call_sign") from exc


def asset_create(*, actor: Principal | None, data: AssetInput) -> TransportAsset:
    base = _base(data.base)
    action = _action(data.kind)
    who = require(actor, action, Target(region_id=base.region_id, facility_id=base.pk), object_type="transport_asset")
    asset = TransportAsset(call_sign=data.call_sign, kind=data.kind, operator=data.operator, base=base,
                           region=base.region, crew_type=data.crew_type, equipment=_equipment(data.equipment),
                           night_capable=data.night_capable)
    if TransportAsset.objects.filter(call_sign=data.call_sign).exists():
        raise Conflict(TransferError.CALL_SIGN_TAKEN, field="call_sign")
    with transaction.atomic():
        _save(asset)
        audit_record(actor=who, action=action.name, object_type="transport_asset", object_id=asset.pk,
                     region_id=asset.region_id, changes={"created": data.call_sign})
        asset_changed_publish(asset)
    return asset


def asset_update(*, actor: Principal | None, asset_id: int, version: int, changes: dict[str, object]) -> TransportAsset:
    """Apply the given fields (call_sign, operator, base, crew_type, equipment, night_capable) at `version`."""
    asset = asset_get(asset_id)
    action = _action(asset.kind)
    who = require(actor, action, asset, object_type="transport_asset", object_id=asset.pk)
    new_base = _base(str(changes["base"])) if changes.get("base") is not None else None
    if new_base is not None:  # moving it: the actor must manage the new base's region too
        require(actor, action, Target(region_id=new_base.region_id, facility_id=new_base.pk),
                object_type="transport_asset", object_id=asset.pk)
    equipment = _equipment(list(changes["equipment"])) if changes.get("equipment") is not None else None  # type: ignore[call-overload]
    with transaction.atomic():
        asset = TransportAsset.objects.select_for_update().select_related("base", "region").get(pk=asset_id)
        if version != asset.version:
            raise Conflict(TransferError.STALE_VERSION, field="version")
        for name in ("call_sign", "operator", "crew_type", "night_capable"):
            if changes.get(name) is not None:
                setattr(asset, name, changes[name])
        if new_base is not None:
            asset.base, asset.region = new_base, new_base.region
        if equipment is not None:
            asset.equipment = equipment
        if TransportAsset.objects.filter(call_sign=asset.call_sign).exclude(pk=asset.pk).exists():
            raise Conflict(TransferError.CALL_SIGN_TAKEN, field="call_sign")
        asset.version += 1
        _save(asset)
        audit_record(actor=who, action=action.name, object_type="transport_asset", object_id=asset.pk,
                     region_id=asset.region_id, changes={k: v for k, v in changes.items() if v is not None})
        asset_changed_publish(asset)
    return asset

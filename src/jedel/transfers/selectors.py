"""Reads of transfers and transport assets; the permission check happens here for reads."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.capacity.selectors.status import status_rows
from jedel.common.errors import NotFound
from jedel.facilities.models import Facility, FacilityKind
from jedel.transfers.errors import TransferError
from jedel.transfers.models import OPEN_STATES, Mission, Transfer, TransportAsset
from jedel.transfers.permissions import VIEW_ASSETS, VIEW_TRANSFERS

_RELATED = ("origin", "origin__region", "destination", "destination__region")


def own_scope(p: Principal | None) -> Target:
    """The caller's own scope as a target (lists are filtered to it)."""
    if p is None:
        return Target()
    return Target(region_id=p.region_id, facility_id=p.facility_id)


def transfer_get(*, viewer: Principal | None, transfer_id: int) -> Transfer:
    """One transfer the viewer may see (404 when none, 403 when out of scope)."""
    transfer = Transfer.objects.select_related(*_RELATED).filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound(TransferError.NOT_FOUND, field="transfer_id")
    require(viewer, VIEW_TRANSFERS, transfer, object_type="transfer", object_id=transfer.pk)
    return transfer


def _scoped(viewer: Principal, qs: QuerySet[Transfer]) -> QuerySet[Transfer]:
    if viewer.scope_level == ScopeLevel.NATIONAL:
        return qs
    if viewer.scope_level == ScopeLevel.REGION:
        return qs.filter(Q(origin__region_id=viewer.region_id) | Q(destination__region_id=viewer.region_id))
    return qs.filter(Q(origin_id=viewer.facility_id) | Q(destination_id=viewer.facility_id))


def transfer_list(*, viewer: Principal | None, state: str | None = None, open_only: bool = False,
                  region_id: int | None = None, receiving_facility_id: int | None = None,
                  limit: int = 200) -> list[Transfer]:
    """Transfers within the viewer's scope, newest first; filters by state, open, region (of either end)."""
    require(viewer, VIEW_TRANSFERS, own_scope(viewer), object_type="transfer")
    assert viewer is not None
    qs = _scoped(viewer, Transfer.objects.select_related(*_RELATED))
    if state:
        qs = qs.filter(state=state)
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if region_id is not None:
        qs = qs.filter(Q(origin__region_id=region_id) | Q(destination__region_id=region_id))
    if receiving_facility_id is not None:
        qs = qs.filter(destination_id=receiving_facility_id)
    return list(qs[:limit])


def transfer_rows_all(*, since: datetime | None = None) -> QuerySet[Transfer]:
    """Every transfer (statistics: aggregated, no personal data; the caller checked the stats action)."""
    qs = Transfer.objects.select_related("origin__region", "destination")
    return qs.filter(requested_at__gte=since) if since else qs


def open_mission(transfer: Transfer) -> Mission | None:
    return Mission.objects.select_related("asset").filter(transfer=transfer, ended_at__isnull=True).first()


def missions_of(transfer: Transfer) -> list[Mission]:
    return list(Mission.objects.select_related("asset").filter(transfer=transfer).order_by("dispatched_at", "pk"))


def asset_list(*, viewer: Principal | None, kind: str | None = None, region_id: int | None = None,
               available_only: bool = False) -> list[TransportAsset]:
    """Transport assets (everyone may see them)."""
    require(viewer, VIEW_ASSETS, object_type="transport_asset")
    qs = TransportAsset.objects.select_related("base", "region")
    if kind:
        qs = qs.filter(kind=kind)
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    if available_only:
        qs = qs.filter(status="available")
    return list(qs)


def asset_get(asset_id: int) -> TransportAsset:
    asset = TransportAsset.objects.select_related("base", "region").filter(pk=asset_id).first()
    if asset is None:
        raise NotFound(TransferError.ASSET_NOT_FOUND, field="asset")
    return asset


def airfields() -> list[Facility]:
    """Airfields a fixed-wing aircraft can use: the registry's air-ambulance bases."""
    return list(Facility.objects.filter(kind=FacilityKind.AIR_AMBULANCE_BASE, active=True))


def live_beds(*, now: datetime) -> dict[str, dict[str, int]]:
    """{facility code: {HAvBED bed type: vacant staffed beds}} from each facility's current report."""
    return {r.code: {t: b.available for t, b in r.beds.items()} for r in status_rows(now=now) if r.current}


def busy_asset_ids() -> set[int]:
    return set(Mission.objects.filter(ended_at__isnull=True).values_list("asset_id", flat=True))

"""Demo data of the transfers app: synthetic aircraft at the demo air bases, road ambulances at the demo ambulance
stations, and a few transfers (finished and open) made through the transfers services, so their timelines, missions
and statistics are what real use leaves behind.

Everything is labelled: operators and call signs say DEMO, references start with DEMO-TR-. Re-running `jedel demo`
finds the assets by call sign and the transfers by reference and adds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from jedel.accounts.services import SYSTEM
from jedel.common.clock import utcnow
from jedel.demo.network import DEMO_PREFIX
from jedel.facilities.models import Facility
from jedel.transfers.engines import asset_option
from jedel.transfers.models import Transfer, TransportAsset
from jedel.transfers.services.dispatch import mission_step, transfer_assign
from jedel.transfers.services.requests import (
    TransferInput,
    transfer_accept,
    transfer_create,
    transfer_decline,
    transfer_route,
)

FULL_KIT = ["ventilator", "oxygen", "infusion_pumps", "incubator", "specialist_team"]
# reference, hours ago, urgency, diagnosis, bed type, capabilities, ventilated, mode, last step
# (None = open request; "accepted" = waiting for transport; a mission step = that far), declined first.
TRANSFERS = (
    ("DEMO-TR-001", 30, "emergency", "Traumatic brain injury after a road crash (synthetic)", "AdultICU",
     ["neurosurgery"], True, "helicopter", "back_at_base", False),
    ("DEMO-TR-002", 52, "urgent", "Burns 35 % TBSA (synthetic)", "Burn", ["burns"], False, "fixed_wing",
     "back_at_base", True),
    ("DEMO-TR-003", 75, "urgent", "STEMI after thrombolysis (synthetic)", "AdultICU", ["cath_lab"], False, "road",
     "back_at_base", False),
    ("DEMO-TR-004", 1, "emergency", "Eclampsia, ventilated (synthetic)", "AdultICU", [], True, None, None, False),
    ("DEMO-TR-005", 1, "urgent", "Preterm neonate 29 weeks (synthetic)", "NeonatalICU", [], False, None,
     "accepted", False),
    ("DEMO-TR-006", 2, "emergency", "Polytrauma, ventilated (synthetic)", "AdultICU", [], True, "helicopter",
     "departed", False),
)


def _assets() -> int:
    made = 0
    for base in Facility.objects.filter(code__startswith=DEMO_PREFIX, kind="air_ambulance_base").order_by("code"):
        national = base.code.endswith("NCCEM-AIR")
        specs = [("PLANE-1", "fixed_wing", True), ("PLANE-2", "fixed_wing", True), ("HELI-1", "helicopter", True)] \
            if national else [("HELI-1", "helicopter", base.code.endswith("75-AIR"))]
        for suffix, kind, night in specs:
            _, created = TransportAsset.objects.get_or_create(
                call_sign=f"{base.code}-{suffix}", defaults={
                    "kind": kind, "base": base, "region": base.region, "operator": "DEMO air operator (synthetic)",
                    "crew_type": "critical_care", "equipment": FULL_KIT, "night_capable": night, "synthetic": True})
            made += created
    for station in Facility.objects.filter(code__startswith=DEMO_PREFIX, kind="ambulance_station").order_by("code"):
        for n in (1, 2):
            _, created = TransportAsset.objects.get_or_create(
                call_sign=f"{station.code}-{n}", defaults={
                    "kind": "road", "base": station, "region": station.region, "operator": "EMS (synthetic)",
                    "crew_type": "physician", "equipment": ["ventilator", "oxygen", "infusion_pumps"],
                    "night_capable": True, "synthetic": True})
            made += created
    return made


def _hospital(region: str, kinds: tuple[str, ...], exclude: set[int]) -> Facility | None:
    return (Facility.objects.filter(code__startswith=DEMO_PREFIX, region__iso_code=region, kind__in=kinds,
                                    active=True).exclude(pk__in=exclude).order_by("code").first())


def _places() -> tuple[Facility, Facility, Facility] | None:
    """A district hospital of Almaty region's demo (the sender), the regional hospital, a national centre."""
    region = "KZ-75" if Facility.objects.filter(code__startswith="DEMO-75").exists() else None
    if region is None:
        return None
    sender = _hospital(region, ("central_district", "city_hospital"), set())
    regional = _hospital(region, ("regional_multiprofile", "trauma"), {sender.pk} if sender else set())
    national = _hospital("KZ-71", ("national_centre",), set()) or _hospital(
        region, ("burns", "childrens", "perinatal", "city_hospital"), {f.pk for f in (sender, regional) if f})
    if sender is None or regional is None or national is None:
        return None
    return sender, regional, national


def _asset_for(mode: str, transfer: Transfer, now: datetime) -> TransportAsset | None:
    """The first synthetic asset of `mode` that can fly (drive) this transfer now (range, daylight, kit)."""
    qs = TransportAsset.objects.filter(kind=mode, status="available", synthetic=True).select_related("base")
    transfer = Transfer.objects.select_related("origin", "destination").get(pk=transfer.pk)
    return next((a for a in qs.order_by("call_sign") if asset_option(a, transfer, now=now).feasible), None)


def _transfer(row: tuple, places: tuple[Facility, Facility, Facility], now: datetime) -> bool:
    ref, hours, urgency, diagnosis, bed_type, caps, ventilated, mode, last, declined_first = row
    if Transfer.objects.filter(reference=ref, origin__code__startswith=DEMO_PREFIX).exists():
        return False
    sender, regional, national = places
    dest = national if mode == "fixed_wing" else regional
    start = now - timedelta(hours=hours)
    at = lambda minutes: start + timedelta(minutes=minutes)  # noqa: E731 - the timeline reads best this way
    first = regional if declined_first else dest
    t = transfer_create(actor=SYSTEM, now=start, data=TransferInput(
        reference=ref, origin=sender.code, destination=None if last is None else first.code, urgency=urgency,
        diagnosis=diagnosis, bed_type=bed_type, capabilities=[], ventilated=ventilated,
        triage_category="immediate" if urgency == "emergency" else "delayed"))
    if last is None:
        return True
    if declined_first:
        transfer_decline(actor=SYSTEM, transfer_id=t.pk, reason="No free burns bed tonight (synthetic)", now=at(10))
        transfer_route(actor=SYSTEM, transfer_id=t.pk, destination=dest.code, now=at(14))
    transfer_accept(actor=SYSTEM, transfer_id=t.pk, now=at(18))
    asset = _asset_for(mode, t, at(25)) if mode else None
    if last == "accepted" or asset is None:
        return True
    transfer_assign(actor=SYSTEM, transfer_id=t.pk, asset_id=asset.pk, now=at(25))
    for minutes, step in ((55, "at_patient"), (80, "departed"), (150, "delivered"), (200, "back_at_base")):
        mission_step(actor=SYSTEM, transfer_id=t.pk, step=step, now=at(minutes))
        if step == last:
            break
    return True


def demo_transfers_create(now: datetime | None = None) -> str:
    """Creates the labelled demo data (idempotent) and returns one line for the demo command's summary."""
    now = now or utcnow()
    assets = _assets()
    places = _places()
    made = sum(_transfer(row, places, now) for row in TRANSFERS) if places else 0
    total = TransportAsset.objects.filter(synthetic=True).count()
    return (f"Transfers: {total} synthetic transport assets ({assets} created), {made} demo transfers created "
            f"({Transfer.objects.filter(reference__startswith='DEMO-TR-').count()} in all; Transfers → National "
            f"picture).")

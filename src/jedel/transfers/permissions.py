"""Actions of the transfers app and how a transfer and a transport asset resolve to permission targets.

A transfer lies at its sending facility and at its receiving facility (and in both their regions): the staff
of either hospital and the coordinators over either region see it. The sending side (clinicians, managers)
requests and cancels; the receiving side accepts or declines; coordinators route a request to a destination and
dispatch road ambulances over the sending region. Aircraft are NCCEM's: only a national coordinator (the NCCEM
dispatcher) assigns one. No patient name is stored, so viewers read the national picture too.
"""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import ALL_ROLES, COORDINATORS, Target, declare, register_target
from jedel.transfers.models import Transfer, TransportAsset

HOSPITAL_STAFF = COORDINATORS | {Role.FACILITY_MANAGER, Role.CLINICIAN}

VIEW_TRANSFERS = declare("view_transfers", roles=HOSPITAL_STAFF | {Role.VIEWER},
                         description="See transfer requests of one's scope (sending or receiving), their history")
REQUEST_TRANSFER = declare("request_transfer", roles=HOSPITAL_STAFF,
                           description="Request a patient's transfer from one's facility, or cancel it")
RECEIVE_TRANSFER = declare("receive_transfer", roles=HOSPITAL_STAFF,
                           description="As the receiving facility: accept or decline a transfer")
DISPATCH_TRANSFER = declare("dispatch_transfer", roles=COORDINATORS,
                            description="Route a transfer to a destination, dispatch road ambulances, record a "
                                        "mission's steps")
DISPATCH_AIR = declare("dispatch_air", roles={Role.NATIONAL_COORDINATOR},
                       description="Assign an air-ambulance aircraft to a transfer (NCCEM)")
VIEW_ASSETS = declare("view_transport_assets", roles=ALL_ROLES, nationwide=True,
                      description="See the transport assets (aircraft, road ambulances) and their status")
MANAGE_ASSETS = declare("manage_transport_assets", roles=COORDINATORS,
                        description="Set a transport asset's status (maintenance, weather-grounded, available)")
VIEW_TRANSFER_STATS = declare("view_transfer_stats", roles=COORDINATORS | {Role.FACILITY_MANAGER, Role.VIEWER},
                              nationwide=True,
                              description="Transfer statistics by region and month (no personal data)")


def origin_target(transfer: Transfer) -> Target:
    """The sending side: the origin facility and its region."""
    return Target(region_id=transfer.origin.region_id, facility_id=transfer.origin_id)


def destination_target(transfer: Transfer) -> Target:
    """The receiving side: the destination facility and its region (national when none is named yet)."""
    if transfer.destination is None:
        return Target()
    return Target(region_id=transfer.destination.region_id, facility_id=transfer.destination_id)


@register_target(Transfer)
def transfer_target(transfer: Transfer) -> Target:
    dest = transfer.destination
    return Target(region_id=transfer.origin.region_id, facility_id=transfer.origin_id,
                  regions=frozenset({dest.region_id}) if dest else frozenset(),
                  facilities=frozenset({dest.pk}) if dest else frozenset())


@register_target(TransportAsset)
def asset_target(asset: TransportAsset) -> Target:
    return Target(region_id=asset.region_id, facility_id=asset.base_id)


# Adding and editing the fleet: aircraft are contracted by NCCEM nationally; road ambulances belong to a region's
# EMS stations, so the coordinators over that region manage them.
MANAGE_AIRCRAFT = declare("manage_aircraft", roles={Role.NATIONAL_COORDINATOR},
                          description="Add or edit an air-ambulance aircraft (operator, base, crew, equipment)")
MANAGE_ROAD_FLEET = declare("manage_road_ambulances", roles=COORDINATORS,
                            description="Add or edit a road ambulance of an EMS station in one's region")

"""Actions of the supplies app and how its objects resolve to permission targets.

Warehouses are a scope: a warehouse resolves to its region (a national warehouse to the nation) and, for a
hospital store, its facility. Decisions (issue 14):
- Stock levels, requests, shipments, distributions and forecasts (no personal data) are read by every person,
  as the capacity board is: a hospital must see what exists and where.
- The catalogue (items, kit compositions) is national reference data: national logisticians and NCCEM.
- Stock moves (receipts, issues, adjustments, write-offs, count imports, receipt of shipments) and shipping
  are for the logisticians, the coordinators and (for a hospital store) the facility's manager, in scope of
  the warehouse.
- A region's or hospital's people request supplies for it; the supplying warehouse's people decide.
- Households' names and phones: logisticians and regional coordinators at region or facility scope only.
- Anyone who distributes may propose a kit's next version from the feedback; national logisticians and the
  national coordinator approve it.
"""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import ALL_ROLES, COORDINATORS, Target, declare, register_target
from jedel.supplies.models import MinimumStock, Warehouse
from jedel.supplies.models_distribution import DistributionEvent, Household
from jedel.supplies.models_requests import Shipment, SupplyRequest

STOREKEEPERS = COORDINATORS | {Role.LOGISTICIAN, Role.FACILITY_MANAGER}
NATIONAL_LOGISTICS = {Role.LOGISTICIAN, Role.NATIONAL_COORDINATOR}

VIEW_SUPPLIES = declare("view_supplies", roles=ALL_ROLES, nationwide=True,
                        description="Read stock, requests, shipments, distributions and forecasts "
                                    "(no personal data)")
MANAGE_CATALOGUE = declare("manage_catalogue", roles=NATIONAL_LOGISTICS, national_when_untargeted=True,
                           description="Add items and kit compositions to the national catalogue")
MANAGE_WAREHOUSE = declare("manage_warehouse", roles=COORDINATORS | {Role.LOGISTICIAN},
                           description="Register warehouses and set their minimum stock")
MOVE_STOCK = declare("move_stock", roles=STOREKEEPERS,
                     description="Record receipts, issues, adjustments and write-offs at a warehouse, import "
                                 "stock counts, receive shipments")
REQUEST_SUPPLIES = declare("request_supplies", roles=STOREKEEPERS,
                           description="Request supplies for a region or facility")
DECIDE_REQUEST = declare("decide_request", roles=COORDINATORS | {Role.LOGISTICIAN},
                         description="Approve or reject a request at the supplying warehouse")
SHIP_SUPPLIES = declare("ship_supplies", roles=STOREKEEPERS,
                        description="Prepare and dispatch shipments from a warehouse")
DISTRIBUTE = declare("distribute_supplies", roles=COORDINATORS | {Role.LOGISTICIAN},
                     description="Record distributions to people, households served and their feedback")
VIEW_BENEFICIARIES = declare("view_beneficiaries", roles={Role.LOGISTICIAN, Role.REGIONAL_COORDINATOR},
                             description="Read households' names and phone numbers (region or facility scope)")
PROPOSE_KIT = declare("propose_kit", roles=COORDINATORS | {Role.LOGISTICIAN}, nationwide=True,
                      description="Propose a kit's next version from beneficiary feedback")
DECIDE_KIT = declare("decide_kit", roles=NATIONAL_LOGISTICS, national_when_untargeted=True,
                     description="Approve or reject a proposed kit version")


@register_target(Warehouse)
def _warehouse_target(warehouse: Warehouse) -> Target:
    return Target(region_id=warehouse.region_id, facility_id=warehouse.facility_id)


@register_target(MinimumStock)
def _minimum_target(minimum: MinimumStock) -> Target:
    return _warehouse_target(minimum.warehouse)


@register_target(SupplyRequest)
def _request_target(request: SupplyRequest) -> Target:
    """The requesting side, and the supplying warehouse's side too: both follow a request."""
    source = request.source
    return Target(region_id=request.region_id, facility_id=request.facility_id,
                  regions=frozenset(r for r in (source.region_id,) if r is not None),
                  facilities=frozenset(f for f in (source.facility_id,) if f is not None))


@register_target(Shipment)
def _shipment_target(shipment: Shipment) -> Target:
    return _request_target(shipment.request)


@register_target(DistributionEvent)
def _distribution_target(event: DistributionEvent) -> Target:
    return Target(region_id=event.region_id, facility_id=event.warehouse.facility_id,
                  regions=frozenset(r for r in (event.warehouse.region_id,) if r is not None))


@register_target(Household)
def _household_target(household: Household) -> Target:
    return _distribution_target(household.distribution)

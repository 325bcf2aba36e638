"""Error codes of the supplies app; tests assert the code, never the message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class SupplyError(ErrorCode):
    INVALID = "invalid"
    STALE_VERSION = "stale_version"
    ITEM_NOT_FOUND = "item_not_found"
    ITEM_EXISTS = "item_exists"
    WAREHOUSE_NOT_FOUND = "warehouse_not_found"
    WAREHOUSE_EXISTS = "warehouse_exists"
    WAREHOUSE_INACTIVE = "warehouse_inactive"
    BATCH_ITEM_MISMATCH = "batch_item_mismatch"
    EXPIRY_CONFLICT = "expiry_conflict"
    NOT_POSITIVE = "not_positive"
    INSUFFICIENT_STOCK = "insufficient_stock"
    NOT_EXPIRED = "not_expired"
    LOT_EXPIRED = "lot_expired"
    LOT_REQUIRED = "lot_required"
    NOT_A_KIT = "not_a_kit"
    KIT_EMPTY = "kit_empty"
    IMPORT_INVALID = "import_invalid"
    REQUEST_NOT_FOUND = "request_not_found"
    REQUEST_NOT_OPEN = "request_not_open"
    SAME_WAREHOUSE = "same_warehouse"
    OVER_APPROVED = "over_approved"
    SHIPMENT_NOT_FOUND = "shipment_not_found"
    SHIPMENT_STATE = "shipment_state"
    INCIDENT_NOT_FOUND = "incident_not_found"
    DISTRIBUTION_NOT_FOUND = "distribution_not_found"
    DISTRIBUTION_CLOSED = "distribution_closed"
    HOUSEHOLD_NOT_FOUND = "household_not_found"
    HOUSEHOLD_EXISTS = "household_exists"
    KIT_VERSION_NOT_FOUND = "kit_version_not_found"
    FEEDBACK_EMPTY = "feedback_empty"
    NOT_ENOUGH_FEEDBACK = "not_enough_feedback"
    PROPOSAL_NOT_FOUND = "proposal_not_found"
    PROPOSAL_DECIDED = "proposal_decided"
    PROPOSAL_OPEN = "proposal_open"
    NO_CHANGE = "no_change"
    FORECAST_INVALID = "forecast_invalid"


register_messages({
    SupplyError.INVALID: _("Invalid input."),
    SupplyError.STALE_VERSION: _("This record was changed by someone else; reload it and try again."),
    SupplyError.ITEM_NOT_FOUND: _("No such item."),
    SupplyError.ITEM_EXISTS: _("An item with this code exists."),
    SupplyError.WAREHOUSE_NOT_FOUND: _("No such warehouse."),
    SupplyError.WAREHOUSE_EXISTS: _("A warehouse with this code exists."),
    SupplyError.WAREHOUSE_INACTIVE: _("This warehouse is closed."),
    SupplyError.BATCH_ITEM_MISMATCH: _("This lot belongs to another item."),
    SupplyError.EXPIRY_CONFLICT: _("This lot is already recorded with another expiry date."),
    SupplyError.NOT_POSITIVE: _("The quantity must be a whole number above zero."),
    SupplyError.INSUFFICIENT_STOCK: _("Not enough stock on hand: nothing was issued."),
    SupplyError.NOT_EXPIRED: _("This lot has not expired."),
    SupplyError.LOT_EXPIRED: _("This lot has expired: write it off instead of issuing it."),
    SupplyError.LOT_REQUIRED: _("Give the lot number of stock that has an expiry date."),
    SupplyError.NOT_A_KIT: _("This item is not a kit."),
    SupplyError.KIT_EMPTY: _("A kit needs at least one component."),
    SupplyError.IMPORT_INVALID: _("The file has errors; nothing was imported."),
    SupplyError.REQUEST_NOT_FOUND: _("No such request."),
    SupplyError.REQUEST_NOT_OPEN: _("This request is no longer open for this step."),
    SupplyError.SAME_WAREHOUSE: _("The supplying and receiving warehouses must differ."),
    SupplyError.OVER_APPROVED: _("More than was approved for this line."),
    SupplyError.SHIPMENT_NOT_FOUND: _("No such shipment."),
    SupplyError.SHIPMENT_STATE: _("The shipment is not in a state for this step."),
    SupplyError.INCIDENT_NOT_FOUND: _("No such incident."),
    SupplyError.DISTRIBUTION_NOT_FOUND: _("No such distribution."),
    SupplyError.DISTRIBUTION_CLOSED: _("This distribution is closed."),
    SupplyError.HOUSEHOLD_NOT_FOUND: _("No such household."),
    SupplyError.HOUSEHOLD_EXISTS: _("A household with this reference is already recorded here."),
    SupplyError.KIT_VERSION_NOT_FOUND: _("No such kit version."),
    SupplyError.FEEDBACK_EMPTY: _("Rate at least one item."),
    SupplyError.NOT_ENOUGH_FEEDBACK: _("There is no feedback on this kit version yet."),
    SupplyError.PROPOSAL_NOT_FOUND: _("No such proposal."),
    SupplyError.PROPOSAL_DECIDED: _("This proposal was already decided."),
    SupplyError.PROPOSAL_OPEN: _("A proposal for this kit version is waiting for a decision."),
    SupplyError.NO_CHANGE: _("The feedback suggests no change to this kit."),
    SupplyError.FORECAST_INVALID: _("The forecast input is invalid."),
})

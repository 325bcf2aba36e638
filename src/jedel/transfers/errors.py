"""Error codes of transfers and air-ambulance dispatch; tests assert the code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class TransferError(ErrorCode):
    NOT_FOUND = "transfer_not_found"
    INVALID_TRANSITION = "transfer_invalid_transition"
    STALE_VERSION = "transfer_stale_version"
    REASON_REQUIRED = "transfer_reason_required"
    SAME_FACILITY = "transfer_same_facility"
    NOT_INPATIENT = "transfer_destination_not_inpatient"
    NO_DESTINATION = "transfer_no_destination"
    UNKNOWN_CAPABILITY = "transfer_unknown_capability"
    UNKNOWN_BED_TYPE = "transfer_unknown_bed_type"
    UNKNOWN_NEED = "transfer_unknown_need"
    UNKNOWN_FACILITY = "transfer_unknown_facility"
    CASUALTY_ELSEWHERE = "transfer_casualty_elsewhere"
    ASSET_NOT_FOUND = "transfer_asset_not_found"
    ASSET_BUSY = "transfer_asset_on_mission"
    ASSET_UNAVAILABLE = "transfer_asset_unavailable"
    ASSET_UNSUITABLE = "transfer_asset_unsuitable"
    ALREADY_ARRANGED = "transfer_already_arranged"
    NO_MISSION = "transfer_no_mission"
    BAD_STEP = "transfer_bad_mission_step"
    CALL_SIGN_TAKEN = "transfer_asset_call_sign_taken"
    BAD_ASSET_FIELD = "transfer_asset_bad_field"


register_messages({
    TransferError.NOT_FOUND: _("No such transfer."),
    TransferError.INVALID_TRANSITION: _("The transfer is not in a state that allows this."),
    TransferError.STALE_VERSION: _("Someone else changed this transfer meanwhile; reload and try again."),
    TransferError.REASON_REQUIRED: _("Give a reason."),
    TransferError.SAME_FACILITY: _("The receiving facility must differ from the sending one."),
    TransferError.NOT_INPATIENT: _("The receiving facility does not admit inpatients."),
    TransferError.NO_DESTINATION: _("Name the receiving facility first."),
    TransferError.UNKNOWN_CAPABILITY: _("Unknown capability."),
    TransferError.UNKNOWN_BED_TYPE: _("Unknown bed type."),
    TransferError.UNKNOWN_NEED: _("Unknown transport need."),
    TransferError.UNKNOWN_FACILITY: _("No such facility."),
    TransferError.CASUALTY_ELSEWHERE: _("This casualty is not at the sending facility."),
    TransferError.ASSET_NOT_FOUND: _("No such transport asset."),
    TransferError.ASSET_BUSY: _("This asset is on another mission."),
    TransferError.ASSET_UNAVAILABLE: _("This asset is not available (maintenance or grounded)."),
    TransferError.ASSET_UNSUITABLE: _("This asset cannot carry out the transfer (equipment, range or daylight)."),
    TransferError.ALREADY_ARRANGED: _("Transport is already arranged for this transfer."),
    TransferError.NO_MISSION: _("This transfer has no open mission."),
    TransferError.CALL_SIGN_TAKEN: _("Another transport asset already has this call sign."),
    TransferError.BAD_ASSET_FIELD: _("Check this field: it is empty, too long or not one of the choices."),
    TransferError.BAD_STEP: _("Mission steps go in order: at the patient, departed, delivered, back at base."),
})

"""Error codes of the facilities app: registry and import/export.

One file for the whole app so codes stay unique; tests assert the code (the value), never the message.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class FacilityError(ErrorCode):
    # Registry
    UNKNOWN_FACILITY = "unknown_facility"
    UNKNOWN_FACILITY_ID = "unknown_facility_id"
    DUPLICATE_CODE = "duplicate_code"
    BAD_CODE = "bad_code"
    BAD_VALUE = "bad_value"
    REQUIRED = "required"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_TOWN = "unknown_town"
    TOWN_NOT_IN_REGION = "town_not_in_region"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_OWNERSHIP = "unknown_ownership"
    UNKNOWN_CAPABILITY = "unknown_capability"
    UNKNOWN_SPECIALTY = "unknown_specialty"
    STALE_VERSION = "stale_version"
    INACTIVE_FACILITY = "inactive_facility"
    SELF_REFERRAL = "self_referral"
    UNKNOWN_REFERRAL = "unknown_referral"
    # Import / export
    BAD_HEADER = "bad_header"
    BAD_LINE = "bad_line"
    BAD_ENTRY = "bad_entry"
    BAD_ENCODING = "bad_encoding"
    BAD_FORMAT = "bad_format"
    EMPTY_FILE = "empty_file"
    FHIR_INVALID = "fhir_invalid"



register_messages({
    FacilityError.UNKNOWN_FACILITY: _("No facility has this code."),
    FacilityError.UNKNOWN_FACILITY_ID: _("No facility has this identifier."),
    FacilityError.DUPLICATE_CODE: _("This facility code is already used."),
    FacilityError.BAD_CODE: _("A facility code is 1–32 letters, digits, '.', '_' or '-', starting with a "
                              "letter or digit."),
    FacilityError.BAD_VALUE: _("This value is not allowed here."),
    FacilityError.REQUIRED: _("This value is required."),
    FacilityError.UNKNOWN_REGION: _("Unknown region code."),
    FacilityError.UNKNOWN_TOWN: _("Unknown town."),
    FacilityError.TOWN_NOT_IN_REGION: _("The town is not in the facility's region."),
    FacilityError.UNKNOWN_KIND: _("Unknown facility kind."),
    FacilityError.UNKNOWN_OWNERSHIP: _("Unknown ownership."),
    FacilityError.UNKNOWN_CAPABILITY: _("Unknown capability."),
    FacilityError.UNKNOWN_SPECIALTY: _("Unknown specialty."),
    FacilityError.STALE_VERSION: _("Someone else changed this facility since you loaded it. Reload and try "
                                   "again."),
    FacilityError.INACTIVE_FACILITY: _("This facility is deactivated."),
    FacilityError.SELF_REFERRAL: _("A facility cannot refer to itself."),
    FacilityError.UNKNOWN_REFERRAL: _("No such referral link."),
    FacilityError.BAD_HEADER: _("The header line does not match the documented columns."),
    FacilityError.BAD_LINE: _("This line is not valid."),
    FacilityError.BAD_ENTRY: _("This bundle entry is not valid."),
    FacilityError.BAD_ENCODING: _("The file is not UTF-8 text."),
    FacilityError.BAD_FORMAT: _("Unrecognised file format: expected the Jedel facility CSV or a FHIR R4 "
                                "Bundle."),
    FacilityError.EMPTY_FILE: _("The file is empty."),
    FacilityError.FHIR_INVALID: _("The document is not a valid FHIR R4 Bundle."),
})

"""Error codes of the capacity app: capacity reporting and interop; tests assert the code, never the message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class CapacityError(ErrorCode):
    # Capacity reporting
    OCCUPIED_EXCEEDS_STAFFED = "occupied_exceeds_staffed"
    AVAILABLE_EXCEEDS_STAFFED = "available_exceeds_staffed"
    NEGATIVE_COUNT = "negative_count"
    UNKNOWN_BED_TYPE = "unknown_bed_type"
    DUPLICATE_BED_TYPE = "duplicate_bed_type"
    FUTURE_TIMESTAMP = "future_timestamp"
    VENTILATORS_IN_USE_EXCEED_TOTAL = "ventilators_in_use_exceed_total"
    LAB_PERFORMED_EXCEEDS_CAPACITY = "lab_performed_exceeds_capacity"
    TOKEN_WRONG_FACILITY = "token_wrong_facility"
    NOT_REPORTING_FACILITY = "not_reporting_facility"
    BAD_ED_STATUS = "bad_ed_status"
    BAD_OXYGEN_STATUS = "bad_oxygen_status"
    # A "nothing changed" confirmation needs figures to confirm.
    NOTHING_TO_CONFIRM = "nothing_to_confirm"
    # Informational, not a rejection: a late report is stored as history but does not become current.
    OLDER_THAN_CURRENT = "older_than_current"
    # Interop
    EDXL_INVALID = "edxl_invalid"
    # Engines (POST /api/distribution/plan, POST /api/triage/{method})
    INVALID_PROBLEM = "invalid_problem"
    PROBLEM_TOO_LARGE = "problem_too_large"
    HOSPITALS_WITH_LIVE = "hospitals_with_live"
    REGION_WITHOUT_LIVE = "region_without_live"
    UNKNOWN_TRIAGE_METHOD = "unknown_triage_method"
    INVALID_TRIAGE_REQUEST = "invalid_triage_request"


register_messages({
    CapacityError.OCCUPIED_EXCEEDS_STAFFED: _("Occupied beds exceed staffed beds."),
    CapacityError.AVAILABLE_EXCEEDS_STAFFED: _("Available beds exceed staffed beds."),
    CapacityError.NEGATIVE_COUNT: _("A count cannot be negative."),
    CapacityError.UNKNOWN_BED_TYPE: _("Unknown bed type."),
    CapacityError.DUPLICATE_BED_TYPE: _("This bed type is reported twice."),
    CapacityError.FUTURE_TIMESTAMP: _("The report time is in the future."),
    CapacityError.VENTILATORS_IN_USE_EXCEED_TOTAL: _("Ventilators in use exceed the total."),
    CapacityError.LAB_PERFORMED_EXCEEDS_CAPACITY: _("Laboratory tests performed exceed the daily capacity."),
    CapacityError.TOKEN_WRONG_FACILITY: _("This API token belongs to another facility."),
    CapacityError.NOT_REPORTING_FACILITY: _("This facility does not report bed capacity."),
    CapacityError.BAD_ED_STATUS: _("Unknown emergency-department status."),
    CapacityError.BAD_OXYGEN_STATUS: _("Unknown oxygen status."),
    CapacityError.NOTHING_TO_CONFIRM: _("There is no earlier report to confirm: submit the figures first."),
    CapacityError.OLDER_THAN_CURRENT: _("Stored as history: a newer report is already current."),
    CapacityError.EDXL_INVALID: _("The EDXL-HAVE document is not valid."),
    CapacityError.INVALID_PROBLEM: _("The distribution problem is not valid."),
    CapacityError.PROBLEM_TOO_LARGE: _("The distribution problem is too large to solve on request."),
    CapacityError.HOSPITALS_WITH_LIVE: _("With live=true the live capacity board supplies the hospitals: "
                                         "leave the body's hospitals empty."),
    CapacityError.REGION_WITHOUT_LIVE: _("The region filter applies only to live hospitals (live=true)."),
    CapacityError.UNKNOWN_TRIAGE_METHOD: _("Unknown triage method."),
    CapacityError.INVALID_TRIAGE_REQUEST: _("The triage request is not valid."),
})

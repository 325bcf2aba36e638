"""Error codes of the security app; tests assert the code, never the message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class SecurityError(ErrorCode):
    FACILITY_NOT_FOUND = "facility_not_found"
    BUTTON_NOT_FOUND = "button_not_found"
    ALERT_NOT_FOUND = "alert_not_found"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    ALREADY_RESOLVED = "already_resolved"
    BAD_OUTCOME = "bad_outcome"
    INCIDENT_REQUIRED = "incident_required"
    INCIDENT_NOT_FOUND = "incident_not_found"
    DIFFERENT_FACILITY = "different_facility"
    LOCATION_REQUIRED = "location_required"
    INVALID = "invalid"
    STALE_VERSION = "stale_version"
    HASH_MISMATCH = "hash_mismatch"
    BAD_HASH = "bad_hash"
    EMPTY_FILE = "empty_file"
    EVIDENCE_EXISTS = "evidence_exists"
    EVIDENCE_NOT_FOUND = "evidence_not_found"


register_messages({
    SecurityError.FACILITY_NOT_FOUND: _("No such facility."),
    SecurityError.BUTTON_NOT_FOUND: _("No such panic button."),
    SecurityError.ALERT_NOT_FOUND: _("No such panic alert."),
    SecurityError.ALREADY_ACKNOWLEDGED: _("This alert was already acknowledged by someone else."),
    SecurityError.ALREADY_RESOLVED: _("This alert is already resolved."),
    SecurityError.BAD_OUTCOME: _("The outcome must be false alarm, de-escalated, police called or incident "
                                 "recorded."),
    SecurityError.INCIDENT_REQUIRED: _("An alert resolved as \"incident recorded\" must link to a registry entry."),
    SecurityError.INCIDENT_NOT_FOUND: _("No such violence incident."),
    SecurityError.DIFFERENT_FACILITY: _("The registry entry belongs to another facility."),
    SecurityError.LOCATION_REQUIRED: _("Say where you are."),
    SecurityError.INVALID: _("Invalid input."),
    SecurityError.STALE_VERSION: _("This record was changed by someone else; reload it and try again."),
    SecurityError.HASH_MISMATCH: _("The file's SHA-256 differs from the declared one: the upload is refused."),
    SecurityError.BAD_HASH: _("The declared SHA-256 must be 64 hexadecimal characters."),
    SecurityError.EMPTY_FILE: _("The file is empty."),
    SecurityError.EVIDENCE_EXISTS: _("This file is already attached to the incident."),
    SecurityError.EVIDENCE_NOT_FOUND: _("No such evidence."),
})

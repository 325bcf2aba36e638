"""Error codes of the incidents app; tests assert the code, never the message.

Codes are unique across apps (messages are registered by code): an unknown region, facility or user is
answered with the geo and accounts apps' own codes. The refusals of the state machines keep the codes `jedel.core.tracking` gives them (`MoveRefusal`,
`IncidentRefusal`), so the core, the API and the tests use one spelling.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class IncidentError(ErrorCode):
    NOT_FOUND = "incident_not_found"
    CASUALTY_NOT_FOUND = "casualty_not_found"
    NO_REGIONS = "incident_needs_regions"
    UNKNOWN_ROLE = "unknown_incident_role"
    INVALID_INCIDENT = "invalid_incident"
    STALE_VERSION = "tracking_version_stale"
    TRIAGE_INCOMPLETE = "triage_incomplete"
    INVALID_FINDINGS = "invalid_findings"
    # Refusals of jedel.core.tracking (same values).
    CASUALTY_STATUS_FINAL = "casualty_status_final"
    CASUALTY_STATUS_UNCHANGED = "casualty_status_unchanged"
    CASUALTY_MOVE_NOT_ALLOWED = "casualty_move_not_allowed"
    DESTINATION_REQUIRED = "destination_required"
    INCIDENT_STATUS_UNCHANGED = "incident_status_unchanged"
    INCIDENT_CHANGE_NOT_ALLOWED = "incident_change_not_allowed"
    INCIDENT_CLOSED = "incident_closed"
    INCIDENT_STOOD_DOWN = "incident_stood_down"


register_messages({
    IncidentError.NOT_FOUND: _("No such incident."),
    IncidentError.CASUALTY_NOT_FOUND: _("No casualty with this tag in this incident."),
    IncidentError.NO_REGIONS: _("Name at least one affected region."),
    IncidentError.UNKNOWN_ROLE: _("Unknown incident role."),
    IncidentError.INVALID_INCIDENT: _("The incident is not valid."),
    IncidentError.STALE_VERSION: _("Someone changed this in the meantime; reload and try again."),
    IncidentError.TRIAGE_INCOMPLETE: _("The chosen triage method needs more findings."),
    IncidentError.INVALID_FINDINGS: _("A triage finding is not possible."),
    IncidentError.CASUALTY_STATUS_FINAL: _("This casualty already has a disposition; the status cannot change."),
    IncidentError.CASUALTY_STATUS_UNCHANGED: _("The casualty already has this status."),
    IncidentError.CASUALTY_MOVE_NOT_ALLOWED: _("This change of the casualty's status is not allowed."),
    IncidentError.DESTINATION_REQUIRED: _("Name the destination facility for a casualty in transport."),
    IncidentError.INCIDENT_STATUS_UNCHANGED: _("The incident already has this status."),
    IncidentError.INCIDENT_CHANGE_NOT_ALLOWED: _("This change of the incident's status is not allowed."),
    IncidentError.INCIDENT_CLOSED: _("The incident is closed; its record is read-only."),
    IncidentError.INCIDENT_STOOD_DOWN: _("The incident is stood down; no new casualties are registered."),
})

"""Error codes of the live distribution (plans, assignments, receiving hospitals); tests assert the code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class DistributionError(ErrorCode):
    NOT_ACTIVE = "incident_not_active"
    PLAN_NOT_FOUND = "plan_not_found"
    NOT_DISTRIBUTABLE = "casualty_not_distributable"
    REASON_REQUIRED = "override_reason_required"
    CAPACITY_EXCEEDED = "hospital_capacity_exceeded"
    NOT_RECEIVING = "hospital_not_receiving"
    NOT_ASSIGNED = "casualty_not_assigned"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_NEED = "unknown_need"
    POINT_NOT_FOUND = "collection_point_not_found"


register_messages({
    DistributionError.NOT_ACTIVE: _("Destinations are planned only for an active incident."),
    DistributionError.PLAN_NOT_FOUND: _("No such distribution plan for this incident."),
    DistributionError.NOT_DISTRIBUTABLE: _("Only a triaged casualty still to be sent (at the scene, awaiting "
                                           "transport, or diverted) can be assigned a hospital."),
    DistributionError.REASON_REQUIRED: _("Give a reason for choosing another hospital than proposed, or for "
                                         "going beyond its capacity."),
    DistributionError.CAPACITY_EXCEEDED: _("The hospital has no place left for this category; override with a "
                                           "reason to send the casualty anyway."),
    DistributionError.NOT_RECEIVING: _("This facility is not a receiving hospital on the board."),
    DistributionError.NOT_ASSIGNED: _("This casualty is not on its way to your hospital."),
    DistributionError.UNKNOWN_CATEGORY: _("Unknown triage category."),
    DistributionError.UNKNOWN_NEED: _("Unknown need: choose among the hospital capabilities listed."),
    DistributionError.POINT_NOT_FOUND: _("No such collection point in this incident."),
})

"""Error codes of walk-in registration and counting; tests assert the code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class WalkInError(ErrorCode):
    HOSPITAL_REQUIRED = "walkin_hospital_required"
    UNKNOWN_CATEGORY = "walkin_unknown_category"
    NOT_ENOUGH_COUNTED = "walkin_not_enough_counted"
    NO_FREE_TAG = "walkin_no_free_tag"


register_messages({
    WalkInError.HOSPITAL_REQUIRED: _("Name the hospital the walk-ins arrived at."),
    WalkInError.UNKNOWN_CATEGORY: _("Choose red, yellow, green or black."),
    WalkInError.NOT_ENOUGH_COUNTED: _("Fewer walk-ins of this category were counted at this hospital than you "
                                      "asked to turn into records."),
    WalkInError.NO_FREE_TAG: _("No free walk-in tag could be given; try again."),
})

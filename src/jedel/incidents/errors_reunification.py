"""Error codes of family reunification, tag sheets and tracking exports (codes unique across apps)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class ReunificationError(ErrorCode):
    NO_CRITERIA = "search_needs_criteria"
    BAD_TAG_RANGE = "tag_range_invalid"
    EXERCISE_MIXED = "export_exercise_mixed"
    RANGE_PRINTED = "tag_range_printed"


register_messages({
    ReunificationError.NO_CRITERIA: _("Give a name, a tag, a description, an age band or a sex to search for."),
    ReunificationError.BAD_TAG_RANGE: _("Tag numbers: a prefix of at most 8 letters or digits, and at most "
                                        "480 tags from a number between 1 and 99999."),
    ReunificationError.RANGE_PRINTED: _("These tag numbers were printed before: a number on two tags would name "
                                        "two casualties. Print the next free numbers, or mark it as a reprint."),
    ReunificationError.EXERCISE_MIXED: _("Exercises are exported apart from real incidents: ask for one kind."),
})

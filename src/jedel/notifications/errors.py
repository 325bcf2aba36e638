"""Error codes of the notifications app; tests assert the code, never the message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class NoticeError(ErrorCode):
    NO_RECIPIENTS = "no_recipients"
    BAD_LEVELS = "bad_levels"
    NOT_FOUND = "notice_not_found"
    NOT_YOURS = "delivery_not_yours"
    ALREADY_ENDED = "delivery_already_ended"
    ALREADY_ACKNOWLEDGED = "notice_already_acknowledged"
    BAD_SHIFT = "bad_shift"
    BAD_DESK = "bad_desk"
    BAD_DIGEST_RULE = "bad_digest_rule"


register_messages({
    NoticeError.NO_RECIPIENTS: _("Nobody can be reached: no recipient was resolved and no desk has anyone on duty."),
    NoticeError.BAD_LEVELS: _("Each escalation level needs recipients and a positive acknowledgement timeout."),
    NoticeError.NOT_FOUND: _("No such notice or delivery."),
    NoticeError.NOT_YOURS: _("This notice was not addressed to you."),
    NoticeError.ALREADY_ENDED: _("This delivery has already ended."),
    NoticeError.ALREADY_ACKNOWLEDGED: _("Someone else has already acknowledged this notice."),
    NoticeError.BAD_SHIFT: _("A shift must end after it starts."),
    NoticeError.BAD_DESK: _("Admissions and security desks belong to a facility, a coordinator desk to a region, "
                            "the NCCEM duty desk to neither."),
    NoticeError.BAD_DIGEST_RULE: _("A digest rule is for either a role or a person, and a digest period is 5 to "
                                   "1440 minutes."),
})

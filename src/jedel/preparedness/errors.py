"""Error codes of the preparedness app; tests assert the code, never the message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class PrepError(ErrorCode):
    NO_INSTRUMENT = "no_instrument"
    UNKNOWN_MODULE = "unknown_module"
    UNKNOWN_ITEM = "unknown_item"
    BAD_LEVEL = "bad_level"
    JUSTIFICATION_REQUIRED = "justification_required"
    DUPLICATE_ITEM = "duplicate_item"
    NO_EVALUATORS = "no_evaluators"
    ASSESSMENT_NOT_FOUND = "assessment_not_found"
    FACILITY_NOT_FOUND = "facility_not_found"
    TASK_NOT_FOUND = "task_not_found"
    BAD_TASK_STATUS = "bad_task_status"
    DIFFERENT_FACILITY = "different_facility"
    BAD_INSTRUMENT = "bad_instrument"
    STALE_VERSION = "stale_version"
    INVALID = "invalid"
    EVIDENCE_REQUIRED = "evidence_required"
    BAD_PLAN_STATUS = "bad_plan_status"
    NO_PLAN = "plan_not_found"
    COURSE_NOT_FOUND = "course_not_found"
    DUPLICATE_COURSE = "duplicate_course"
    SESSION_NOT_FOUND = "session_not_found"
    SESSION_DATES = "session_dates"
    NO_PARTICIPANTS = "no_participants"
    PARTICIPANT_NOT_FOUND = "participant_not_found"
    EXPIRES_BEFORE_ISSUED = "expires_before_issued"
    ISSUED_BEFORE_SESSION = "issued_before_session"
    UNKNOWN_COMPETENCY = "unknown_competency"
    MEMBER_NOT_FOUND = "reserve_member_not_found"
    REGION_NOT_FOUND = "region_not_found"
    PHOTO_TOO_LARGE = "photo_too_large"
    PHOTO_TYPE = "photo_type"
    PHOTO_NOT_FOUND = "photo_not_found"


register_messages({
    PrepError.NO_INSTRUMENT: _("No Hospital Safety Index instrument is loaded; run `jedel preparedness "
                               "load-instruments`."),
    PrepError.UNKNOWN_MODULE: _("The instrument has no scored module with this number."),
    PrepError.UNKNOWN_ITEM: _("No such item in the modules of this assessment."),
    PrepError.BAD_LEVEL: _("A rating must be low, average, high or not applicable."),
    PrepError.JUSTIFICATION_REQUIRED: _("An item marked not applicable needs a justification."),
    PrepError.DUPLICATE_ITEM: _("The same item is rated twice in one request."),
    PrepError.NO_EVALUATORS: _("Name at least one evaluator."),
    PrepError.ASSESSMENT_NOT_FOUND: _("No such assessment."),
    PrepError.FACILITY_NOT_FOUND: _("No such facility."),
    PrepError.TASK_NOT_FOUND: _("No such remediation task."),
    PrepError.BAD_TASK_STATUS: _("A task is open, in progress or done."),
    PrepError.DIFFERENT_FACILITY: _("Only assessments of the same facility can be compared."),
    PrepError.BAD_INSTRUMENT: _("The instrument file is not valid; nothing was loaded."),
    PrepError.STALE_VERSION: _("The assessment was changed by someone else; reload it and try again."),
    PrepError.INVALID: _("Invalid input."),
    PrepError.EVIDENCE_REQUIRED: _("An action marked done needs its evidence (a document, an order, a record)."),
    PrepError.BAD_PLAN_STATUS: _("An action is done, in progress or missing."),
    PrepError.NO_PLAN: _("This facility has no emergency response plan yet."),
    PrepError.COURSE_NOT_FOUND: _("No such course or exercise."),
    PrepError.DUPLICATE_COURSE: _("A course with this code already exists."),
    PrepError.SESSION_NOT_FOUND: _("No such training session."),
    PrepError.SESSION_DATES: _("A session cannot end before it starts."),
    PrepError.NO_PARTICIPANTS: _("Name at least one participant."),
    PrepError.PARTICIPANT_NOT_FOUND: _("No such participant in this session."),
    PrepError.EXPIRES_BEFORE_ISSUED: _("A certificate cannot expire before it was issued."),
    PrepError.ISSUED_BEFORE_SESSION: _("A certificate cannot be issued before its session started."),
    PrepError.UNKNOWN_COMPETENCY: _("No such competency."),
    PrepError.MEMBER_NOT_FOUND: _("No such member of the personnel reserve."),
    PrepError.REGION_NOT_FOUND: _("No such region."),
    PrepError.PHOTO_TOO_LARGE: _("The photo is larger than 5 MB; send a smaller one."),
    PrepError.PHOTO_TYPE: _("Only JPEG, PNG or WebP photos are accepted."),
    PrepError.PHOTO_NOT_FOUND: _("No such photo."),
})

"""Error codes of the geo app."""

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class GeoError(ErrorCode):
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_TOWN = "unknown_town"


register_messages({
    GeoError.UNKNOWN_REGION: _("Unknown region code."),
    GeoError.UNKNOWN_TOWN: _("Unknown town."),
})

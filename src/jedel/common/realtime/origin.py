"""Origin check for websockets: browsers must come from one of ALLOWED_HOSTS; other clients send no Origin."""

from __future__ import annotations

from typing import Any

from channels.security.websocket import OriginValidator
from django.conf import settings


class BrowserOriginValidator(OriginValidator):
    """Like Channels' AllowedHostsOriginValidator, but a handshake without Origin passes.

    A browser always sends Origin, so a cross-site page cannot ride on the session cookie; a client with no
    Origin is a program (a hospital information system, the load benchmark) holding no victim's cookie, and
    it still has to authenticate. A foreign Origin is refused at the handshake (HTTP 403).
    """

    def valid_origin(self, parsed_origin: Any) -> bool:
        return parsed_origin is None or bool(self.validate_origin(parsed_origin))


def browser_origin_validator(application: Any) -> BrowserOriginValidator:
    """Wrap `application` with the origin check against settings.ALLOWED_HOSTS."""
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = ["localhost", "127.0.0.1", "[::1]"]
    return BrowserOriginValidator(application, hosts)

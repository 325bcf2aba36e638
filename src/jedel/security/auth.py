"""Who presses: a panic button with its own device secret (`Authorization: Bearer jpb_…`), or a person.

A device secret that is unknown or revoked is refused with 401 and the refusal logged (PanicDenial); no alert.
Other bearer secrets (facility API tokens) and browser sessions resolve to a Principal as everywhere else, and
the service decides whether that person may press (RAISE_PANIC).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from jedel.accounts.auth import SessionPrincipalAuth
from jedel.accounts.services import token_principal
from jedel.security.services.panic import TOKEN_PREFIX, device_button


class PanicDeviceAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        remote = str(request.META.get("REMOTE_ADDR", ""))
        if not token.startswith(TOKEN_PREFIX):
            principal = token_principal(token)
            if principal is not None:
                return principal
        return device_button(token, remote_addr=remote)


PANIC_AUTH: list[Any] = [PanicDeviceAuth(), SessionPrincipalAuth()]

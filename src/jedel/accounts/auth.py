"""API authentication: a signed-in session or a bearer API token, both resolved to a policy Principal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from jedel.accounts.policy import Principal, principal_for_user
from jedel.accounts.services import token_principal


class SessionPrincipalAuth(SessionAuth):
    """Browser session (CSRF-checked for unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:  # type: ignore[override]
        return principal_for_user(request.user)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer jdl_…` from a hospital information system or a script."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        return token_principal(token)


API_AUTH: list[Any] = [TokenAuth(), SessionPrincipalAuth()]

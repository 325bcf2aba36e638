"""Content-Security-Policy, Permissions-Policy and Cache-Control on every response.

Why a middleware of our own: Django 5.2 has no CSP support (it arrives in Django 6.0 as SECURE_CSP and
ContentSecurityPolicyMiddleware), and none of our pages needs a nonce, so the policy is one fixed string per
host. `settings.JEDEL_CSP` has the shape of Django 6.0's SECURE_CSP (directive -> sources), so moving to the
built-in is a rename; django-csp would add a dependency for the one header that 6.0 replaces, and it does not
set Permissions-Policy or Cache-Control, which we need anyway. Kept apart from middleware.py (request hygiene),
which other work edits.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse


def csp_header(host: str | None) -> str:
    """The policy for a page served to `host`: settings.JEDEL_CSP plus this host's websocket endpoints.

    connect-src names ws://host and wss://host explicitly: older browsers do not count a websocket to the page's
    own host as 'self', and a bare `ws:` would let a script talk to any host.
    """
    directives = {name: list(sources) for name, sources in settings.JEDEL_CSP.items()}
    if host:
        directives.setdefault("connect-src", ["'self'"]).extend([f"ws://{host}", f"wss://{host}"])
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2's SecurityMiddleware does not.

    Cache-Control, for a request that carries credentials (a session cookie or an Authorization header):
    - under settings.JEDEL_NO_STORE_PATHS (the API): always `private, no-store`, whatever the view set, so no
      cache on the way or on disk keeps personal data or capacity figures;
    - elsewhere: `private, no-store` unless the view chose its own (the board's polled partials say
      `private, no-cache` so that an unchanged poll is still answered 304 from its ETag).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            host: str | None = request.get_host()
        except DisallowedHost:
            host = None
        response.headers.setdefault("Content-Security-Policy", csp_header(host))
        response.headers.setdefault("Permissions-Policy", settings.JEDEL_PERMISSIONS_POLICY)
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
            if request.path.startswith(tuple(settings.JEDEL_NO_STORE_PATHS)):
                response["Cache-Control"] = "private, no-store"
            elif not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-store"
        return response

"""Request hygiene applied before any view runs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class RejectNulMiddleware:
    """Refuse a NUL character in the path or query string with a 422 naming the parameter.

    Why: no Jedel field may contain NUL, and PostgreSQL cannot even compare against one (a lookup with it
    raises instead of matching nothing), so one check here protects every filter of every page and endpoint.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        loc: list[str] | None = ["path"] if "\x00" in request.path else next(
            (["query", key.replace("\x00", "")] for key, values in request.GET.lists()
             if "\x00" in key or any("\x00" in v for v in values)), None)
        if loc is not None:
            return JsonResponse({"detail": [{"code": "invalid", "loc": loc,
                                             "msg": _("NUL characters are not allowed.")}]}, status=422)
        return self.get_response(request)


class ServiceBusyMiddleware:
    """A page whose database connection could not be had in time (pool exhausted, database restarting)
    answers 503 with Retry-After, not a 500: the browser's next poll simply tries again. The API answers
    the same through its own handler (common/api_errors.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        log.warning("database unavailable for %s: %s", request.path, exception)
        response = HttpResponse(_("The service is busy; try again in a few seconds."), status=503,
                                content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "5"
        return response

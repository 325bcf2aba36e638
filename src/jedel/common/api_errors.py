"""API error handling: domain errors become their status with a code; nothing becomes a 500 page."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jedel.common.errors import DomainError
from jedel.common.limits import JsonTooDeep, MAX_JSON_DEPTH, limit_for, too_large_message

log = logging.getLogger(__name__)


def install(api: NinjaAPI) -> None:
    """Register handlers so every failure answers JSON `{"detail": [{"code", "msg", "loc"?}]}`."""

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [{"code": "invalid", "loc": list(e.get("loc", [])), "msg": e.get("msg", "")}
                  for e in exc.errors]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": [{"code": "not_authenticated", "msg": _("Sign in or send a valid API token.")}]},
            status=401)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja turns any failure to parse the body into a 400 "Cannot parse request body"; the cause says
        # which: too deep to be a Jedel document (422, like every other invalid input) or not JSON at all.
        if isinstance(exc.__cause__, JsonTooDeep):
            msg = _("The JSON body is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH}
            return api.create_response(request, {"detail": [{"code": "too_deeply_nested", "loc": ["body"],
                                                             "msg": msg}]}, status=422)
        if isinstance(exc.__cause__, RequestDataTooBig):
            return _too_large(request)
        return api.create_response(request, {"detail": [{"code": "http_error", "msg": str(exc)}]},
                                   status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _too_large(request)

    def _too_large(request: HttpRequest) -> HttpResponse:
        # Normally refused earlier by RequestSizeLimitMiddleware from Content-Length; this is Django's own
        # DATA_UPLOAD_MAX_MEMORY_SIZE check (e.g. a form field), never a 500.
        limit = limit_for(request)
        return api.create_response(request, {"detail": [{"code": "request_too_large", "msg": too_large_message(limit),
                                                         "limit_bytes": limit}]}, status=413)

    @api.exception_handler(OperationalError)
    def _busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        # No database connection became free in time (pool exhausted) or the database is unreachable: a
        # retryable 503 with a code, so an information system tries again instead of reporting a crash.
        log.warning("database unavailable: %s", exc)
        response = api.create_response(
            request, {"detail": [{"code": "service_busy",
                                  "msg": _("The service is busy; try again in a few seconds.")}]}, status=503)
        response["Retry-After"] = "5"
        return response

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with its traceback for operators; the caller gets a code, never a stack trace.
        log.exception("unhandled API error")
        return api.create_response(
            request, {"detail": [{"code": "internal_error", "msg": _("Unexpected error; it has been logged.")}]},
            status=500)

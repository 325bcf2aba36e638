"""Request size and shape limits, applied once for every page and endpoint.

Why here and not per endpoint: a body is read (and held in memory) by whoever touches it first — the CSRF
middleware, the form parser, django-ninja — so the limit must be enforced before any of them runs, from the
declared Content-Length. Django's own DATA_UPLOAD_MAX_MEMORY_SIZE is set to the same figure (settings.py) so a
body that somehow gets past this check still stops at the same size instead of a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

MB = 1024 * 1024
DEFAULT_MAX_BODY_BYTES = 1 * MB  # JSON and form posts: a capacity report is a few kB
DEFAULT_MAX_UPLOAD_BYTES = 20 * MB  # file imports (multipart, CSV/XML/FHIR bodies): the whole registry is ~1 MB
# Deeper JSON is never a Jedel document (the deepest, a FHIR Bundle, is ~8 levels); refusing it early keeps the
# parser and pydantic far from Python's recursion limit.
MAX_JSON_DEPTH = 64
# Endpoints that take whole files as raw bodies: they get the upload limit whatever the content type.
UPLOAD_PATHS = ("/api/facilities/import", "/api/import/")


def max_body_bytes() -> int:
    return int(getattr(settings, "JEDEL_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def max_upload_bytes() -> int:
    return int(getattr(settings, "JEDEL_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def limit_for(request: HttpRequest) -> int:
    """The most bytes this request's body may have."""
    if request.content_type == "multipart/form-data" or request.path.startswith(UPLOAD_PATHS):
        return max_upload_bytes()
    return max_body_bytes()


def _megabytes(size: int) -> str:
    return f"{size / MB:.0f} MB" if size % MB == 0 else f"{size / MB:.1f} MB"


def too_large_message(limit: int) -> str:
    return _("The request body is larger than the %(limit)s this server accepts.") % {"limit": _megabytes(limit)}


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    """413 with the limit: JSON `{"detail": [{"code", "msg", "limit_bytes"}]}` for the API, a page otherwise."""
    message = too_large_message(limit)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"code": "request_too_large", "msg": message, "limit_bytes": limit}]},
                            status=413)
    return render(request, "common/error.html", {"error": message}, status=413)


class RequestSizeLimitMiddleware:
    """Refuse a body whose declared length exceeds the limit with 413, before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django treats an unreadable length as an empty body
        limit = limit_for(request)
        if declared > limit:
            # The unread body is dropped with the connection's keep-alive by the server; nothing buffers it.
            return too_large_response(request, limit)
        return self.get_response(request)


def json_depth(value: Any) -> int:
    """Nesting depth of parsed JSON (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            return depth
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JsonTooDeep(ValueError):
    """Nested deeper than MAX_JSON_DEPTH (or than the parser can follow)."""


def loads_bounded(data: bytes | str) -> Any:
    """json.loads that refuses documents nested deeper than MAX_JSON_DEPTH with JsonTooDeep (not RecursionError)."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise JsonTooDeep from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise JsonTooDeep
    return value

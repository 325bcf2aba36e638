"""Site-styled error pages (config/urls.py handler404/403/500, settings CSRF_FAILURE_VIEW).

Under the API's paths the answer stays JSON, as every API error is ({"detail": ...}); elsewhere it is a page
in the site's shell. The 500 page is rendered without the request or the database, either may be what failed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from jedel.common.errors import DomainError

log = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(tuple(settings.JEDEL_NO_STORE_PATHS))


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    try:
        return render(request, "common/error.html", {"title": title, "error": message, "status": status},
                      status=status)
    except Exception:  # the shell needs the session (database); never let an error page raise
        log.exception("error page %s could not be rendered in the site shell", status)
        return server_error(request, status=status)


def domain_error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A page view's answer to a refused action or a missing object: the error's message at its status."""
    return render(request, "common/error.html", {"error": exc.detail}, status=exc.status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: unknown address (or an object the view could not find)."""
    return _page(request, 404, _("Page not found"), _("This page does not exist, or it has moved."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 raised as PermissionDenied (policy refusals render their own reason through error.html)."""
    return _page(request, 403, _("Not allowed"), _("You are not allowed to see this page."))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request Django refused before any view (e.g. a host not in JEDEL_ALLOWED_HOSTS)."""
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 from the CSRF check: almost always a form left open past its session, or cookies turned off."""
    return _page(request, 403, _("The form has expired"),
                 _("Reload the page and submit the form again (cookies must be allowed for this site)."))


def server_error(request: HttpRequest | None = None, status: int = 500) -> HttpResponse:
    """500: a plain page that needs neither the request nor the database."""
    if request is not None and _is_api(request):
        return JsonResponse({"detail": _("Internal server error.")}, status=status)
    return HttpResponse(loader.get_template("common/500.html").render({"status": status}), status=status)

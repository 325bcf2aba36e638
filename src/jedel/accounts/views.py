"""Sign in (throttled), sign out, and the audit trail page."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import login, logout
from django.core.paginator import Paginator
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jedel.accounts import selectors
from jedel.accounts.audit_text import ACCOUNT_ACTIONS, action_choices, action_label, change_lines, object_label
from jedel.accounts.forms import SignInForm
from jedel.accounts.policy import principal_for_user
from jedel.accounts.signin import SignInThrottled, client_address, sign_in
from jedel.common.moments import bounded_date
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page


def _safe_next(request: HttpRequest) -> str:
    """Where to go after signing in: `next` only if it stays on this site (no other host, no javascript:)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("board:board")


def login_page(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    error = None
    status = 200
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in(username=form.cleaned_data["username"], password=form.cleaned_data["password"],
                           client=client_address(request))
        except SignInThrottled as exc:
            error, status, retry_after = exc.detail, exc.status, exc.retry_after_s
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_safe_next(request))
    response = render(request, "accounts/login.html", {"form": form, "error": error}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


AUDIT_PAGE_SIZE = 50


def _date(value: str) -> date | None:
    """A filter day typed in the address bar; unreadable or outside Jedel's years means no filter."""
    try:
        return bounded_date(date.fromisoformat(value)) if value else None
    except ValueError:
        return None


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    """The audit trail of the viewer's scope: filters (who, action, facility, Almaty days), 50 a page."""
    p = principal_for_user(request.user)
    g = request.GET
    filters = selectors.AuditFilter(who=g.get("who", "")[:200], action=g.get("action", "")[:64],
                                    facility=g.get("facility", "")[:64], since=_date(g.get("since", "")),
                                    until=_date(g.get("until", "")))
    try:
        kinds = selectors.audit_scope(p)
        events = selectors.audit_list(viewer=p, filters=filters, limit=None)
    except DomainError as exc:
        return domain_error_page(request, exc)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(g.get("page"))
    rows = [{"e": e, "action": action_label(e.action), "object": object_label(e.object_type),
             "changes": change_lines(e.changes)} for e in page.object_list]
    query = g.copy()
    query.pop("page", None)
    choices = [(k, v) for k, v in action_choices() if kinds == "all" or k in ACCOUNT_ACTIONS]
    return render(request, "accounts/audit.html", {
        "rows": rows, "page": page, "filters": filters, "actions": choices, "query": query.urlencode(),
        "accounts_only": kinds == "accounts"})

"""Account administration pages: users (deactivate, reactivate, unlock, set password) and API tokens (issue,
rotate, revoke). Views pass the signed-in principal down; the services check the policy and audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts import administration, selectors
from jedel.accounts.policy import principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return domain_error_page(request, exc)


@login_required
def users_page(request: HttpRequest) -> HttpResponse:
    p = principal_for_user(request.user)
    try:
        users = list(selectors.user_list(viewer=p, query=request.GET.get("q", "")[:150]))
    except DomainError as exc:
        return _refused(request, exc)
    return render(request, "accounts/users.html", {"users": users, "q": request.GET.get("q", "")})


@login_required
@require_POST
def user_action(request: HttpRequest, username: str, action: str) -> HttpResponse:
    """deactivate | activate | unlock, then back to the list with a message (errors shown, never a 500)."""
    p = principal_for_user(request.user)
    calls: dict[str, Any] = {
        "deactivate": (lambda: administration.user_set_active(actor=p, username=username, active=False),
                       _("%(user)s deactivated.")),
        "activate": (lambda: administration.user_set_active(actor=p, username=username, active=True),
                     _("%(user)s reactivated.")),
        "unlock": (lambda: administration.user_unlock(actor=p, username=username),
                   _("Failed sign-ins of %(user)s cleared.")),
    }
    if action not in calls:
        raise Http404
    call, done = calls[action]
    try:
        call()
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            return _refused(request, exc)
        messages.error(request, exc.detail)
    else:
        messages.success(request, done % {"user": username})
    return redirect("accounts:users")


@login_required
def password_page(request: HttpRequest, username: str) -> HttpResponse:
    p = principal_for_user(request.user)
    error, status = None, 200
    if request.method == "POST":
        try:
            administration.user_set_password(actor=p, username=username, password=request.POST.get("password", ""))
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                return _refused(request, exc)
            error, status = exc.detail, 422
        else:
            messages.success(request, _("Password set for %(user)s.") % {"user": username})
            return redirect("accounts:users")
    return render(request, "accounts/password.html", {"username": username, "error": error}, status=status)


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    """The list, and the issue form; a new secret is rendered in this response only (never in the session)."""
    p = principal_for_user(request.user)
    secret, error, status = None, None, 200
    if request.method == "POST":
        data = request.POST
        try:
            _token, secret = administration.token_issue(
                actor=p, name=data.get("name", ""), facility_code=data.get("facility", "").strip() or None,
                username=data.get("user", "").strip() or None)
        except DomainError as exc:
            if exc.status in (401, 403):
                return _refused(request, exc)
            error, status = exc.detail, 422
    try:
        tokens = list(selectors.token_list(viewer=p, include_revoked=request.GET.get("all") == "1"))
    except DomainError as exc:
        return _refused(request, exc)
    return render(request, "accounts/tokens.html", {"tokens": tokens, "secret": secret, "error": error},
                  status=status)


@login_required
@require_POST
def token_action(request: HttpRequest, token_id: int, action: str) -> HttpResponse:
    """revoke | rotate (a new token for the same owner and the old one revoked; the new secret shown once)."""
    if action not in ("revoke", "rotate"):
        raise Http404
    p = principal_for_user(request.user)
    try:
        if action == "rotate":
            _new, secret = administration.token_rotate(actor=p, token_id=token_id)
            tokens = list(selectors.token_list(viewer=p))
            return render(request, "accounts/tokens.html", {"tokens": tokens, "secret": secret})
        administration.token_withdraw(actor=p, token_id=token_id)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            return _refused(request, exc)
        messages.error(request, exc.detail)
        return redirect("accounts:tokens")
    messages.success(request, _("Token %(id)d revoked.") % {"id": token_id})
    return redirect("accounts:tokens")

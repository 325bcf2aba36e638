"""Sign in (with lockout), sign out, and the audit trail page."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jedel.accounts import selectors
from jedel.accounts.forms import SignInForm
from jedel.accounts.policy import principal_for_user
from jedel.accounts.services import sign_in
from jedel.common.errors import DomainError


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
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in(username=form.cleaned_data["username"], password=form.cleaned_data["password"],
                           request=request)
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "error": error}, status=status)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    p = principal_for_user(request.user)
    try:
        events = list(selectors.audit_list(viewer=p))
    except DomainError as exc:
        return render(request, "common/error.html", {"error": exc.detail}, status=exc.status)
    return render(request, "accounts/audit.html", {"events": events})

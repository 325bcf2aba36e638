"""Sign in (with lockout), sign out, and the audit trail page."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jedel.accounts import selectors
from jedel.accounts.forms import SignInForm
from jedel.accounts.policy import principal_for_user
from jedel.accounts.services import sign_in
from jedel.common.errors import DomainError


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
            return redirect(request.GET.get("next") or "board:board")
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

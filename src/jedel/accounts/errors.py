"""Error codes of the accounts app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class AccountError(ErrorCode):
    FORBIDDEN = "forbidden"
    NOT_AUTHENTICATED = "not_authenticated"
    LOCKED = "account_locked"
    BAD_CREDENTIALS = "bad_credentials"
    BAD_TOKEN = "bad_token"
    BAD_SCOPE = "bad_scope"
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"


register_messages({
    AccountError.FORBIDDEN: _("You do not have permission to do this."),
    AccountError.NOT_AUTHENTICATED: _("Sign in first."),
    AccountError.LOCKED: _("Too many failed sign-in attempts. The account is locked for a while."),
    AccountError.BAD_CREDENTIALS: _("Wrong username or password."),
    AccountError.BAD_TOKEN: _("The API token is unknown or revoked."),
    AccountError.BAD_SCOPE: _("The scope does not match the role."),
    AccountError.USERNAME_TAKEN: _("This username is already taken."),
    AccountError.WEAK_PASSWORD: _("The password is too weak."),
})

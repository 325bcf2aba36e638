"""Error codes of the accounts app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.common.errors import ErrorCode, register_messages


class AccountError(ErrorCode):
    FORBIDDEN = "forbidden"
    NOT_AUTHENTICATED = "not_authenticated"
    THROTTLED = "sign_in_throttled"
    BAD_CREDENTIALS = "bad_credentials"
    BAD_TOKEN = "bad_token"
    BAD_SCOPE = "bad_scope"
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"
    UNKNOWN_USER = "unknown_user"
    UNKNOWN_TOKEN = "unknown_token"
    UNKNOWN_FACILITY = "unknown_facility"
    TOKEN_OWNER = "token_owner"
    TOKEN_NAME = "token_name_required"
    TOKEN_REVOKED = "token_revoked"
    BAD_CLIENT = "bad_client"
    SELF_DEACTIVATE = "self_deactivate"


register_messages({
    AccountError.FORBIDDEN: _("You do not have permission to do this."),
    AccountError.NOT_AUTHENTICATED: _("Sign in first."),
    AccountError.THROTTLED: _("Too many failed sign-in attempts from here. Try again later."),
    AccountError.BAD_CREDENTIALS: _("Wrong username or password."),
    AccountError.BAD_TOKEN: _("The API token is unknown or revoked."),
    AccountError.BAD_SCOPE: _("The scope does not match the role."),
    AccountError.USERNAME_TAKEN: _("This username is already taken."),
    AccountError.WEAK_PASSWORD: _("The password is too weak."),
    AccountError.UNKNOWN_USER: _("No user has this username."),
    AccountError.UNKNOWN_TOKEN: _("No API token has this number."),
    AccountError.UNKNOWN_FACILITY: _("No facility has this code."),
    AccountError.TOKEN_OWNER: _("A token belongs to exactly one facility or one user."),
    AccountError.TOKEN_NAME: _("Give the token a name (which system uses it)."),
    AccountError.TOKEN_REVOKED: _("This token is already revoked."),
    AccountError.BAD_CLIENT: _("Not an IP address."),
    AccountError.SELF_DEACTIVATE: _("You cannot deactivate your own account."),
})

"""Actions of the accounts app: the audit trail, user and token administration."""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import COORDINATORS, declare

VIEW_AUDIT = declare("view_audit", roles=COORDINATORS, national_when_untargeted=True,
                     description="Read the audit trail of one's scope")
# Security officers investigate abuse: they read sign-ins and account actions within their scope (their
# facility, region or the country), not the capacity and registry edits of the full trail.
VIEW_ACCOUNT_AUDIT = declare("view_account_audit", roles=COORDINATORS | {Role.SECURITY_OFFICER},
                             description="Read the audit of sign-ins and account actions of one's scope")
MANAGE_USERS = declare("manage_users", roles=COORDINATORS, national_when_untargeted=True,
                       description="Create, deactivate and unlock users and set their passwords within one's scope")
MANAGE_TOKENS = declare("manage_tokens", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                        description="Issue and revoke a facility's API tokens")

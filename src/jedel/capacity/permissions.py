"""Actions of the capacity app."""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import ALL_ROLES, COORDINATORS, TokenUse, declare

VIEW_BOARD = declare("view_board", roles=ALL_ROLES, nationwide=True, token=TokenUse.ANY,
                     description="Read the national capacity picture")
REPORT_CAPACITY = declare("report_capacity", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                          token=TokenUse.OWN_FACILITY, description="Report a facility's capacity")

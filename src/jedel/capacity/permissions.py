"""Actions of the capacity app."""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import ALL_ROLES, COORDINATORS, TokenUse, declare

VIEW_BOARD = declare("view_board", roles=ALL_ROLES, nationwide=True, token=TokenUse.ANY,
                     description="Read the national capacity picture")
REPORT_CAPACITY = declare("report_capacity", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                          token=TokenUse.OWN_FACILITY, description="Report a facility's capacity")
# Triage and casualty distribution compute on the caller's own input plus the national capacity picture that
# every role and every facility token may already read (VIEW_BOARD); nothing is written. A hospital's
# information system or a crew's tablet must be able to triage, so the action is as open as the board.
USE_ENGINES = declare("use_engines", roles=ALL_ROLES, nationwide=True, token=TokenUse.ANY,
                      description="Run the triage and casualty-distribution engines")

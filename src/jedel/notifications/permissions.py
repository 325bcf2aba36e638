"""Actions of the notifications app."""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import ALL_ROLES, COORDINATORS, Target, declare, register_target
from jedel.notifications.models import Desk, Notice

SEND_NOTICE = declare("send_notice", roles=COORDINATORS | {Role.FACILITY_MANAGER, Role.SECURITY_OFFICER},
                      national_when_untargeted=True, description="Send a notice to people or duty desks")
# Anyone signed in receives notices addressed to them; the selector narrows it to their own deliveries.
RECEIVE_NOTICES = declare("receive_notices", roles=ALL_ROLES, nationwide=True,
                          description="Read and answer notices addressed to oneself")
VIEW_NOTICE_LOG = declare("view_notice_log", roles=COORDINATORS | {Role.FACILITY_MANAGER, Role.SECURITY_OFFICER},
                          national_when_untargeted=True,
                          description="See who received, read and acknowledged a notice, and alerting statistics")
# Who is on duty where: coordinators route patients and calls by it, so every role may read the whole roster.
VIEW_ROSTER = declare("view_roster", roles=ALL_ROLES, nationwide=True, description="See who is on duty at each desk")
MANAGE_ROSTER = declare("manage_roster", roles=COORDINATORS | {Role.FACILITY_MANAGER, Role.SECURITY_OFFICER},
                        national_when_untargeted=True, description="Put people on duty at a desk")


@register_target(Notice)
def _notice_target(notice: Notice) -> Target:
    return Target(region_id=notice.region_id, facility_id=notice.facility_id)


@register_target(Desk)
def _desk_target(desk: Desk) -> Target:
    if desk.facility_id is not None:
        return Target(region_id=desk.facility.region_id, facility_id=desk.facility_id)
    return Target(region_id=desk.region_id)

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

# Digest or immediate per role and kind: how the country is alerted is set nationally; the coordinators, who
# route by it, may read the rules.
VIEW_DIGEST_RULES = declare("view_digest_rules", roles=COORDINATORS, nationwide=True,
                            description="See which notices reach whom immediately and which in digests")
MANAGE_DIGEST_RULES = declare("manage_digest_rules", roles={Role.NATIONAL_COORDINATOR}, national_when_untargeted=True,
                              description="Set digest or immediate delivery per role, notice kind and person")


@register_target(Notice)
def _notice_target(notice: Notice) -> Target:
    return Target(region_id=notice.region_id, facility_id=notice.facility_id)


@register_target(Desk)
def _desk_target(desk: Desk) -> Target:
    if desk.facility_id is not None:
        return Target(region_id=desk.facility.region_id, facility_id=desk.facility_id)
    return Target(region_id=desk.region_id)

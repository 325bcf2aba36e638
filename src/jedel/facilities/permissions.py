"""Actions of the facilities app and how a facility resolves to a permission target."""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import ALL_ROLES, COORDINATORS, Target, TokenUse, declare, register_target
from jedel.facilities.models import Facility, ReferralLink

# The registry is national reading: a hospital must know every other hospital it could send patients to.
VIEW_FACILITY = declare("view_facility", roles=ALL_ROLES, nationwide=True, token=TokenUse.ANY,
                        description="Read facilities, their referral links and status")
EXPORT = declare("export", roles=ALL_ROLES, nationwide=True, token=TokenUse.ANY,
                 description="Download the registry or the capacity picture in a standard format")
EDIT_FACILITY = declare("edit_facility", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                        description="Change a facility's registry entry and referral links")
# What the region decides about a facility: what kind it is, how often it must report (its overdue alarm), its
# trauma level and the capabilities the distribution engine sends casualties by. Its own manager keeps the rest.
GOVERN_FACILITY = declare("govern_facility", roles=COORDINATORS,
                          description="Change a facility's kind, reporting interval, trauma level or capabilities")
CREATE_FACILITY = declare("create_facility", roles=COORDINATORS, national_when_untargeted=True,
                          description="Register or deactivate a facility")
IMPORT_FACILITIES = declare("import_facilities", roles=COORDINATORS, national_when_untargeted=True,
                            description="Import a registry file")


@register_target(Facility)
def facility_target(facility: Facility) -> Target:
    return Target(region_id=facility.region_id, facility_id=facility.pk)


@register_target(ReferralLink)
def referral_target(link: ReferralLink) -> Target:
    """A referral link belongs to the facility that refers."""
    return Target(region_id=link.source.region_id, facility_id=link.source_id)

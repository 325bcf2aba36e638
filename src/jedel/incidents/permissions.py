"""Actions of the incidents app, and how an incident and a casualty resolve to a permission target.

An incident is its own scope: it lies in every region it affects (a regional coordinator of any of them is in
scope) and at the facilities of the people holding a role in it (a hospital liaison brings their hospital's
staff in). A casualty lies where its incident lies, and also at its destination facility, so a receiving
hospital sees the casualties on their way to it and no others: personal data is need-to-know.
"""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import ALL_ROLES, COORDINATORS, Target, TokenUse, declare, register_target
from jedel.incidents.models import Casualty, Incident, IncidentRole

# That an incident exists, where and how big (no personal data): everyone who may read the capacity board.
VIEW_INCIDENT = declare("view_incident", roles=ALL_ROLES, nationwide=True, token=TokenUse.ANY,
                        description="See incidents, their timeline, roles and casualty counts")
DECLARE_INCIDENT = declare("declare_incident", roles=COORDINATORS, national_when_untargeted=True,
                           description="Declare an incident (or an exercise) in the regions of one's scope")
MANAGE_INCIDENT = declare("manage_incident", roles=COORDINATORS,
                          description="Assign an incident's roles, stand it down and close it")
# Scene crews and receiving hospitals work with the casualties themselves: clinicians and facility managers of
# a facility in the incident (a liaison's hospital) or of the casualty's destination, and the coordinators.
CASUALTY_ROLES = COORDINATORS | {Role.CLINICIAN, Role.FACILITY_MANAGER}
VIEW_CASUALTIES = declare("view_casualties", roles=CASUALTY_ROLES,
                          description="See an incident's casualties, with their names and descriptions")
REGISTER_CASUALTY = declare("register_casualty", roles=CASUALTY_ROLES,
                            description="Register a casualty by the number on the triage tag")
TRIAGE_CASUALTY = declare("triage_casualty", roles=CASUALTY_ROLES, description="Record a casualty's triage")
MOVE_CASUALTY = declare("move_casualty", roles=CASUALTY_ROLES,
                        description="Change a casualty's status, destination, vehicle or arrival time")

# Family reunification (issue 8, item 6). Finding a casualty by name, age band, sex, description or tag is for
# the desks relatives turn to: the coordination centres (national, regional) and a hospital's management (its
# information desk); nationwide, because a family asks wherever it is. Not for clinicians, security officers,
# viewers or systems: names and descriptions are personal data, need-to-know. Every search is audited.
REUNIFICATION_ROLES = COORDINATORS | {Role.FACILITY_MANAGER}
SEARCH_CASUALTIES = declare("search_casualties", roles=REUNIFICATION_ROLES, nationwide=True,
                            description="Search the casualties of every incident by name, age band, sex, "
                                        "description or tag (family reunification; the search is audited)")
# Where a found casualty is now (status, destination, vehicle): the coordinators over the incident or over the
# destination's region, and the management of the hospital the casualty was sent to (target:
# casualty_location_target). Others learn that the casualty is registered and whom to ask.
LOCATE_CASUALTY = declare("locate_casualty", roles=REUNIFICATION_ROLES,
                          description="See where a casualty found by a search is now (status and destination)")
# Exports hold every casualty's personal data and whereabouts: coordinators over the incident only.
EXPORT_CASUALTIES = declare("export_casualties", roles=COORDINATORS,
                            description="Export an incident's tracking data (FHIR R4, CSV)")


@register_target(Incident)
def incident_target(incident: Incident) -> Target:
    regions = frozenset(incident.regions.values_list("pk", flat=True))
    facilities = frozenset(
        IncidentRole.objects.filter(incident=incident, ended_at__isnull=True, user__scope_facility__isnull=False)
        .values_list("user__scope_facility_id", flat=True))
    return Target(region_id=incident.region_id, regions=regions, facilities=facilities)


@register_target(Casualty)
def casualty_target(casualty: Casualty) -> Target:
    t = incident_target(casualty.incident)
    return Target(region_id=t.region_id, regions=t.regions, facility_id=casualty.destination_id,
                  facilities=t.facilities)


def casualty_location_target(casualty: Casualty) -> Target:
    """Where a casualty's whereabouts lie: the incident's regions, the destination and the destination's region
    (its coordinator answers for its hospitals); a liaison's hospital, in the incident but not receiving this
    casualty, does not learn where it went."""
    incident = casualty.incident
    regions = {r.pk for r in incident.regions.all()}  # prefetched by the search
    if casualty.destination is not None:
        regions.add(casualty.destination.region_id)
    return Target(region_id=incident.region_id, regions=frozenset(regions), facility_id=casualty.destination_id)

# Live distribution: coordinators over the incident accept or override the proposed destinations; a receiving
# hospital's own staff (and the coordinators over it) declare it full for a category or ask for a diversion.
ASSIGN_CASUALTY = declare("assign_casualty", roles=COORDINATORS,
                          description="Accept or override a casualty's proposed destination hospital")
RECEIVE_CASUALTIES = declare("receive_casualties", roles=CASUALTY_ROLES,
                             description="As a receiving hospital: declare it full for a category, ask for diversion")

# Walk-in casualties (issue 17 item 4): the receiving hospital's own clinicians and managers register the people who
# arrive by themselves, one by one or only counted (target: the hospital and the incident's regions, see
# services/walkins.py), and the coordinators over the incident may do it for them.
REGISTER_WALKIN = declare("register_walkin", roles=CASUALTY_ROLES,
                          description="Register or count walk-in casualties arriving at one's hospital")

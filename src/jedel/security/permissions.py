"""Actions of the security app and how its objects resolve to permission targets.

Decisions (issue 10):
- Pressing the panic page is for the facility's own staff (clinicians, managers, security officers) at their
  facility; a panic *button* authenticates with its own device secret (auth.py), not with a role.
- The security console, acknowledging and resolving alerts, buttons and posture: the facility's security officer
  and manager, the regional security lead (a security officer with region scope) and the coordinators over it.
- Registry: the same people record incidents and attach evidence. Anyone in that set, and viewers, may read the
  registry without personal data, within their own scope. Names of victims and perpetrators, and the evidence
  files, only the facility's security officer, its manager and the regional security lead: role security
  officer or facility manager, scoped to the facility or its region — never at national scope (national
  analytics are anonymised aggregates; see selectors_registry.personal_allowed).
"""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import COORDINATORS, Target, declare, register_target
from jedel.security.models import PanicAlert, PanicButton, SecurityPosture
from jedel.security.models_registry import Evidence, ViolenceIncident

STAFF = {Role.CLINICIAN, Role.FACILITY_MANAGER, Role.SECURITY_OFFICER}
SECURITY_DESK = COORDINATORS | {Role.FACILITY_MANAGER, Role.SECURITY_OFFICER}

RAISE_PANIC = declare("raise_panic", roles=STAFF,
                      description="Raise a panic alert from the panic page at one's own facility")
WATCH_PANIC = declare("watch_panic", roles=SECURITY_DESK,
                      description="Follow a facility's security console: panic alerts live, with their location")
ANSWER_PANIC = declare("answer_panic", roles=SECURITY_DESK,
                       description="Acknowledge and resolve a panic alert")
MANAGE_BUTTONS = declare("manage_panic_buttons", roles=SECURITY_DESK,
                         description="Register, test and revoke a facility's panic buttons")
VIEW_SECURITY = declare("view_security", roles=SECURITY_DESK | {Role.VIEWER},
                        description="Read security posture, compliance, response times and the registry "
                                    "without personal data")
EDIT_POSTURE = declare("edit_security_posture", roles=SECURITY_DESK,
                       description="Record a facility's security post, cameras, body cameras and audits")
RECORD_VIOLENCE = declare("record_violence", roles=SECURITY_DESK,
                          description="Record a violence incident, its victims, perpetrators and evidence")
VIEW_VIOLENCE_PERSONAL = declare("view_violence_personal", roles={Role.FACILITY_MANAGER, Role.SECURITY_OFFICER},
                                 description="Read names of victims and perpetrators and open evidence files "
                                             "(facility or region scope only)")


def _facility_target(facility_id: int, region_id: int) -> Target:
    return Target(region_id=region_id, facility_id=facility_id)


@register_target(PanicButton)
def _button_target(button: PanicButton) -> Target:
    return _facility_target(button.facility_id, button.facility.region_id)


@register_target(PanicAlert)
def _alert_target(alert: PanicAlert) -> Target:
    return _facility_target(alert.facility_id, alert.facility.region_id)


@register_target(SecurityPosture)
def _posture_target(posture: SecurityPosture) -> Target:
    return _facility_target(posture.facility_id, posture.facility.region_id)


@register_target(ViolenceIncident)
def _incident_target(incident: ViolenceIncident) -> Target:
    return _facility_target(incident.facility_id, incident.facility.region_id)


@register_target(Evidence)
def _evidence_target(evidence: Evidence) -> Target:
    return _incident_target(evidence.incident)

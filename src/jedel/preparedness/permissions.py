"""Actions of the preparedness app and how its objects resolve to permission targets.

Decision (issue 13): an HSI assessment shows where a hospital would fail in a disaster, so it is not national
reading like the capacity board. Facility managers assess and read their own facility; regional coordinators
every facility of their region; national coordinators everything. Viewers read within their own scope (a
national viewer — the Ministry — reads everything). Clinicians, security officers and facility API tokens have
no part in it. The instrument catalogue (the checklist itself) is reference data every person may read.
"""

from __future__ import annotations

from jedel.accounts.models import Role
from jedel.accounts.policy import ALL_ROLES, COORDINATORS, Target, declare, register_target
from jedel.preparedness.models import EmergencyPlan, HsiAssessment, RemediationTask, ReserveMember, TrainingSession

VIEW_INSTRUMENTS = declare("view_instruments", roles=ALL_ROLES, nationwide=True,
                           description="Read the assessment instruments (checklists, items, weights)")
VIEW_PREPAREDNESS = declare("view_preparedness", roles=COORDINATORS | {Role.FACILITY_MANAGER, Role.VIEWER},
                            description="Read HSI assessments, their index and remediation tasks")
ASSESS_HSI = declare("assess_hsi", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                     description="Start an HSI assessment of a facility and rate its items")
MANAGE_REMEDIATION = declare("manage_remediation", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                             description="Generate and update remediation tasks from an assessment")

EDIT_PLAN = declare("edit_plan", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                    description="Write a facility's hospital emergency response plan")


@register_target(EmergencyPlan)
def _plan_target(plan: EmergencyPlan) -> Target:
    return Target(region_id=plan.facility.region_id, facility_id=plan.facility_id)


@register_target(HsiAssessment)
def _assessment_target(assessment: HsiAssessment) -> Target:
    return Target(region_id=assessment.facility.region_id, facility_id=assessment.facility_id)


@register_target(RemediationTask)
def _task_target(task: RemediationTask) -> Target:
    return Target(region_id=task.facility.region_id, facility_id=task.facility_id)

# Decision (issue 13, plan pages): in a mass-casualty incident the hospital's own staff need the activation levels
# and the call-down list, so the activation page is readable by every person of the facility (clinicians and
# security officers included, within their scope), while the checklist and its evidence stay with VIEW_PREPAREDNESS.
VIEW_PLAN_ACTIVATION = declare("view_plan_activation", roles=ALL_ROLES,
                               description="Read a plan's activation levels, call-down list and action cards")

# Training registry and personnel reserve (issue 13, part 3). The course catalogue is national reference data,
# kept by the national coordinator; sessions, certificates and the reserve are written by the coordinators over
# the facility (or region) and the facility's own manager, and read like the rest of preparedness. A region's
# designated hospital coordinator and deputies are named by the coordinators over that region.
VIEW_COURSES = declare("view_courses", roles=ALL_ROLES, nationwide=True,
                       description="Read the catalogue of courses and exercises")
MANAGE_COURSES = declare("manage_courses", roles={Role.NATIONAL_COORDINATOR},
                         description="Add courses and exercises to the national catalogue")
VIEW_TRAINING = declare("view_training", roles=COORDINATORS | {Role.FACILITY_MANAGER, Role.VIEWER},
                        description="Read training sessions, certificates, the reserve and training reports")
MANAGE_TRAINING = declare("manage_training", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                          description="Record training sessions, participants and certificates")
MANAGE_RESERVE = declare("manage_reserve", roles=COORDINATORS | {Role.FACILITY_MANAGER},
                         description="Keep the personnel reserve (competencies, availability)")
MANAGE_REGION_COORDINATORS = declare("manage_region_coordinators", roles=COORDINATORS,
                                     description="Name a region's designated hospital coordinator and deputies")


@register_target(TrainingSession)
def _session_target(session: TrainingSession) -> Target:
    return Target(region_id=session.region_id, facility_id=session.facility_id)


@register_target(ReserveMember)
def _member_target(member: ReserveMember) -> Target:
    return Target(region_id=member.region_id, facility_id=member.facility_id)

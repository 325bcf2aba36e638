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
from jedel.preparedness.models import EmergencyPlan, HsiAssessment, RemediationTask

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

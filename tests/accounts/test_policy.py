"""The permission policy as a full matrix: every declared action × role × target (own vs other).

The expected decisions are written out below, not derived from the policy: a new action must get its own
row here (the first test fails until it does).
"""

from __future__ import annotations

import pytest

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import (
    Principal,
    Target,
    TokenUse,
    action_named,
    allowed,
    declare,
    declared_actions,
    register_target,
    target_of,
)

OWN_REGION, OTHER_REGION = 1, 2
OWN_FACILITY, OTHER_FACILITY = 10, 20
OWN = Target(region_id=OWN_REGION, facility_id=OWN_FACILITY)
SAME_REGION_OTHER_FACILITY = Target(region_id=OWN_REGION, facility_id=OTHER_FACILITY)
ELSEWHERE = Target(region_id=OTHER_REGION, facility_id=OTHER_FACILITY)
NATIONWIDE = Target()
TARGETS = (OWN, SAME_REGION_OTHER_FACILITY, ELSEWHERE, NATIONWIDE)

SCOPE_FOR_ROLE = {
    Role.NATIONAL_COORDINATOR: ScopeLevel.NATIONAL,
    Role.REGIONAL_COORDINATOR: ScopeLevel.REGION,
    Role.FACILITY_MANAGER: ScopeLevel.FACILITY,
    Role.CLINICIAN: ScopeLevel.FACILITY,
    Role.SECURITY_OFFICER: ScopeLevel.FACILITY,
    Role.LOGISTICIAN: ScopeLevel.REGION,
    Role.VIEWER: ScopeLevel.NATIONAL,
}
NC, RC, FM, CL, SO, LG, VW, TOKEN = ("national_coordinator", "regional_coordinator", "facility_manager",
                                     "clinician", "security_officer", "logistician", "viewer", "token")

Y4, N4 = "YYYY", "NNNN"
OWN_ONLY, OWN_REGION_ONLY = "YNNN", "YYNN"
# action -> caller -> decisions for (own facility, other facility in own region, other region, nationwide).
EXPECTED: dict[str, dict[str, str]] = {
    # The national picture and reference data: every signed-in role and every token, everywhere.
    "view_board": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: Y4},
    "view_facility": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: Y4},
    "view_geography": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: Y4},
    "export": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: Y4},
    # The engines compute, they store nothing: a hospital system or a crew's tablet must be able to triage.
    "use_engines": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: Y4},
    # Reporting: a facility's own manager (and its token), or the coordinators over it.
    "report_capacity": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: OWN_ONLY},
    "edit_facility": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_tokens": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # Registry-wide and administrative: coordinators; the whole country only from national scope.
    "create_facility": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "govern_facility": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "import_facilities": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_users": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "view_audit": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # Security officers investigate abuse: sign-ins and account actions of their own scope (README, Roles).
    "view_account_audit": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    # Notifications: a person's own notices (the selector narrows to them) and the rosters are open to every
    # person, never to a token; sending, the notice log and the rosters' upkeep follow the place.
    "receive_notices": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: N4},
    "view_roster": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: N4},
    "send_notice": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    "view_notice_log": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    "manage_roster": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    # Digest or immediate per role and kind: set nationally, read by the coordinators who route by it.
    "view_digest_rules": {NC: Y4, RC: Y4, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_digest_rules": {NC: Y4, RC: N4, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # Incidents: that one exists (no personal data) is read like the board; declaring and managing follow the
    # region; casualties (personal data) are for coordinators over the incident and for the clinicians and
    # managers of a facility in it (a liaison's hospital) or of the casualty's destination.
    "view_incident": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: Y4},
    "declare_incident": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_incident": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "view_casualties": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "register_casualty": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # Walk-ins: the receiving hospital's own clinicians and managers, and the coordinators over it (issue 17).
    "register_walkin": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "triage_casualty": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "move_casualty": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # Live distribution: coordinators over the incident assign; a receiving hospital's own staff (and the
    # coordinators over it) declare it full for a category or ask for a diversion.
    "assign_casualty": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "receive_casualties": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # Family reunification: the coordination centres and a hospital's management search every incident; where a
    # found casualty is follows the incident's regions and the destination; exports are for coordinators.
    "search_casualties": {NC: Y4, RC: Y4, FM: Y4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "locate_casualty": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "export_casualties": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # Preparedness: the checklists are reference reading for every person; an HSI assessment (where a hospital would
    # fail) is read and written within scope by coordinators and the facility's manager, and read by viewers.
    "view_instruments": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: N4},
    "view_preparedness": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: Y4, TOKEN: N4},
    "assess_hsi": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_remediation": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "edit_plan": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # A plan's activation page (levels, call-down list, action cards) is for every person of the facility.
    "view_plan_activation": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: OWN_ONLY, LG: OWN_REGION_ONLY, VW: Y4, TOKEN: N4},
    # Training: the course catalogue is national reference data kept by NCCEM; sessions, certificates and the
    # reserve follow the facility; a region's designated coordinators are named by the coordinators over it.
    "view_courses": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: N4},
    "manage_courses": {NC: Y4, RC: N4, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "view_training": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: Y4, TOKEN: N4},
    "manage_training": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_reserve": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_region_coordinators": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    # Security: staff press the panic button at their own facility only (coordinators are not on a ward); the
    # security desk (officer, manager, coordinators over them) follows and answers it; names of victims and
    # perpetrators stay within the facility, with its manager and security officers.
    "raise_panic": {NC: N4, RC: N4, FM: OWN_ONLY, CL: OWN_ONLY, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    "watch_panic": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    "answer_panic": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    "manage_panic_buttons": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    "view_security": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: Y4, TOKEN: N4},
    "edit_security_posture": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    "record_violence": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    "view_violence_personal": {NC: N4, RC: N4, FM: OWN_ONLY, CL: N4, SO: OWN_ONLY, LG: N4, VW: N4, TOKEN: N4},
    # Transfers: the sending and receiving hospitals' staff and the coordinators over them; road dispatch is
    # regional, the air ambulance national (NCCEM); the fleet is seen by everyone, its aircraft kept by NCCEM
    # and its road ambulances by the region.
    "view_transfers": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: Y4, TOKEN: N4},
    "request_transfer": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "receive_transfer": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: OWN_ONLY, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "dispatch_transfer": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "dispatch_air": {NC: Y4, RC: N4, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "view_transport_assets": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: N4},
    "manage_transport_assets": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_aircraft": {NC: Y4, RC: N4, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "manage_road_ambulances": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: N4, VW: N4, TOKEN: N4},
    "view_transfer_stats": {NC: Y4, RC: Y4, FM: Y4, CL: N4, SO: N4, LG: N4, VW: Y4, TOKEN: N4},
    # Supplies: stock, requests and distributions are read by every person (no personal data); the catalogue and
    # kit versions are national (national logisticians, NCCEM); stock moves follow the warehouse (its region, or
    # its hospital for a store); households' names stay with the region's logisticians and coordinator.
    "view_supplies": {NC: Y4, RC: Y4, FM: Y4, CL: Y4, SO: Y4, LG: Y4, VW: Y4, TOKEN: N4},
    "manage_catalogue": {NC: Y4, RC: N4, FM: N4, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4, TOKEN: N4},
    "manage_warehouse": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4, TOKEN: N4},
    "move_stock": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4, TOKEN: N4},
    "request_supplies": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4,
                         TOKEN: N4},
    "decide_request": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4, TOKEN: N4},
    "ship_supplies": {NC: Y4, RC: OWN_REGION_ONLY, FM: OWN_ONLY, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4,
                      TOKEN: N4},
    "distribute_supplies": {NC: Y4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4,
                            TOKEN: N4},
    "view_beneficiaries": {NC: N4, RC: OWN_REGION_ONLY, FM: N4, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4,
                           TOKEN: N4},
    "propose_kit": {NC: Y4, RC: Y4, FM: N4, CL: N4, SO: N4, LG: Y4, VW: N4, TOKEN: N4},
    # Regional logisticians may decide a kit only where a kit were regional (the untargeted, national kit: no).
    "decide_kit": {NC: Y4, RC: N4, FM: N4, CL: N4, SO: N4, LG: OWN_REGION_ONLY, VW: N4, TOKEN: N4},
}


def caller(name: str) -> Principal:
    if name == TOKEN:
        return Principal(label="token:his", role=None, scope_level=ScopeLevel.FACILITY, region_id=OWN_REGION,
                         facility_id=OWN_FACILITY, is_token=True)
    role = Role(name)
    return Principal(label=role.value, role=role, scope_level=SCOPE_FOR_ROLE[role],
                     region_id=OWN_REGION, facility_id=OWN_FACILITY)


def test_every_declared_action_has_a_row_and_every_row_an_action() -> None:
    assert {a.name for a in declared_actions() if not a.name.startswith("test_")} == set(EXPECTED)


@pytest.mark.parametrize("who", [NC, RC, FM, CL, SO, LG, VW, TOKEN])
@pytest.mark.parametrize("action_name", sorted(EXPECTED))
def test_matrix(action_name: str, who: str) -> None:
    action = action_named(action_name)
    assert action is not None
    got = "".join("Y" if allowed(caller(who), action, t) else "N" for t in TARGETS)
    assert got == EXPECTED[action_name][who]


def test_principal_without_role_is_denied_everything_but_nothing_crashes() -> None:
    nobody = Principal(label="x", role=None, scope_level=ScopeLevel.NATIONAL)
    assert not any(allowed(nobody, a, t) for a in declared_actions() for t in TARGETS)


def test_an_app_declares_its_own_action_and_target_without_editing_the_policy() -> None:
    class Warehouse:  # a later app's object: it resolves to the region it stands in
        def __init__(self, region_id: int) -> None:
            self.region_id = region_id

    register_target(Warehouse)(lambda w: Target(region_id=w.region_id))
    issue = declare("test_issue_stock", roles=[Role.REGIONAL_COORDINATOR], token=TokenUse.NONE)
    assert target_of(Warehouse(OWN_REGION)) == Target(region_id=OWN_REGION)
    assert allowed(caller(RC), issue, Warehouse(OWN_REGION))
    assert not allowed(caller(RC), issue, Warehouse(OTHER_REGION))
    assert not allowed(caller(NC), issue, Warehouse(OWN_REGION))  # the role is not on the action
    assert action_named("test_issue_stock") is issue


def test_a_target_spanning_several_regions_and_facilities_is_in_scope_of_each() -> None:
    spanning = Target(region_id=OTHER_REGION, regions=frozenset({OTHER_REGION, OWN_REGION}),
                      facilities=frozenset({OWN_FACILITY}))
    move = action_named("move_casualty")
    assert move is not None
    assert [allowed(caller(who), move, spanning) for who in (NC, RC, FM, CL, SO, LG, VW, TOKEN)] == [
        True, True, True, True, False, False, False, False]
    elsewhere = Target(region_id=OTHER_REGION, regions=frozenset({OTHER_REGION}), facilities=frozenset({30}))
    assert [allowed(caller(who), move, elsewhere) for who in (NC, RC, FM, CL)] == [True, False, False, False]


def test_redeclaring_an_action_with_other_rules_is_refused() -> None:
    declare("test_twice", roles=[Role.VIEWER])
    assert declare("test_twice", roles=[Role.VIEWER]).name == "test_twice"  # the same rules: idempotent
    with pytest.raises(ValueError, match="declared twice"):
        declare("test_twice", roles=[Role.CLINICIAN])


def test_an_object_without_a_resolver_is_an_error_not_a_silent_national_target() -> None:
    with pytest.raises(TypeError, match="no permission target is registered for object"):
        target_of(object())

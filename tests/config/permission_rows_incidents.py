"""Permission-matrix rows of the incidents app (MCI operations, distribution, walk-ins, reunification)."""

from __future__ import annotations

import json

from jedel.accounts.services import SYSTEM
from tests.config.permission_table import COORDINATORS, EVERYONE, Endpoint, _json, _recipient

# Incidents: seeing that one exists is open like the board; declaring and managing follow its region.
# Casualties (personal data): coordinators over the incident; a hospital's clinician or manager for the
# casualties on their way to it (the list then holds only those, so it answers them 200).
CASUALTY_LIST = {**COORDINATORS, "facility_manager": "YYY", "clinician": "YYY"}
CASUALTY_AT = {**COORDINATORS, "facility_manager": "YNN", "clinician": "YNN"}
REUNITE = {**COORDINATORS, "regional_coordinator": "YYY", "facility_manager": "YYY"}


def _incident_in(f, *, stood_down: bool = False):
    """An incident in `f`'s region, declared (and stood down) by the system."""
    from jedel.incidents.services.incidents import incident_declare, incident_stand_down

    incident = incident_declare(actor=SYSTEM, title="Matrix", kind="fire", scene_lat=f.lat, scene_lon=f.lon,
                                region_isos=[f.region.iso_code])
    return incident_stand_down(actor=SYSTEM, incident_id=incident.pk, version=1) if stood_down else incident


def _casualty_to(f) -> str:
    """/api/incidents/{id}/casualties/{tag} of a casualty in transport to `f`, at version 2."""
    from jedel.incidents.services.casualties import casualty_move, casualty_register

    incident = _incident_in(f)
    casualty_register(actor=SYSTEM, incident_id=incident.pk, tag="PM-1")
    casualty_move(actor=SYSTEM, incident_id=incident.pk, tag="PM-1", status="in_transport", version=1,
                  destination_code=f.code)
    return f"/api/incidents/{incident.pk}/casualties/PM-1"


def _counted_at(f) -> str:
    """/api/incidents/{id}/walk-ins/convert of an incident in `f`'s region with two minimal walk-ins counted at `f`."""
    from jedel.incidents.services.walkins import walkin_count_add

    incident = _incident_in(f)
    walkin_count_add(actor=SYSTEM, incident_id=incident.pk, category="minimal", count=2, hospital=f.code)
    return f"/api/incidents/{incident.pk}/walk-ins/convert"


def _triaged_in(f) -> str:
    """/api/incidents/{id}/casualties/PM-3: a triaged casualty (minimal, version 1) at a scene in `f`'s region."""
    from jedel.incidents.engines import triage_compute
    from jedel.incidents.services.casualties import casualty_register

    incident = _incident_in(f)
    casualty_register(actor=SYSTEM, incident_id=incident.pk, tag="PM-3",
                      triage=triage_compute("start", {"can_walk": True}))
    return f"/api/incidents/{incident.pk}/casualties/PM-3"


def _assigned_to(f) -> str:
    """/api/incidents/{id}/casualties/PM-3, assigned to `f` (beyond its places: the matrix world reports none)."""
    from jedel.incidents.services.distribution import assignment_accept

    url = _triaged_in(f)
    assignment_accept(actor=SYSTEM, incident_id=int(url.split("/")[3]), tag="PM-3", hospital=f.code, version=1,
                      reason="matrix", over_capacity=True)
    return url


INCIDENT_ENDPOINTS = [
    Endpoint("list_incidents", "get", lambda f: "/api/incidents", EVERYONE, 200),
    Endpoint("declare_incident", "post", lambda f: "/api/incidents", COORDINATORS, 201,
             lambda f, world: (json.dumps({"title": "Fire", "kind": "fire", "scene_lat": f.lat, "scene_lon": f.lon,
                                           "regions": [f.region.iso_code]}), "application/json")),
    Endpoint("get_incident", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}", EVERYONE, 200),
    Endpoint("list_incident_timeline", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/timeline", EVERYONE,
             200),
    Endpoint("export_incident_cap", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/cap.xml", EVERYONE, 200),
    Endpoint("stand_down_incident", "post", lambda f: f"/api/incidents/{_incident_in(f).pk}/stand-down",
             COORDINATORS, 200, _json({"version": 1})),
    Endpoint("close_incident", "post", lambda f: f"/api/incidents/{_incident_in(f, stood_down=True).pk}/close",
             COORDINATORS, 200, _json({"version": 2})),
    Endpoint("assign_incident_role", "post", lambda f: f"/api/incidents/{_incident_in(f).pk}/roles", COORDINATORS,
             201, lambda f, world: (json.dumps({"role": "hospital_liaison", "username": _recipient().username}),
                                    "application/json")),
    Endpoint("list_casualties", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/casualties", CASUALTY_LIST,
             200),
    Endpoint("register_casualty", "post", lambda f: f"/api/incidents/{_incident_in(f).pk}/casualties", COORDINATORS,
             201, _json({"tag": "PM-2"})),
    Endpoint("get_casualty", "get", lambda f: _casualty_to(f), CASUALTY_AT, 200),
    Endpoint("triage_casualty", "post", lambda f: f"{_casualty_to(f)}/triage", CASUALTY_AT, 200,
             _json({"method": "start", "findings": {"can_walk": True}, "version": 2})),
    Endpoint("move_casualty", "post", lambda f: f"{_casualty_to(f)}/move", CASUALTY_AT, 200,
             _json({"status": "arrived", "version": 2})),
    # Live distribution: the plan and assigning follow the incident (coordinators); a receiving hospital's own
    # staff (and the coordinators over it) declare it full or ask for a diversion; the board is open like the board.
    Endpoint("get_distribution_plan", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/plan", COORDINATORS, 200),
    Endpoint("assign_casualty", "post", lambda f: f"{_triaged_in(f)}/assign", COORDINATORS, 200,
             lambda f, world: (json.dumps({"hospital": f.code, "version": 1, "reason": "matrix",
                                           "over_capacity": True}), "application/json")),
    Endpoint("declare_hospital_full", "post", lambda f: f"/api/incidents/{_incident_in(f).pk}/hospitals/{f.code}/full",
             CASUALTY_AT, 200, _json({"category": "immediate"})),
    Endpoint("request_diversion", "post", lambda f: f"{_assigned_to(f)}/diversion", CASUALTY_AT, 200, _json({})),
    Endpoint("add_collection_point", "post", lambda f: f"/api/incidents/{_incident_in(f).pk}/collection-points",
             COORDINATORS, 201, lambda f, world: (json.dumps({"name": "CCP", "lat": f.lat, "lon": f.lon}),
                                                  "application/json")),
    Endpoint("get_incident_board", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/board", EVERYONE, 200),
    # Family reunification: coordinators and hospital managers search every incident (whereabouts are filtered
    # per hit, not refused); exports and tag sheets follow the incident's region.
    Endpoint("search_casualties", "get", lambda f: "/api/casualties/search?name=nobody", REUNITE, 200),
    Endpoint("export_incident_fhir", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/export.fhir.json",
             COORDINATORS, 200),
    Endpoint("export_incident_csv", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/export.csv",
             COORDINATORS, 200),
    Endpoint("print_incident_tags", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/tags.pdf?count=1&reprint=true",
             COORDINATORS, 200),
    # Walk-ins: the hospital's own clinicians and managers, and the coordinators over the incident (a walk-in at
    # facility X of an incident in X's region); the summary holds counts only, open like the incident itself.
    Endpoint("list_walkins", "get", lambda f: f"/api/incidents/{_incident_in(f).pk}/walk-ins", EVERYONE, 200),
    Endpoint("register_walkin", "post", lambda f: f"/api/incidents/{_incident_in(f).pk}/walk-ins", CASUALTY_AT, 201,
             lambda f, world: (json.dumps({"category": "immediate", "hospital": f.code}), "application/json")),
    Endpoint("count_walkins", "post", lambda f: f"/api/incidents/{_incident_in(f).pk}/walk-ins/counts", CASUALTY_AT,
             201, lambda f, world: (json.dumps({"category": "delayed", "count": 3, "hospital": f.code}),
                                    "application/json")),
    Endpoint("convert_walkins", "post", _counted_at, CASUALTY_AT, 201,
             lambda f, world: (json.dumps({"category": "minimal", "count": 1, "hospital": f.code}),
                               "application/json")),
]

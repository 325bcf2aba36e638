"""Request examples for the main write operations of the OpenAPI document, so that "Try it out" in Swagger UI
(/api/docs) sends a request that works on the demo (`jedel demo`) as shown.

Without them Swagger UI invents bodies from the schemas, and those fail: a date drawn from `reported_at`'s
pattern ("2010-51-74T72:21Z"), every count at its maximum, "string" for codes and regions, a distribution
problem whose travel matrix and sites disagree. Times are "now" when the document is generated, since the
report endpoint refuses reports from the future and an old one would not become the current status.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

DEMO_FACILITY = "DEMO-75-001"  # the demo's Almaty hospital (jedel demo), which the demo manager reports for
ALMATY = timezone(timedelta(hours=5))


def _report() -> dict[str, Any]:
    now = datetime.now(ALMATY).replace(second=0, microsecond=0)
    return {"reported_at": now.isoformat(),
            "beds": [{"bed_type": "AdultICU", "staffed": 12, "occupied": 9},
                     {"bed_type": "MedicalSurgical", "staffed": 120, "occupied": 96, "surge_24h": 20}],
            "ventilators_total": 10, "ventilators_in_use": 6, "oxygen_status": "adequate",
            "ct_operational": True, "xray_operational": True, "ed_status": "open",
            "mci_immediate_per_hour": 4, "mci_delayed_per_hour": 8, "mci_minimal_per_hour": 20}


# A building collapse in Almaty (synthetic): two casualty collection points, three hospitals, one hour.
DISTRIBUTION = {
    "planning_horizon_h": 1,
    "travel": {"mode": "road", "road_class": "urban"},
    "sites": [{"id": "CCP-Medeu", "lat": 43.2385, "lon": 76.957},
              {"id": "CCP-Alatau", "lat": 43.1995, "lon": 76.858}],
    "casualties": [{"id": "T-001", "site": "CCP-Medeu", "rpm": 5},
                   {"id": "T-002", "site": "CCP-Medeu", "category": "delayed", "count": 3},
                   {"id": "T-003", "site": "CCP-Alatau", "category": "immediate", "needs": ["burns"]},
                   {"id": "T-004", "site": "CCP-Alatau", "category": "minimal", "count": 6}],
    "hospitals": [{"id": "H-CITY-1", "lat": 43.2565, "lon": 76.9286, "capabilities": ["burns"],
                   "capacity": {"immediate": 2, "delayed": 4, "minimal": 10}},
                  {"id": "H-CITY-4", "lat": 43.2167, "lon": 76.8512,
                   "capacity": {"immediate": 2, "delayed": 2, "minimal": 10}}],
}

TRIAGE = {"findings": {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34}}

FACILITY = {"code": "ALA-EXAMPLE-1", "name_en": "Almaty City Hospital No. 99 (example)",
            "name_ru": "Городская больница № 99 (пример)", "name_kk": "№ 99 қалалық аурухана (мысал)",
            "kind": "city_hospital", "region_iso": "KZ-75", "lat": 43.2389, "lon": 76.8897,
            "capabilities": ["ct"], "reporting_interval_min": 240, "synthetic": True}

TOKEN = {"name": "Hospital information system", "facility": DEMO_FACILITY}


def request_examples() -> dict[str, dict[str, Any]]:
    """operationId -> JSON request body example (fresh: the report's time is now)."""
    return {"submit_report": _report(), "plan_distribution": copy.deepcopy(DISTRIBUTION),
            "assess_triage": copy.deepcopy(TRIAGE), "create_facility": copy.deepcopy(FACILITY),
            "create_token": copy.deepcopy(TOKEN)}


PARAMETER_EXAMPLES = {"code": DEMO_FACILITY, "method": "start"}


def add_examples(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the request examples and the path parameters' examples filled in (in place)."""
    examples = request_examples()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            body = examples.get(operation.get("operationId", ""))
            content = operation.get("requestBody", {}).get("content", {})
            if body is not None and "application/json" in content:
                content["application/json"]["example"] = body
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") in PARAMETER_EXAMPLES:
                    parameter.setdefault("example", PARAMETER_EXAMPLES[parameter["name"]])
    return schema

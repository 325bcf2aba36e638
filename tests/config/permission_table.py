"""The permission matrix's vocabulary: callers, targets, the expected answers per caller, and one endpoint row.

Expected answers per caller for targets (A, B, C): Y = allowed, N = refused with 403, or with the row's `refused`
status (see test_permission_matrix). The rows themselves are in test_permission_matrix.py and permission_rows_*.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from jedel.facilities.models import Facility
from tests.capacity.capacity_helpers import make_user

ROLES = ["national_coordinator", "regional_coordinator", "facility_manager", "clinician", "security_officer",
         "viewer", "logistician", "token", "anonymous"]
TARGETS = ["A", "B", "C"]


# Expected answer per caller for targets (A, B, C): Y = allowed, N = refused with 403.
EVERYONE = {r: "YYY" for r in ROLES if r != "anonymous"}
# Writes on one facility: national everywhere, the regional coordinator in KZ-75 (A and B), the facility's own
# manager and its token on A only.
FACILITY_WRITE = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY",
                  "regional_coordinator": "YYN", "facility_manager": "YNN"}
REPORT = {**FACILITY_WRITE, "token": "YNN"}
# Coordinators only (registry-wide writes, the audit trail): national everywhere, regional in KZ-75.
COORDINATORS = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY",
                "regional_coordinator": "YYN"}
# The audit trail is read within the caller's own scope whatever the target: both coordinators, always.
AUDIT = {**COORDINATORS, "regional_coordinator": "YYY"}
# Security officers read the sign-ins and account actions of their own scope too (README, Roles).
ACCOUNT_AUDIT = {**AUDIT, "security_officer": "YYY"}
# Lists of what the caller may administer, within its own scope: users (coordinators), tokens (+ the manager).
TOKEN_LIST = {**AUDIT, "facility_manager": "YYY"}


# Notices to one facility, its log and its duty desks: coordinators over it, its manager and security officer.
NOTICE_SEND = {**FACILITY_WRITE, "security_officer": "YNN"}
# The log of notices in the caller's own scope, whatever the target.
NOTICE_LOG = {**{r: "YYY" for r in ("national_coordinator", "regional_coordinator", "facility_manager",
                                    "security_officer")}, "clinician": "NNN", "viewer": "NNN", "logistician": "NNN",
              "token": "NNN"}
# Digest rules: read by both coordinators, set by the national coordinator only (whatever the target).
DIGEST_READ = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY",
               "regional_coordinator": "YYY"}
DIGEST_WRITE = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY"}
# Every person (a facility token is a system, not a person).
PEOPLE = {**EVERYONE, "token": "NNN"}
# Nobody but the recipient (who is none of the callers): refused as not found, so ids reveal nothing.
NOBODY = {r: "NNN" for r in ROLES if r != "anonymous"}


@dataclass(frozen=True)
class Endpoint:
    name: str                        # the OpenAPI operation id
    method: str
    path: Callable[[Facility], str]
    expected: dict[str, str]
    ok: int
    body: Callable[[Facility, dict[str, Facility]], tuple[Any, str]] | None = None
    refused: int = 403                # 404: ids reveal nothing; 422: an import lists the refused lines


def _recipient():
    from jedel.accounts.models import User

    return User.objects.filter(username="pm-recipient").first() or make_user("pm-recipient", "viewer")


def _json(body):
    return lambda f, world: (json.dumps(body), "application/json")

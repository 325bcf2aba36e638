"""A small security world: two hospitals in Almaty (KZ-75), one in Astana (KZ-71), and their people."""

from __future__ import annotations

import pytest

from tests.capacity.capacity_helpers import make_facility, make_user
from tests.common.quiet_worker import _quiet_worker  # noqa: F401 - autouse fixture, found by pytest here


def region_officer(username: str, region):
    """A regional security lead: a security officer scoped to a region (no role of its own)."""
    from jedel.accounts.models import User

    user = User(username=username, role="security_officer", scope_level="region", scope_region=region)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def site(kz):
    almaty, astana = kz["KZ-75"], kz["KZ-71"]
    a = make_facility(almaty, "SEC-A", kind="childrens")
    b = make_facility(almaty, "SEC-B")
    c = make_facility(astana, "SEC-C", kind="perinatal")
    people = {
        "officer_a": make_user("officer_a", "security_officer", facility=a),
        "manager_a": make_user("manager_a", "facility_manager", facility=a),
        "nurse_a": make_user("nurse_a", "clinician", facility=a),
        "officer_c": make_user("officer_c", "security_officer", facility=c),
        "manager_b": make_user("manager_b", "facility_manager", facility=b),
        "lead": region_officer("lead_almaty", almaty),
        "coord": make_user("coord_almaty", "regional_coordinator", region=almaty),
        "national": make_user("national", "national_coordinator"),
        "national_officer": make_user("national_officer", "security_officer"),
        "viewer": make_user("viewer", "viewer"),
    }
    return {"A": a, "B": b, "C": c, "almaty": almaty, "astana": astana, "people": people}


def p(user):
    from jedel.accounts.policy import principal_for_user

    found = principal_for_user(user)
    assert found is not None
    return found

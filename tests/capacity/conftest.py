"""Fixtures shared by the capacity tests."""

from __future__ import annotations

import pytest
from tests.capacity.edxl_helpers import facility, status


@pytest.fixture
def almaty(kz):
    """ALA-001: everything filled in; ALA-002: the bare minimum (one bed type, defaults elsewhere)."""
    full = facility(kz["KZ-75"], "ALA-001", name_ru="Городская больница №1", name_kk="№1 қалалық аурухана",
                    has_burns=True, has_cath_lab=True, has_neurosurgery=True, trauma_level=1)
    status(full, beds=(("AdultICU", 12, 10, 2, 3), ("MedicalSurgical", None, None, 7, None),
                       ("Burn", 4, 4, 0, None)),
           ventilators_total=10, ventilators_in_use=4, oxygen_status="limited", ct_operational=True,
           xray_operational=False, lab_tests_capacity_per_day=200, lab_tests_performed_per_day=150,
           ed_status="diversion", ed_status_reason="CT down until 14:00", mci_immediate_per_hour=4,
           mci_minimal_per_hour=20, note="Generator on test run", facility_status="compromised",
           security_status="elevated", staffing="insufficient", admissions_24h=40, discharges_24h=35, deaths_24h=1)
    bare = facility(kz["KZ-75"], "ALA-002", lat=43.3, lon=77.0, synthetic=True)
    status(bare, beds=(("Pediatrics", 30, 25, 5, None),))
    return full, bare

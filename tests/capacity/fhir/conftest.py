"""A small network for the FHIR server: two facilities in Almaty (one with two reports), one in Astana."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from jedel.accounts.models import Role
from jedel.capacity.services.reports import report_submit
from tests.capacity.capacity_helpers import NATIONAL, NOW, make_facility, make_user, report

BASE = "https://fhir.jedel.example/fhir"  # written out: the base these tests set


@pytest.fixture(autouse=True)
def _fhir_base(settings):
    settings.JEDEL_FHIR_BASE = BASE


@pytest.fixture
def fhir_network(kz):
    a = make_facility(kz["KZ-75"], "ALA-1")
    b = make_facility(kz["KZ-75"], "ALA_2")  # '_' is not allowed in a FHIR id: served under a UUID
    c = make_facility(kz["KZ-71"], "AST-1", kind="burns")
    report_submit(actor=NATIONAL, facility=a, source="web", now=NOW,
                  data=report(NOW - timedelta(days=2), bed_rows=(("AdultICU", 10, 6), ("Burn", 4, 1)),
                              ventilators_total=5, ventilators_in_use=2))
    report_submit(actor=NATIONAL, facility=a, source="web", now=NOW, data=report(minutes_ago=30))
    report_submit(actor=NATIONAL, facility=c, source="web", now=NOW, data=report(minutes_ago=10))
    return {"A": a, "B": b, "C": c}


@pytest.fixture
def national(db):
    client = Client()
    client.force_login(make_user("ncc-fhir", Role.NATIONAL_COORDINATOR))
    return client

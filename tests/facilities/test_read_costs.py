"""The national reads issue 7 found slow (855 facilities: saner.json 7.4 s, export.fhir.json 6.8 s, referral
network 5.6 s): every row parsed its region's boundary GeoJSON, and the SANER bundle was re-validated through
the FHIR models per request. Wall-clock time is measured in bench/slow_reads.py; here the mechanism: the
number of queries does not grow with the facilities, no query reads a region boundary, and no response is
validated through fhir.resources per request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jedel.accounts.models import Role
from jedel.capacity.services.reports import report_submit
from jedel.facilities.models import Facility, ReferralLink
from tests.capacity.capacity_helpers import NATIONAL, NOW, make_facility, make_user, report

URLS = ("/api/export/saner.json", "/api/facilities/export.fhir.json", "/api/referral-network")


def _grow(kz, n: int) -> None:
    """n more reporting facilities over three regions, each referring to the previous one."""
    start = Facility.objects.count()
    previous = Facility.objects.order_by("-pk").first()
    for i in range(start, start + n):
        region = kz[("KZ-75", "KZ-71", "KZ-11")[i % 3]]
        f = make_facility(region, f"F-{i:03d}")
        report_submit(actor=NATIONAL, facility=f, data=report(minutes_ago=5), source="web", now=NOW)
        if previous is not None:
            ReferralLink.objects.create(source=f, target=previous, specialty="trauma")
        previous = f


def _read(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content) if response.streaming else response.content
    return len(ctx), [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def national(kz):
    client = Client()
    client.force_login(make_user("ncc", Role.NATIONAL_COORDINATOR))
    return client


@pytest.mark.parametrize("url", URLS)
def test_queries_do_not_grow_with_facilities_and_never_read_a_boundary(kz, national, url):
    _grow(kz, 3)
    few, _sql = _read(national, url)
    _grow(kz, 9)
    many, sql = _read(national, url)
    assert many == few
    assert not [q for q in sql if "boundary" in q]


@pytest.mark.parametrize("url", URLS[:2])
def test_exports_are_not_validated_through_the_fhir_models_per_request(kz, national, url, monkeypatch):
    from fhir.resources.R4B.bundle import Bundle

    _grow(kz, 2)

    def refuse(*args, **kwargs):
        raise AssertionError("validated per request")

    monkeypatch.setattr(Bundle, "model_validate", refuse)
    assert _read(national, url)[0] > 0

"""The audit trail page and API (issue 7): translated action names, readable changes, Almaty time, filters,
paging, sign-ins included; security officers read sign-ins and account actions of their scope only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from jedel.accounts.audit_text import change_lines
from jedel.accounts.models import AuditEvent
from jedel.accounts.services import SYSTEM, audit_record
from jedel.accounts.signin import sign_in
from jedel.common.errors import DomainError
from tests.accounts.hashers import HASHERS
from tests.capacity.capacity_helpers import make_facility, make_user

T0 = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)  # 01:30 on 24 November in Almaty (UTC+5)
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def world(kz, settings):
    settings.PASSWORD_HASHERS = HASHERS
    hospital = make_facility(kz["KZ-75"], "AUD-1")
    other = make_facility(kz["KZ-75"], "AUD-2")
    staff = make_user("nurse", "clinician", facility=hospital, password=PASSWORD)
    make_user("elsewhere", "clinician", facility=other, password=PASSWORD)
    national = make_user("nat", "national_coordinator")
    officer = make_user("guard", "security_officer", facility=hospital)
    return {"hospital": hospital, "other": other, "staff": staff, "national": national, "officer": officer}


def test_changes_read_as_field_old_to_new():
    assert change_lines({"reporting_interval_min": [240, 10080], "capabilities": [["ct"], ["ct", "mri"]],
                         "active": [True, False], "name_en": [None, "City Hospital 1"]}) == [
        "reporting_interval_min: 240 → 10080", "capabilities: ct → ct, mri", "active: yes → no",
        "name_en: — → City Hospital 1"]
    assert change_lines({"facilities": ["A", "B"], "rows": 3}) == ["facilities: A, B", "rows: 3"]


def test_page_shows_translated_actions_readable_changes_and_almaty_time(world):
    audit_record(actor=SYSTEM, action="facility_update", object_type="facility", object_id="AUD-1",
                 region_id=world["hospital"].region_id, changes={"reporting_interval_min": [240, 10080]}, now=T0)
    client = Client()
    client.force_login(world["national"])
    html = client.get("/accounts/audit/").content.decode()
    assert "Facility changed" in html and "reporting_interval_min: 240 → 10080" in html
    assert "2026-11-24 01:30:00" in html and "{&#x27;" not in html and "[240, 10080]" not in html
    assert '<td title="facility_update">Facility changed</td>' in html  # the name, not the machine code


def test_sign_ins_are_on_the_page_and_filters_narrow_it(world):
    sign_in(username="nurse", password=PASSWORD, client="203.0.113.1", now=T0)
    with pytest.raises(DomainError):
        sign_in(username="nurse", password="wrong", client="203.0.113.1", now=T0 + timedelta(days=2))
    sign_in(username="elsewhere", password=PASSWORD, client="203.0.113.2", now=T0)
    client = Client()
    client.force_login(world["national"])
    page = client.get("/accounts/audit/?action=sign_in").content.decode()
    assert page.count("Signed in</td>") == 2
    by_facility = client.get("/accounts/audit/?facility=AUD-1&who=nurse").content.decode()
    assert by_facility.count("<tr class=") == 2 and "elsewhere" not in by_facility
    # Almaty days: the sign-in at 01:30 on 24 November (20:30 UTC on the 23rd) belongs to the 24th.
    day = client.get("/accounts/audit/?since=2026-11-24&until=2026-11-24&who=nurse").content.decode()
    assert day.count("<tr class=") == 1 and "Signed in" in day


def test_paging_keeps_the_filters(world):
    for i in range(120):
        audit_record(actor=SYSTEM, action="report_capacity", now=T0 + timedelta(minutes=i))
    client = Client()
    client.force_login(world["national"])
    first = client.get("/accounts/audit/?action=report_capacity").content.decode()
    assert first.count("<tr class=") == 50 and "Page 1 of 3" in first
    assert "action=report_capacity&amp;page=2" in first
    last = client.get("/accounts/audit/?action=report_capacity&page=3").content.decode()
    assert last.count("<tr class=") == 20


def test_security_officer_reads_sign_ins_and_account_actions_of_their_facility_only(world):
    sign_in(username="nurse", password=PASSWORD, client="203.0.113.1", now=T0)
    sign_in(username="elsewhere", password=PASSWORD, client="203.0.113.2", now=T0)
    audit_record(actor=SYSTEM, action="facility_update", object_type="facility", object_id="AUD-1",
                 region_id=world["hospital"].region_id, facility_id=world["hospital"].pk,
                 changes={"name_en": ["a", "b"]}, now=T0)
    client = Client()
    client.force_login(world["officer"])
    response = client.get("/accounts/audit/")
    html = response.content.decode()
    assert response.status_code == 200  # was 403
    assert "nurse" in html and "elsewhere" not in html and "Facility changed" not in html
    api = client.get("/api/accounts/audit").json()
    assert [(e["action"], e["actor_label"], e["facility_code"]) for e in api] == [("sign_in", "nurse", "AUD-1")]
    clinician = Client()
    clinician.force_login(world["staff"])
    assert clinician.get("/accounts/audit/").status_code == 403


def test_audit_api_filters_pages_and_explains(world):
    for i in range(5):
        audit_record(actor=SYSTEM, action="facility_update", object_type="facility", object_id="AUD-2",
                     changes={"kind": ["clinic", "city_hospital"]}, now=T0 + timedelta(minutes=i))
    client = Client()
    client.force_login(world["national"])
    got = client.get("/api/accounts/audit?facility=AUD-2&limit=2&offset=1").json()
    assert [e["at"] for e in got] == ["2026-11-23T20:33:00Z", "2026-11-23T20:32:00Z"]
    assert got[0]["action_label"] == "Facility changed" and got[0]["changes_text"] == ["kind: clinic → city_hospital"]
    assert client.get("/api/accounts/audit?since=not-a-date").status_code == 422
    assert AuditEvent.objects.filter(action="facility_update").count() == 5


def test_audit_filter_days_at_the_calendar_edges_are_refused_not_overflowed(world):
    """`until=9999-12-31` once overflowed computing the next midnight (a 500 found by the fuzzer)."""
    client = Client()
    client.force_login(world["national"])
    for query in ("until=9999-12-31", "since=0001-01-01", "since=1999-12-31", "until=2100-01-01"):
        response = client.get(f"/api/accounts/audit?{query}")
        assert response.status_code == 422, query
        assert "Must be between 2000-01-01 and 2100-01-01." in str(response.json()), query
    assert client.get("/api/accounts/audit?since=2000-01-01&until=2099-12-31").status_code == 200
    # The page treats an impossible day as no filter, as it does an unreadable one.
    assert client.get("/accounts/audit/?until=9999-12-31").status_code == 200


def test_audit_paging_beyond_any_real_offset_is_refused_not_a_500(world):
    """`offset=2**63` reached PostgreSQL as an OFFSET it refuses (bigint out of range): a 500 found by the fuzzer."""
    client = Client()
    client.force_login(world["national"])
    for query in (f"offset={2**63}", f"limit={2**63}", f"offset={2**53 + 1}"):
        response = client.get(f"/api/accounts/audit?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"][0]["loc"][-1] == query.split("=")[0], query
    assert client.get(f"/api/accounts/audit?offset={2**53}").json() == []

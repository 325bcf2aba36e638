"""Violence analytics: counts by month and grouping, rates per 100 staff, CSV and the monthly report.
Expected numbers are counted by hand from the five incidents below."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from jedel.security.analytics import rates_per_100_staff, totals, violence_counts
from jedel.security.services.posture import PostureInput, posture_save
from jedel.security.services.registry import IncidentInput, VictimInput, incident_record
from tests.security.conftest import p

pytestmark = pytest.mark.django_db
SINCE, UNTIL = datetime(2026, 9, 30, 19, 0, tzinfo=UTC), datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # Oct-Nov, Almaty


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


@pytest.fixture
def incidents(site):
    national = p(site["people"]["national"])
    rows = [("A", "2026-10-05", "physical", "ER", ("nurse", "doctor")), ("A", "2026-11-20", "verbal", "ER", ("nurse",)),
            ("A", "2026-11-28", "threat", "Paediatrics", ()), ("B", "2026-11-02", "physical", "ER", ("paramedic",)),
            ("C", "2026-11-15", "verbal", "Maternity", ("nurse",)),
            ("A", "2026-12-01", "verbal", "ER", ("nurse",))]  # December: outside the period
    for code, day, kind, dept, roles in rows:
        incident_record(actor=national, facility_id=site[code].pk, now=_at("2026-12-02"), data=IncidentInput(
            occurred_at=_at(day), department=dept, kind=kind, severity="moderate",
            victims=tuple(VictimInput(f"person {i}", r) for i, r in enumerate(roles))))
    posture_save(actor=national, facility_id=site["A"].pk, version=0,
                 data=PostureInput(post_24_7=True, cctv_cameras=1, er_cctv_covered=True, body_cameras=0, staff_count=400))
    posture_save(actor=national, facility_id=site["C"].pk, version=0,
                 data=PostureInput(post_24_7=True, cctv_cameras=1, er_cctv_covered=True, body_cameras=0, staff_count=250))
    return site


def _rows(viewer, by):
    return [(r.month, r.group, r.count) for r in violence_counts(viewer, by=by, since=SINCE, until=UNTIL)]


def test_counts_by_region_type_and_victim_role(incidents):
    national = p(incidents["people"]["national"])
    assert _rows(national, "region") == [("2026-10", "KZ-75", 1), ("2026-11", "KZ-71", 1), ("2026-11", "KZ-75", 3)]
    assert _rows(national, "kind") == [("2026-10", "physical", 1), ("2026-11", "physical", 1),
                                       ("2026-11", "threat", 1), ("2026-11", "verbal", 2)]
    assert _rows(national, "victim_role") == [("2026-10", "doctor", 1), ("2026-10", "nurse", 1),
                                              ("2026-11", "nurse", 2), ("2026-11", "paramedic", 1)]
    assert _rows(national, "facility_kind") == [("2026-10", "childrens", 1), ("2026-11", "childrens", 2),
                                                ("2026-11", "city_hospital", 1), ("2026-11", "perinatal", 1)]
    assert totals(violence_counts(national, by="department", since=SINCE, until=UNTIL)) == \
        [("ER", 3), ("Maternity", 1), ("Paediatrics", 1)]


def test_the_regional_lead_counts_the_own_region(incidents):
    assert _rows(p(incidents["people"]["lead"]), "region") == [("2026-10", "KZ-75", 1), ("2026-11", "KZ-75", 3)]


def test_rates_per_100_staff_where_staffing_is_known(incidents):
    rates = rates_per_100_staff(p(incidents["people"]["national"]), since=SINCE, until=UNTIL)
    # KZ-71: 1 incident / 250 staff = 0.4; KZ-75: B has no staff count, so A only: 3 / 400 = 0.75.
    assert [(r.region, r.incidents, r.staff, r.per_100_staff) for r in rates] == [("KZ-71", 1, 250, 0.4),
                                                                                  ("KZ-75", 3, 400, 0.75)]


def test_csv_api_and_monthly_report(incidents, monkeypatch):
    client = Client()
    client.force_login(incidents["people"]["viewer"])
    api = client.get("/api/security/analytics?by=kind&since=2026-09-30T19:00:00Z&until=2026-11-30T19:00:00Z")
    assert [(r["month"], r["group"], r["count"]) for r in api.json()][-1] == ("2026-11", "verbal", 2)
    from jedel.security import views_analytics

    monkeypatch.setattr(views_analytics, "utcnow", lambda: datetime(2026, 11, 10, 6, 0, tzinfo=UTC))
    csv = client.get("/security/analytics.csv?by=region&months=2")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode() == ("month,region,count\r\n2026-10,KZ-75,1\r\n2026-11,KZ-71,1\r\n"
                                    "2026-11,KZ-75,3\r\n")
    page = client.get("/security/analytics/?by=victim_role&months=2").content.decode()
    assert 'id="analytics-table"' in page and "paramedic" in page and "person 0" not in page
    report = client.get("/security/report/2026/11/").content.decode()
    assert 'data-by="kind"' in report and "Verbal abuse" in report and "person" not in report
    assert client.get("/security/report/2026/13/").status_code == 404

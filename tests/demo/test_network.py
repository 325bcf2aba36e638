"""The synthetic demo network: sized like the real one, clearly labelled, deterministic, idempotent, and its
capacity history consistent (FacilityStatus points to each hospital's newest report)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
from django.db.models import Count, Max, Sum

from jedel.accounts.models import ApiToken, User
from jedel.accounts.services import token_principal
from jedel.demo.network import demo_digest, demo_network_generate, demo_plan, demo_users_create
from jedel.demo.plan import NATIONAL_BEDS
from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus
from jedel.facilities.models import Facility, ReferralLink
from jedel.facilities.models import INPATIENT_KINDS

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
# Pinned: changing the generator (or its inputs) must be a deliberate decision that updates these.
DIGEST_2026 = "0b1f9b978553e777acb75fe7ad2420e343a32248cc9b95fedf0c8c0e16e6c5c6"
SMALL = ["KZ-62", "KZ-71"]  # Ulytau (11 hospitals) and Astana (32, with the NCCEM): fast DB tests


def shipped(year: str, column: str) -> dict[str, int]:
    with resources.files("jedel.geo.data").joinpath("kz_health_capacity_by_region.csv").open() as fh:
        return {r["iso_3166_2"]: int(r[column]) for r in csv.DictReader(fh)
                if r["year"] == year and r["iso_3166_2"] != "KZ" and r[column]}


@pytest.fixture
def plan(kz):
    return demo_plan(seed=2026)


def test_hospitals_per_region_equal_the_official_2022_counts(plan):
    inpatient = Counter(p.region_iso for p in plan if p.kind in INPATIENT_KINDS)
    assert dict(inpatient) == shipped("2022", "hospitals")
    assert sum(inpatient.values()) == 818


def test_beds_match_the_national_total_and_published_regional_figures(plan):
    beds = Counter()
    for p in plan:
        beds[p.region_iso] += p.beds
    assert abs(sum(beds.values()) - 106_000) <= 0.02 * 106_000
    assert sum(beds.values()) == NATIONAL_BEDS
    assert {iso: beds[iso] for iso in shipped("2023", "beds")} == shipped("2023", "beds")
    assert all(p.beds >= 10 for p in plan if p.kind in INPATIENT_KINDS)
    assert all(p.beds == 0 for p in plan if p.kind not in INPATIENT_KINDS)


def test_network_structure(plan):
    kinds = Counter(p.kind for p in plan)
    assert (kinds["ambulance_station"], kinds["air_ambulance_base"], kinds["burns"]) == (20, 17, 5)
    for kind in ("regional_multiprofile", "childrens", "perinatal", "infectious", "psychiatric"):
        assert kinds[kind] == 20
    assert Counter(p.trauma_level for p in plan if p.trauma_level) == {1: 51, 2: 52, 3: 161}
    by_code = {p.code: p for p in plan}
    nccem = by_code["DEMO-71-NCCEM"]
    assert (nccem.kind, nccem.region_iso, nccem.beds, nccem.trauma_level) == (
        "national_centre", "KZ-71", 250, 1)
    assert nccem.names[0].startswith("National Coordination Center for Emergency Medicine")
    assert "helipad" in by_code["DEMO-71-NCCEM-AIR"].capabilities
    assert {p.region_iso for p in plan if p.kind == "national_centre"} == {"KZ-71", "KZ-75"}


def test_every_facility_is_labelled_synthetic_in_three_languages(plan):
    for p in plan:
        en, ru, kk = p.names
        assert p.code.startswith("DEMO-")
        assert en.endswith("(synthetic)") and ru.endswith("(синтетический)") and kk.endswith("(синтетикалық)")


def test_same_seed_same_network_and_subsets_match_the_full_plan(plan, kz):
    assert demo_digest(plan) == DIGEST_2026
    assert demo_digest(demo_plan(seed=2026)) == DIGEST_2026
    assert demo_digest(demo_plan(seed=2027)) != DIGEST_2026
    subset = demo_plan(seed=2026, regions=SMALL)
    assert demo_digest(subset) == demo_digest([p for p in plan if p.region_iso in SMALL])


def test_generation_writes_facilities_reports_and_status_pointers(kz):
    result = demo_network_generate(seed=2026, now=NOW, regions=SMALL)
    hospitals = Facility.objects.filter(kind__in=INPATIENT_KINDS)
    assert (result.created, result.refreshed, result.inpatient) == (46, 0, 43)
    assert Facility.objects.count() == 46 and hospitals.count() == 43
    assert not Facility.objects.filter(synthetic=False).exists()
    assert result.reports == CapacityReport.objects.count() == 43 * 8
    assert set(CapacityReport.objects.values_list("source", flat=True)) == {"demo"}
    newest = dict(CapacityReport.objects.values("facility").annotate(m=Max("reported_at"))
                  .values_list("facility", "m"))
    statuses = list(FacilityStatus.objects.select_related("report"))
    assert len(statuses) == 43
    for s in statuses:
        assert s.reported_at == s.report.reported_at == newest[s.facility_id]
    assert max(newest.values()) <= NOW
    assert min(newest.values()) >= NOW - timedelta(hours=12)
    intervals = dict(Facility.objects.values_list("pk", "reporting_interval_min"))
    overdue = [f for f, at in newest.items() if NOW - at > timedelta(minutes=intervals[f])]
    assert 0 < len(overdue) <= 5
    oldest = CapacityReport.objects.order_by("reported_at").first().reported_at
    assert NOW - oldest >= timedelta(hours=42)
    current = (BedCapacity.objects.filter(report__in=[s.report_id for s in statuses])
               .exclude(bed_type="OperatingRooms"))
    totals = current.aggregate(staffed=Sum("staffed"), occupied=Sum("occupied"))
    assert totals["staffed"] == result.beds == 1100 + 8000
    assert 0.65 <= totals["occupied"] / totals["staffed"] <= 0.92
    per_report = CapacityReport.objects.annotate(n=Count("beds")).values_list("n", flat=True)
    assert min(per_report) >= 1
    assert ReferralLink.objects.count() == result.referral_links > 0
    hub = Facility.objects.get(code="DEMO-62-001")
    assert set(hub.referrals_out.values_list("target__code", "specialty")) == {
        ("DEMO-71-NCCEM", "trauma"), ("DEMO-71-NCN", "neurosurgery"), ("DEMO-71-NRCSC", "cardiology"),
        ("DEMO-71-012", "burns")}  # Astana's burns centre is the nearest one in this subset
    assert Facility.objects.get(code="DEMO-71-012").kind == "burns"
    assert hub.referrals_in.filter(specialty="general").count() == 6


def test_second_run_duplicates_nothing_and_adds_one_fresh_report(kz):
    demo_network_generate(seed=2026, now=NOW, regions=SMALL)
    later = NOW + timedelta(days=1)
    again = demo_network_generate(seed=2026, now=later, regions=SMALL)
    assert (again.created, again.refreshed, again.reports) == (0, 46, 43)
    assert Facility.objects.count() == 46 and CapacityReport.objects.count() == 43 * 9
    assert again.referral_links == 0 and ReferralLink.objects.count() == 44
    assert all(s.reported_at >= later - timedelta(hours=12) for s in FacilityStatus.objects.all())


def test_demo_users_one_per_role_and_a_working_token(kz):
    demo_network_generate(seed=2026, now=NOW, regions=["KZ-75"])
    users = demo_users_create()
    assert [(u.username, u.role, u.scope) for u in users.logins] == [
        ("demo-national", "national_coordinator", "national"),
        ("demo-almaty", "regional_coordinator", "KZ-75"),
        ("demo-hospital", "facility_manager", "DEMO-75-001"),
        ("demo-clinician", "clinician", "DEMO-75-001"),
        ("demo-security", "security_officer", "DEMO-75-001"),
        ("demo-logistics", "logistician", "national"),
        ("demo-logistics-aktobe", "logistician", "KZ-15"),
        ("demo-viewer", "viewer", "national"),
    ]
    aktobe = User.objects.get(username="demo-logistics-aktobe")
    assert (aktobe.scope_level, aktobe.scope_region.iso_code) == ("region", "KZ-15")
    assert User.objects.get(username="demo-almaty").check_password("jedel-demo-2026")
    principal = token_principal(users.token)
    assert principal is not None and principal.facility_id == Facility.objects.get(code="DEMO-75-001").pk
    second = demo_users_create()
    assert not any(u.created for u in second.logins) and User.objects.count() == 8
    # Re-running the demo keeps the working token (a system using it is not cut off) and makes no new one.
    assert token_principal(users.token) is not None and (second.token, second.token_kept) == (None, 1)
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1 and ApiToken.objects.count() == 1


def test_demo_reports_pass_the_capacity_rules_every_other_path_is_held_to(kz):
    from jedel.capacity.report_input import BedInput, ReportInput
    from jedel.capacity.services.report_rules import report_errors

    demo_network_generate(seed=2026, now=NOW, regions=["KZ-62"])
    fields = [f for f in ReportInput.__dataclass_fields__ if f not in {"beds", "reported_at"}]
    for report in CapacityReport.objects.select_related("facility").prefetch_related("beds"):
        data = ReportInput(reported_at=report.reported_at, **{f: getattr(report, f) for f in fields},
                           beds=tuple(BedInput(b.bed_type, b.staffed, b.occupied, b.available, b.surge_24h)
                                      for b in report.beds.all()))
        assert report_errors(facility=report.facility, data=data, now=NOW) == [], report.facility.code

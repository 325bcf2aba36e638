"""Freshness, the current-status list (filters, constant query count), totals and history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.capacity.capacity_helpers import NATIONAL, NOW, make_facility, manager_of, report

from jedel.accounts.models import AuditEvent, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import DomainError
from jedel.capacity.selectors.status import (
    current_status_list,
    facility_history,
    is_overdue,
    minutes_since,
    national_totals,
    overdue_list,
    region_totals,
)
from jedel.capacity.services.reports import report_submit


def _submit(facility, minutes_ago=0, **kw):
    return report_submit(actor=manager_of(facility), facility=facility, data=report(minutes_ago=minutes_ago, **kw),
                         source="web", now=NOW - timedelta(minutes=minutes_ago))


def test_freshness_boundary_exactly_the_interval_is_on_time():
    assert is_overdue(NOW - timedelta(minutes=240), 240, NOW) is False
    assert is_overdue(NOW - timedelta(minutes=241), 240, NOW) is True
    assert is_overdue(NOW - timedelta(minutes=240, seconds=1), 240, NOW) is True
    assert is_overdue(None, 240, NOW) is True


def test_minutes_since_floors_and_never_goes_negative():
    assert minutes_since(NOW - timedelta(seconds=59), NOW) == 0
    assert minutes_since(NOW - timedelta(seconds=61), NOW) == 1
    assert minutes_since(NOW - timedelta(minutes=241), NOW) == 241
    assert minutes_since(NOW + timedelta(seconds=90), NOW) == 0
    assert minutes_since(None, NOW) is None


def test_status_list_boundary_with_the_facility_interval(kz):
    on_time = make_facility(kz["KZ-75"], "A", interval=60)
    late = make_facility(kz["KZ-75"], "B", interval=60)
    _submit(on_time, minutes_ago=60)
    _submit(late, minutes_ago=61)
    rows = {r.code: r for r in current_status_list(viewer=NATIONAL, now=NOW)}
    assert (rows["A"].overdue, rows["A"].minutes_ago) == (False, 60)
    assert (rows["B"].overdue, rows["B"].minutes_ago) == (True, 61)
    assert [r.code for r in current_status_list(viewer=NATIONAL, now=NOW, overdue_only=True)] == ["B"]


def test_only_inpatient_facilities_can_be_overdue(kz):
    make_facility(kz["KZ-75"], "AMB", kind="ambulance_station", interval=60)
    make_facility(kz["KZ-75"], "AIR", kind="air_ambulance_base", interval=60)
    make_facility(kz["KZ-75"], "HOSP", interval=60)
    rows = {r.code: r for r in current_status_list(viewer=NATIONAL, now=NOW)}
    assert {c: (r.overdue, r.marker_status) for c, r in rows.items()} == {
        "AIR": (False, "none"), "AMB": (False, "none"), "HOSP": (True, "overdue")}
    almaty = next(t for t in region_totals(NOW) if t.iso == "KZ-75")
    assert (almaty.facilities, almaty.expected, almaty.reporting, almaty.overdue) == (3, 1, 0, 1)


def _network(kz):
    """KZ-75: A (ICU 10/6, MS 40/30, diversion), B (ICU 4/4, overdue), C never reported; KZ-71: D (MS 20/5, avail 12)."""
    a = make_facility(kz["KZ-75"], "A", has_burns=True)
    b = make_facility(kz["KZ-75"], "B", kind="childrens", interval=60)
    c = make_facility(kz["KZ-75"], "C")
    d = make_facility(kz["KZ-71"], "D", has_ct=True)
    _submit(a, 10, bed_rows=(("AdultICU", 10, 6), ("MedicalSurgical", 40, 30, None, 7)), ed_status="diversion",
            ed_status_reason="CT down")
    _submit(b, 90, bed_rows=(("AdultICU", 4, 4),))
    _submit(d, 5, bed_rows=(("MedicalSurgical", 20, 5, 12),), ventilators_total=3)
    make_facility(kz["KZ-71"], "GONE", active=False)
    return a, b, c, d


def test_region_and_national_totals_are_exact(kz):
    _network(kz)
    regions = {t.iso: t for t in region_totals(NOW)}
    assert len(regions) == 20
    almaty = regions["KZ-75"]
    assert (almaty.facilities, almaty.expected, almaty.reporting, almaty.overdue, almaty.on_diversion,
            almaty.closed) == (3, 3, 1, 2, 1, 0)
    assert (almaty.all_beds.staffed, almaty.all_beds.occupied, almaty.all_beds.available) == (54, 40, 14)
    assert almaty.occupancy_pct == round(100 * 40 / 54, 1) == 74.1
    assert {bt: (t.staffed, t.occupied, t.available, t.occupancy_pct) for bt, t in almaty.beds_ordered()} == {
        "AdultICU": (14, 10, 4, 71.4), "MedicalSurgical": (40, 30, 10, 75.0)}
    astana = regions["KZ-71"]
    assert (astana.facilities, astana.reporting, astana.all_beds.available, astana.occupancy_pct) == (1, 1, 12, 25.0)
    assert (regions["KZ-10"].facilities, regions["KZ-10"].occupancy_pct) == (0, None)
    nation = national_totals(NOW)
    assert (nation.facilities, nation.reporting, nation.overdue, nation.on_diversion) == (4, 2, 2, 1)
    assert (nation.all_beds.staffed, nation.all_beds.occupied, nation.all_beds.available) == (74, 45, 26)
    assert nation.occupancy_pct == 60.8
    assert nation.beds["MedicalSurgical"].available == 22


def test_filters(kz):
    _network(kz)

    def codes(**kw):
        return [r.code for r in current_status_list(viewer=NATIONAL, now=NOW, **kw)]

    assert codes() == ["D", "A", "B", "C"]  # region ISO order (KZ-71 before KZ-75), then code
    assert codes(region_iso="KZ-75") == ["A", "B", "C"]
    assert codes(kind="childrens") == ["B"]
    assert codes(capability="burns") == ["A"]
    assert codes(capability="teleportation") == []
    assert codes(bed_type="AdultICU") == ["A", "B"]
    assert codes(bed_type="AdultICU", min_available=1) == ["A"]
    assert codes(bed_type="MedicalSurgical", min_available=11) == ["D"]
    assert codes(min_available=13) == ["A"]
    assert codes(overdue_only=True, region_iso="KZ-75") == ["B", "C"]


def test_row_content(kz):
    _a, *_ = _network(kz)
    row = next(r for r in current_status_list(viewer=NATIONAL, now=NOW) if r.code == "A")
    assert (row.ed_status, row.current.ed_status_reason, row.minutes_ago, row.overdue) == ("diversion", "CT down", 10, False)
    assert (row.beds["MedicalSurgical"].available, row.beds["MedicalSurgical"].surge_24h) == (10, 7)
    assert (row.region, row.capabilities, row.synthetic, row.marker_status) == ("KZ-75", ["burns"], False, "diversion")
    assert row.names == {"en": "Hospital A", "kk": "Аурухана A", "ru": "Больница A"}
    never = next(r for r in current_status_list(viewer=NATIONAL, now=NOW) if r.code == "C")
    assert (never.current, never.minutes_ago, never.overdue, never.marker_status, never.beds) == (
        None, None, True, "overdue", {})


@pytest.mark.parametrize("n", [3, 12])
def test_status_list_reads_in_a_constant_number_of_queries(kz, django_assert_num_queries, n):
    for i in range(n):
        f = make_facility(kz["KZ-75"] if i % 2 else kz["KZ-71"], f"F{i:02d}")
        if i % 3:
            _submit(f, i, bed_rows=(("AdultICU", 10, i % 10), ("Pediatrics", 5, 1)))
    with django_assert_num_queries(2):
        rows = current_status_list(viewer=NATIONAL, now=NOW)
        assert sum(len(r.beds) for r in rows) == 2 * sum(1 for i in range(n) if i % 3)
    with django_assert_num_queries(3):  # + the 20 regions
        region_totals(NOW)


def test_status_list_needs_a_principal_with_a_role(kz):
    nobody = Principal(label="x", role=None, scope_level=ScopeLevel.NATIONAL)
    with pytest.raises(DomainError) as info:
        current_status_list(viewer=nobody, now=NOW)
    assert info.value.status == 403
    assert AuditEvent.objects.filter(outcome="denied", action="view_board").count() == 1
    with pytest.raises(DomainError) as info:
        current_status_list(viewer=None, now=NOW)
    assert info.value.status == 401


def test_history_is_inclusive_oldest_first_and_keeps_backfilled_reports(kz):
    f = make_facility(kz["KZ-75"], "H")
    for minutes in (10, 130, 70, 60 * 49):
        _submit(f, minutes, bed_rows=(("AdultICU", 10, minutes % 10),))
    history = facility_history(f, since=NOW - timedelta(minutes=130), until=NOW - timedelta(minutes=10))
    assert [r.reported_at for r in history] == [NOW - timedelta(minutes=m) for m in (130, 70, 10)]
    assert [r.beds["AdultICU"].available for r in history] == [10, 10, 10]
    assert facility_history(f, since=NOW - timedelta(hours=48), until=NOW)[0].reported_at == NOW - timedelta(minutes=130)


def test_overdue_list_puts_the_silent_first(kz):
    never = make_facility(kz["KZ-75"], "Z-NEVER")
    long_ago = make_facility(kz["KZ-75"], "B-LONG", interval=60)
    recent_late = make_facility(kz["KZ-75"], "A-LATE", interval=60)
    fine = make_facility(kz["KZ-75"], "FINE")
    elsewhere = make_facility(kz["KZ-71"], "OTHER", interval=60)
    _submit(long_ago, 300)
    _submit(recent_late, 70)
    _submit(fine, 5)
    _submit(elsewhere, 500)
    rows = overdue_list(never.region_id, NOW)
    assert [(r.code, r.minutes_ago) for r in rows] == [("Z-NEVER", None), ("B-LONG", 300), ("A-LATE", 70)]

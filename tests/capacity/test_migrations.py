"""A database created by release 0.1 (capacity tables inside the facilities app) migrates with its data intact."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The schema of release 0.1: every app at its first migration, capacity not yet an app.
RELEASE_0_1 = [("geo", "0001_initial"), ("accounts", "0001_initial"), ("facilities", "0001_initial"),
               ("capacity", None)]
AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_a_release_0_1_database_keeps_its_reports_and_current_status(kz):
    old = _migrate(RELEASE_0_1)
    assert {"facilities_capacityreport", "facilities_bedcapacity", "facilities_facilitystatus"} <= _tables()
    assert not {"capacity_capacityreport", "capacity_bedcapacity", "capacity_facilitystatus"} & _tables()

    region = old.get_model("geo", "Region").objects.get(iso_code="KZ-75")
    facility = old.get_model("facilities", "Facility").objects.create(
        code="OLD-1", kind="city_hospital", region_id=region.pk, lat=43.25, lon=76.9, name_en="Old Hospital")
    report = old.get_model("facilities", "CapacityReport").objects.create(
        facility_id=facility.pk, reported_at=AT, received_at=AT, source="api", reporter="his",
        mci_immediate_per_hour=4, ed_status="open", oxygen_status="adequate")
    old.get_model("facilities", "BedCapacity").objects.create(
        report_id=report.pk, bed_type="AdultICU", staffed=12, occupied=9, available=3)
    old.get_model("facilities", "FacilityStatus").objects.create(
        facility_id=facility.pk, report_id=report.pk, reported_at=AT)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert not {"facilities_capacityreport", "facilities_bedcapacity", "facilities_facilitystatus"} & _tables()
    from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus

    moved = CapacityReport.objects.get(pk=report.pk)
    assert (moved.facility.code, moved.reported_at, moved.mci_immediate_per_hour) == ("OLD-1", AT, 4)
    assert list(BedCapacity.objects.filter(report=moved).values_list("bed_type", "staffed", "occupied",
                                                                     "available")) == [("AdultICU", 12, 9, 3)]
    assert FacilityStatus.objects.get(facility__code="OLD-1").report_id == report.pk
    # The new app writes where it reads: a new report lands in the renamed tables.
    CapacityReport.objects.create(facility=moved.facility, reported_at=AT, received_at=AT, source="api",
                                  reporter="his")
    assert CapacityReport.objects.filter(facility__code="OLD-1").count() == 2

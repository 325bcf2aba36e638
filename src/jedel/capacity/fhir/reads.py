"""Reads behind the FHIR server, each asking the policy (view_facility for the registry, view_board for
capacity) before it reads anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.capacity.interop.saner import facility_report
from jedel.capacity.models import CapacityReport
from jedel.capacity.permissions import VIEW_BOARD
from jedel.capacity.selectors.status import StatusRow, report_figures
from jedel.facilities.io.fhir_bundle import location_resource, organization_resource
from jedel.facilities.io.fhir_ids import facility_resource_id, fhir_base, is_facility_system
from jedel.facilities.models import Facility
from jedel.facilities.selectors import facility_list
from jedel.facilities.services.registry_rules import spec_from_facility


def facilities(*, viewer: Principal | None, ids: list[str], identifiers: list[tuple[str | None, str]],
               states: list[str]) -> QuerySet[Facility]:
    """Active facilities matching every given criterion (values of one parameter are OR)."""
    qs = facility_list(viewer=viewer)
    if ids:
        qs = qs.filter(code__in=codes_for_ids(ids))
    if identifiers:
        codes = [code for system, code in identifiers if system is None or is_facility_system(system)]
        qs = qs.filter(code__in=codes)
    if states:
        qs = qs.filter(region__iso_code__in=states)
    return qs


def codes_for_ids(ids: list[str]) -> list[str]:
    """Facility codes for resource ids: the code itself, or the UUID that stands in for a code with '_'."""
    codes = [i for i in ids if "\x00" not in i]
    if any(len(i) == 36 and i.count("-") == 4 for i in codes):
        for code in Facility.objects.filter(code__contains="_").values_list("code", flat=True):
            if facility_resource_id(code) in ids:
                codes.append(code)
    return codes


def location(f: Facility, *, relative: bool = True) -> dict[str, Any]:
    """A facility's Location; its managingOrganization a reference to the Organization on this server."""
    spec = spec_from_facility(f)
    org = f"Organization/{facility_resource_id(spec.code)}"
    return location_resource(spec, f.town.name if f.town_id else None, org if relative else f"{fhir_base()}/{org}")


def organization(f: Facility) -> dict[str, Any]:
    """A facility's Organization."""
    return organization_resource(spec_from_facility(f))


def subject_codes(subjects: list[str]) -> list[str]:
    """Facility codes for `subject` values: `Location/<id>`, an absolute URL ending so, or a bare id."""
    ids = []
    for value in subjects:
        tail = value.rstrip("/").split("/")
        if len(tail) >= 2 and tail[-2] != "Location":
            continue  # another resource type: matches nothing
        ids.append(tail[-1])
    return codes_for_ids(ids)


def measure_reports(*, viewer: Principal | None, subjects: list[str], date: dict[str, datetime], count: int,
                    offset: int) -> tuple[int, list[dict[str, Any]]]:
    """Stored capacity reports as MeasureReports, newest first: (total, the page)."""
    require(viewer, VIEW_BOARD)
    qs = CapacityReport.objects.all()
    if subjects:
        qs = qs.filter(facility__code__in=subject_codes(subjects))
    if date:
        qs = qs.filter(**date)
    total = qs.count()
    page = (qs.select_related("facility").only(*_REPORT_FIELDS).prefetch_related("beds")
            .order_by("-reported_at", "-id")[offset:offset + count])
    return total, [_report(r) for r in page]


_REPORT_FIELDS = ("reported_at", "received_at", "source", "reporter", "note", "ed_status", "ed_status_reason",
                  "oxygen_status", "ventilators_total", "ventilators_in_use", "ct_operational", "xray_operational",
                  "lab_tests_capacity_per_day", "lab_tests_performed_per_day", "mci_immediate_per_hour",
                  "mci_delayed_per_hour", "mci_minimal_per_hour", "facility__code", "facility__name_en",
                  "facility__name_kk", "facility__name_ru", "facility__lat", "facility__lon")


def _report(r: CapacityReport) -> dict[str, Any]:
    f = r.facility
    row = StatusRow.model_construct(facility_id=f.pk, code=f.code, lat=f.lat, lon=f.lon,
                                    names={"en": f.name_en, "kk": f.name_kk, "ru": f.name_ru},
                                    current=report_figures(r))
    # date = when the figures were true: the instant FHIR's `date` search finds a stored report by.
    return facility_report(row, now=r.reported_at)

"""Reads of the preparedness app: instruments, assessments within the viewer's scope, comparison, tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.common.errors import DomainError, NotFound
from jedel.facilities.models import Facility
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import HsiAssessment, HsiPhoto, HsiRating, Instrument, InstrumentItem, RemediationTask
from jedel.preparedness.permissions import VIEW_INSTRUMENTS, VIEW_PREPAREDNESS


def instrument_list(viewer: Principal) -> list[Instrument]:
    require(viewer, VIEW_INSTRUMENTS)
    return list(Instrument.objects.order_by("kind", "code", "-pk"))


def instrument_get(viewer: Principal, instrument_id: int) -> tuple[Instrument, list[InstrumentItem]]:
    require(viewer, VIEW_INSTRUMENTS)
    instrument = Instrument.objects.filter(pk=instrument_id).first()
    if instrument is None:
        raise NotFound(PrepError.NO_INSTRUMENT)
    return instrument, list(instrument.items.select_related("section"))


def _own_target(viewer: Principal) -> Target:
    return Target(region_id=viewer.region_id, facility_id=viewer.facility_id)


def _scoped(viewer: Principal, rows: QuerySet[HsiAssessment] | QuerySet[RemediationTask], *, facility_id: int | None,
            region_id: int | None) -> Q:
    """The filter a list is narrowed by: the viewer's own scope, then the facility / region asked for."""
    if facility_id is not None:
        facility = Facility.objects.filter(pk=facility_id).first()
        if facility is None:
            raise NotFound(PrepError.FACILITY_NOT_FOUND, field="facility")
        require(viewer, VIEW_PREPAREDNESS, facility, object_type="facility", object_id=facility_id)
        return Q(facility_id=facility_id)
    if region_id is not None:
        require(viewer, VIEW_PREPAREDNESS, Target(region_id=region_id), object_type="region", object_id=region_id)
    else:
        require(viewer, VIEW_PREPAREDNESS, _own_target(viewer))
    q = Q(facility__region_id=region_id) if region_id is not None else Q()
    if viewer.scope_level == ScopeLevel.REGION:
        q &= Q(facility__region_id=viewer.region_id)
    elif viewer.scope_level == ScopeLevel.FACILITY:
        q &= Q(facility_id=viewer.facility_id)
    return q


def assessment_list(viewer: Principal, *, facility_id: int | None = None,
                    region_id: int | None = None) -> list[HsiAssessment]:
    """Assessments the viewer may read, newest first."""
    rows = HsiAssessment.objects.select_related("facility", "instrument")
    return list(rows.filter(_scoped(viewer, rows, facility_id=facility_id, region_id=region_id))[:500])


def assessment_get(viewer: Principal, assessment_id: int) -> HsiAssessment:
    assessment = (HsiAssessment.objects.select_related("facility", "facility__region", "instrument")
                  .filter(pk=assessment_id).first())
    if assessment is None:
        raise NotFound(PrepError.ASSESSMENT_NOT_FOUND)
    require(viewer, VIEW_PREPAREDNESS, assessment, object_type="hsi_assessment", object_id=assessment_id)
    return assessment


def assessment_items(assessment: HsiAssessment) -> list[tuple[InstrumentItem, HsiRating | None]]:
    """Every item of the assessed modules with its rating (None while unrated), in checklist order."""
    ratings = {r.item_id: r for r in HsiRating.objects.filter(assessment=assessment)}
    items = InstrumentItem.objects.filter(instrument_id=assessment.instrument_id,
                                          section__code__in=assessment.modules).select_related("section")
    return [(item, ratings.get(item.pk)) for item in items]


@dataclass(frozen=True)
class ItemChange:
    item: InstrumentItem
    before: str
    after: str


def assessment_pair(viewer: Principal, first_id: int, second_id: int) -> tuple[HsiAssessment, HsiAssessment,
                                                                              list[ItemChange]]:
    """Two assessments of one facility (older first) and the items whose rating changed between them."""
    a, b = assessment_get(viewer, first_id), assessment_get(viewer, second_id)
    if a.facility_id != b.facility_id:
        raise DomainError(PrepError.DIFFERENT_FACILITY, field="other")
    if (b.assessed_on, b.pk) < (a.assessed_on, a.pk):
        a, b = b, a
    before = {r.item.code: r.level for r in HsiRating.objects.filter(assessment=a).select_related("item")}
    changes = []
    for item, rating in assessment_items(b):
        old, new = before.get(item.code, ""), rating.level if rating else ""
        if old != new:
            changes.append(ItemChange(item, old, new))
    return a, b, changes


def task_list(viewer: Principal, *, facility_id: int | None = None, region_id: int | None = None,
              status: str | None = None, overdue_on: date | None = None) -> list[RemediationTask]:
    """Remediation tasks the viewer may read; `overdue_on`: only those not done and due before that day."""
    rows = RemediationTask.objects.select_related("facility", "item")
    rows = rows.filter(_scoped(viewer, rows, facility_id=facility_id, region_id=region_id))
    if status:
        rows = rows.filter(status=status)
    if overdue_on is not None:
        rows = rows.exclude(status=RemediationTask.Status.DONE).filter(due_on__lt=overdue_on)
    return list(rows[:1000])


def photo_get(viewer: Principal, photo_id: int) -> HsiPhoto:
    """An evidence photo, for someone who may read its assessment."""
    photo = HsiPhoto.objects.select_related("assessment__facility").filter(pk=photo_id).first()
    if photo is None:
        raise NotFound(PrepError.PHOTO_NOT_FOUND)
    require(viewer, VIEW_PREPAREDNESS, photo.assessment, object_type="hsi_photo", object_id=photo_id)
    return photo


def photos_by_item(assessment: HsiAssessment) -> dict[str, list[HsiPhoto]]:
    """The assessment's photos (without their bytes) by item code; the caller has checked the viewer's right."""
    out: dict[str, list[HsiPhoto]] = {}
    for photo in HsiPhoto.objects.filter(assessment=assessment).defer("content").select_related("item"):
        out.setdefault(photo.item.code, []).append(photo)
    return out

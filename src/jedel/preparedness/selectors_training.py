"""Training registry reads: courses, sessions in scope, the reserve, regional coordinators, and the training report
(trained staff per facility and region; coverage of the required competencies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.common.errors import NotFound
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import Certificate, Course, RegionCoordinator, ReserveMember, TrainingSession
from jedel.preparedness.models_training import REQUIRED_COMPETENCIES
from jedel.preparedness.permissions import VIEW_COURSES, VIEW_TRAINING


def course_list(viewer: Principal) -> list[Course]:
    require(viewer, VIEW_COURSES)
    return list(Course.objects.all()[:500])


def _scope(viewer: Principal, *, facility_id: int | None, region_id: int | None, facility_field: str,
           region_field: str) -> Q:
    """The viewer's own scope, narrowed to the facility / region asked for (each checked like a target)."""
    if facility_id is not None:
        facility = Facility.objects.filter(pk=facility_id).first()
        if facility is None:
            raise NotFound(PrepError.FACILITY_NOT_FOUND, field="facility")
        require(viewer, VIEW_TRAINING, facility, object_type="facility", object_id=facility_id)
        return Q(**{facility_field: facility_id})
    if region_id is not None:
        require(viewer, VIEW_TRAINING, Target(region_id=region_id), object_type="region", object_id=region_id)
    else:
        require(viewer, VIEW_TRAINING, Target(region_id=viewer.region_id, facility_id=viewer.facility_id))
    q = Q(**{region_field: region_id}) if region_id is not None else Q()
    if viewer.scope_level == ScopeLevel.REGION:
        q &= Q(**{region_field: viewer.region_id})
    elif viewer.scope_level == ScopeLevel.FACILITY:
        q &= Q(**{facility_field: viewer.facility_id})
    return q


def session_list(viewer: Principal, *, facility_id: int | None = None,
                 region_id: int | None = None) -> list[TrainingSession]:
    """Sessions held at the viewer's facilities / in its regions, newest first."""
    q = _scope(viewer, facility_id=facility_id, region_id=region_id, facility_field="facility_id",
               region_field="region_id")
    return list(TrainingSession.objects.filter(q).select_related("course", "facility", "region")[:500])


def session_get(viewer: Principal, session_id: int) -> TrainingSession:
    session = TrainingSession.objects.select_related("course", "facility", "region").filter(pk=session_id).first()
    if session is None:
        raise NotFound(PrepError.SESSION_NOT_FOUND)
    require(viewer, VIEW_TRAINING, session, object_type="training_session", object_id=session_id)
    return session


def reserve_list(viewer: Principal, *, facility_id: int | None = None, region_id: int | None = None,
                 competency: str | None = None, availability: str | None = None) -> list[ReserveMember]:
    q = _scope(viewer, facility_id=facility_id, region_id=region_id, facility_field="facility_id",
               region_field="region_id")
    rows = [m for m in ReserveMember.objects.filter(q).select_related("facility", "region")[:2000]
            if competency is None or competency in m.competencies]
    return [m for m in rows if availability is None or m.availability == availability]


def coordinator_list(viewer: Principal, *, region_id: int | None = None) -> list[RegionCoordinator]:
    """Designated hospital coordinators and deputies of the regions in the viewer's scope, in call order."""
    if region_id is not None:
        require(viewer, VIEW_TRAINING, Target(region_id=region_id), object_type="region", object_id=region_id)
    else:
        require(viewer, VIEW_TRAINING, Target(region_id=viewer.region_id, facility_id=viewer.facility_id))
    q = Q(region_id=region_id) if region_id is not None else Q()
    if viewer.scope_level == ScopeLevel.REGION:
        q &= Q(region_id=viewer.region_id)
    elif viewer.scope_level == ScopeLevel.FACILITY:  # a facility's people see their own region's coordinators
        facility = Facility.objects.filter(pk=viewer.facility_id).first()
        q &= Q(region_id=facility.region_id if facility else None)
    return list(RegionCoordinator.objects.filter(q).select_related("region")[:500])


@dataclass
class TrainingRow:
    """Trained staff (distinct people with a valid certificate) and required competencies covered."""

    label: str
    trained: int = 0
    covered: int = 0      # (facility, required competency) pairs with at least one valid certificate
    required: int = 0     # facilities × required competencies
    by_competency: dict[str, int] = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        return self.covered / self.required if self.required else 0.0


@dataclass(frozen=True)
class TrainingReport:
    regions: list[TrainingRow]
    facilities: list[tuple[Facility, TrainingRow]]
    required: tuple[str, ...]


def certified_people(facility_ids: list[int], today: date) -> tuple[dict[int, set[str]], dict[int, dict[str, set[str]]]]:
    """Per facility: the people (names, case and spacing folded) holding a certificate valid on `today`, overall
    and per competency. No permission check: callers have checked the viewer's right to the facilities."""
    people: dict[int, set[str]] = {}
    skills: dict[int, dict[str, set[str]]] = {}
    valid = (Certificate.objects.filter(participant__facility_id__in=facility_ids, issued_on__lte=today)
             .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
             .values_list("participant__facility_id", "participant__name", "participant__session__course__competency"))
    for facility_id, name, competency in valid:
        key = " ".join(name.lower().split())
        people.setdefault(facility_id, set()).add(key)
        skills.setdefault(facility_id, {}).setdefault(competency, set()).add(key)
    return people, skills


def training_report(viewer: Principal, today: date, *, region_id: int | None = None) -> TrainingReport:
    """Per facility and region in the viewer's scope: people holding a valid certificate on `today` (counted once per
    facility by name, however many certificates they hold) and coverage of REQUIRED_COMPETENCIES."""
    q = _scope(viewer, facility_id=None, region_id=region_id, facility_field="pk", region_field="region_id")
    facilities = list(Facility.objects.filter(q, active=True).select_related("region")
                      .order_by("region__iso_code", "name_en")[:5000])
    by_facility = {f.pk: TrainingRow(f.name, required=len(REQUIRED_COMPETENCIES)) for f in facilities}
    people, skills = certified_people(list(by_facility), today)
    regions: dict[int, TrainingRow] = {}
    for f in facilities:
        row = by_facility[f.pk]
        row.trained = len(people.get(f.pk, ()))
        row.by_competency = {c: len(skills.get(f.pk, {}).get(c, ())) for c in REQUIRED_COMPETENCIES}
        row.covered = sum(1 for n in row.by_competency.values() if n)
        r = regions.setdefault(f.region_id, TrainingRow(f.region.name, by_competency={c: 0 for c in
                                                                                       REQUIRED_COMPETENCIES}))
        r.trained += row.trained
        r.covered += row.covered
        r.required += row.required
        for c, n in row.by_competency.items():
            r.by_competency[c] += n
    return TrainingReport(list(regions.values()), [(f, by_facility[f.pk]) for f in facilities],
                          REQUIRED_COMPETENCIES)


def region_by_iso(iso: str) -> Region:
    region = Region.objects.filter(iso_code=iso).first()
    if region is None:
        raise NotFound(PrepError.REGION_NOT_FOUND, field="region")
    return region

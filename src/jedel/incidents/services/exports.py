"""Exports of casualty tracking (FHIR R4 Bundle, CSV): checked against EXPORT_CASUALTIES for every incident in
them, audited (who, which incidents, which format), and never mixing exercises with real incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.incidents.errors import IncidentError
from jedel.incidents.errors_reunification import ReunificationError
from jedel.incidents.export_csv import casualties_csv
from jedel.incidents.export_fhir import casualties_bundle_json
from jedel.incidents.models import Incident, TagPrint
from jedel.incidents.permissions import EXPORT_CASUALTIES, REGISTER_CASUALTY
from jedel.incidents.selectors_reunification import casualties_for_export, incidents_for_export
from jedel.incidents.tags import MAX_TAGS, PREFIX, SheetHeading, tag_numbers, tag_sheet_pdf

FORMATS = {"fhir": ("application/fhir+json", "fhir.json"), "csv": ("text/csv; charset=utf-8", "csv")}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    incidents: int
    casualties: int


def next_free_tag_number(incident_id: int, prefix: str) -> int:
    """The number after the highest one printed with `prefix` for the incident (1 when none was)."""
    last = TagPrint.objects.filter(incident_id=incident_id, prefix=prefix).aggregate(m=Max("last"))["m"]
    return (last or 0) + 1


def tracking_export(*, actor: Principal | None, fmt: str, incident_ids: list[int] | None = None,
                    exercise: bool | None = None, now: datetime | None = None) -> ExportFile:
    """The casualties of the incidents named (all real incidents, or all exercises, when None) in `fmt`.

    `exercise`: the kind asked for (None: the kind of the incidents named; real when none are named). Named
    incidents of two kinds, or of the other kind than asked, are refused (export_exercise_mixed), so a file
    holds real incidents or exercises, never both.
    """
    if fmt not in FORMATS:
        raise DomainError(IncidentError.INVALID_INCIDENT, field="format")
    if incident_ids is not None:
        kinds = dict(Incident.objects.filter(pk__in=incident_ids).values_list("pk", "is_exercise"))
        for i, pk in enumerate(incident_ids):
            if pk not in kinds:
                raise NotFound(IncidentError.NOT_FOUND, field=f"incident.{i}")
            if exercise is None:
                exercise = kinds[pk]
            if kinds[pk] != exercise:
                raise DomainError(ReunificationError.EXERCISE_MIXED, field=f"incident.{i}")
    exercise = bool(exercise)
    incidents = list(incidents_for_export(incident_ids=incident_ids, exercise=exercise))
    if actor is None or incident_ids is None or len(incident_ids) != 1:
        require(actor, EXPORT_CASUALTIES, object_type="incident")  # several incidents: national scope
    for incident in incidents:
        require(actor, EXPORT_CASUALTIES, incident, object_type="incident", object_id=incident.pk)
    assert actor is not None
    casualties = casualties_for_export(incidents)
    content = (casualties_bundle_json(casualties) if fmt == "fhir" else casualties_csv(casualties).encode())
    content_type, ext = FORMATS[fmt]
    name = f"incident-{incidents[0].pk}" if incident_ids is not None and len(incidents) == 1 else (
        "exercises" if exercise else "incidents")
    audit_record(actor=actor, action=EXPORT_CASUALTIES.name, object_type="incident",
                 object_id=incidents[0].pk if len(incidents) == 1 else "",
                 region_id=incidents[0].region_id if len(incidents) == 1 else None,
                 changes={"format": fmt, "exercise": exercise, "incidents": [i.pk for i in incidents],
                          "casualties": len(casualties)}, now=now or utcnow())
    return ExportFile(content=content, content_type=content_type, filename=f"{name}-tracking.{ext}",
                      incidents=len(incidents), casualties=len(casualties))


def tag_sheet_print(*, actor: Principal | None, incident_id: int, prefix: str = "T", start: int = 1,
                    count: int = 24, reprint: bool = False, now: datetime | None = None) -> ExportFile:
    """A PDF of `count` pre-numbered tags for the incident (for those who register its casualties); audited.

    Every printed range is kept: a range overlapping one printed before is refused (409 tag_range_printed,
    naming the next free number) unless `reprint` says it replaces damaged or lost sheets — a number on two
    tags would name two casualties. Printings of one incident are serialised on its row.
    """
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(IncidentError.NOT_FOUND, field="incident_id")
    require(actor, REGISTER_CASUALTY, incident, object_type="incident", object_id=incident.pk)
    assert actor is not None
    prefix = prefix.strip().upper()
    if not PREFIX.match(prefix):
        raise DomainError(ReunificationError.BAD_TAG_RANGE, field="prefix")
    if not 1 <= count <= MAX_TAGS:
        raise DomainError(ReunificationError.BAD_TAG_RANGE, field="count")
    if not 1 <= start or start + count - 1 > 99_999:
        raise DomainError(ReunificationError.BAD_TAG_RANGE, field="start")
    tags = tag_numbers(prefix, start, count)
    now = now or utcnow()
    with transaction.atomic():
        Incident.objects.select_for_update(no_key=True).filter(pk=incident.pk).first()
        printed = TagPrint.objects.filter(incident=incident, prefix=prefix, first__lte=start + count - 1,
                                          last__gte=start).first()
        if printed is not None and not reprint:
            raise Conflict(ReunificationError.RANGE_PRINTED, field="start", detail=str(
                _("Tags %(first)s to %(last)s were printed on %(at)s by %(who)s; the next free number is %(next)s. "
                  "Reprint only to replace damaged or lost sheets.") % {
                    "first": tag_numbers(prefix, printed.first, 1)[0], "last": tag_numbers(prefix, printed.last, 1)[0],
                    "at": printed.printed_at.strftime("%Y-%m-%d %H:%M UTC"), "who": printed.printed_by_label,
                    "next": next_free_tag_number(incident.pk, prefix)}))
        TagPrint.objects.create(incident=incident, prefix=prefix, first=start, last=start + count - 1,
                                reprint=printed is not None, printed_at=now, printed_by_label=actor.label[:200])
        audit_record(actor=actor, action="print_tags", object_type="incident", object_id=incident.pk,
                     region_id=incident.region_id, now=now, changes={
                         "first": tags[0], "last": tags[-1], "count": count, "reprint": printed is not None})
    pdf = tag_sheet_pdf(tags, SheetHeading(incident.pk, incident.title, incident.is_exercise))
    return ExportFile(content=pdf, content_type="application/pdf", incidents=1, casualties=0,
                      filename=f"incident-{incident.pk}-tags-{tags[0]}-{tags[-1]}.pdf")

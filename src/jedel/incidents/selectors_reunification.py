"""Reads of family reunification and the tracking exports (the permission checks are in
services/reunification.py and services/exports.py, which also audit)."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from jedel.incidents.models import Casualty, CasualtyLocation, Incident
from jedel.incidents.search_keys import query_words

SEARCH_LIMIT = 50


def casualty_matches(*, name: str = "", description: str = "", tag: str = "", age_band: str = "", sex: str = "",
                     exercise: bool = False, incident_id: int | None = None,
                     limit: int = SEARCH_LIMIT) -> list[Casualty]:
    """Casualties of real incidents (or, `exercise=True`, of exercises only) matching every criterion given.

    Name and description match word by word on the search keys (search_keys.py); the tag exactly (upper case);
    age band and sex exactly. Newest registrations first; at most `limit`. Each row has its incident, the
    incident's regions and its destination loaded, and `moved_at` (the last status change).
    """
    rows = Casualty.objects.filter(incident__is_exercise=exercise)
    if incident_id is not None:
        rows = rows.filter(incident_id=incident_id)
    for word in query_words(name):
        rows = rows.filter(name_key__contains=word)
    for word in query_words(description):
        rows = rows.filter(description_key__contains=word)
    if tag.strip():
        rows = rows.filter(tag=tag.strip().upper())
    if age_band:
        rows = rows.filter(age_band=age_band)
    if sex:
        rows = rows.filter(sex=sex)
    rows = (rows.select_related("incident", "incident__region", "destination")
            .prefetch_related("incident__regions").annotate(moved_at=Max("locations__at"))
            .order_by("-registered_at", "-pk"))
    return list(rows[:limit])


def incidents_for_export(*, incident_ids: list[int] | None, exercise: bool) -> QuerySet[Incident]:
    """The incidents named (all of them when None) of one kind: real, or exercises."""
    rows = Incident.objects.filter(is_exercise=exercise).select_related("region")
    if incident_ids is not None:
        rows = rows.filter(pk__in=incident_ids)
    return rows.order_by("pk")


def casualties_for_export(incidents: list[Incident]) -> list[Casualty]:
    """The incidents' casualties with their location history (destinations loaded), by incident and tag."""
    return list(Casualty.objects.filter(incident__in=incidents).select_related("incident", "destination")
                .prefetch_related("locations__destination").order_by("incident_id", "tag"))


def location_rows(casualty: Casualty) -> list[CasualtyLocation]:
    """A casualty's location history, oldest first (prefetched by casualties_for_export)."""
    return sorted(casualty.locations.all(), key=lambda r: (r.at, r.pk))

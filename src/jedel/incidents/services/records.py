"""What every write of the app appends: a timeline entry and an audit event, in the write's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record
from jedel.common.errors import Conflict
from jedel.incidents.errors import IncidentError
from jedel.incidents.models import Casualty, Incident, TimelineEntry


def recorded(*, actor: Principal, incident: Incident, kind: str, action: str, now: datetime,
             data: dict[str, Any], casualty: Casualty | None = None, facility_id: int | None = None) -> TimelineEntry:
    """Append the timeline entry `kind` and the audit event `action` (object: the casualty, else the incident)."""
    entry = TimelineEntry.objects.create(incident=incident, at=now, actor_id=actor.user_id,
                                         actor_label=actor.label[:200], kind=kind, casualty=casualty, data=data)
    audit_record(actor=actor, action=action, object_type="casualty" if casualty else "incident",
                 object_id=casualty.pk if casualty else incident.pk, region_id=incident.region_id,
                 facility_id=facility_id, changes={"incident": incident.pk, **data}, now=now)
    return entry


def casualty_locked(pk: int) -> Casualty:
    """The casualty, its row locked against other writers until commit, with its incident (not locked).

    FOR NO KEY UPDATE of the casualty row alone: a plain select_for_update() with the join also locked the
    incident's row FOR UPDATE, which every concurrent insert referring to the incident (a casualty, a timeline
    entry) must wait for — with the stream head's lock taken in the other order, 50 concurrent clients
    deadlocked within seconds on PostgreSQL (bench/mci_load.py). Child rows (locations, assignments) take KEY
    SHARE on the casualty, which NO KEY UPDATE does not block.
    """
    return Casualty.objects.select_for_update(no_key=True, of=("self",)).select_related("incident").get(pk=pk)


def check_version(current: int, sent: int | None) -> None:
    """A writer that read version `sent` may not overwrite a newer one (409 stale_version, never a merge)."""
    if sent is not None and sent != current:
        raise Conflict(IncidentError.STALE_VERSION, field="version",
                       detail=f"{IncidentError.STALE_VERSION.message} (version {sent} != {current})")

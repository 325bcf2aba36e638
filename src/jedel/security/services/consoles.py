"""Console heartbeats: an open security console page says every few seconds that someone is watching."""

from __future__ import annotations

from datetime import datetime

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import NotFound
from jedel.facilities.models import Facility
from jedel.security.errors import SecurityError
from jedel.security.models import ConsoleHeartbeat
from jedel.security.permissions import WATCH_PANIC


def console_heartbeat(*, actor: Principal | None, facility_id: int, now: datetime | None = None) -> ConsoleHeartbeat:
    """Record that `actor` has the facility's console open now (one row per person and facility, updated)."""
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise NotFound(SecurityError.FACILITY_NOT_FOUND)
    require(actor, WATCH_PANIC, facility, object_type="facility", object_id=facility.pk)
    assert actor is not None and actor.user_id is not None
    beat, _ = ConsoleHeartbeat.objects.update_or_create(facility=facility, user_id=actor.user_id,
                                                        defaults={"last_seen_at": now or utcnow()})
    return beat

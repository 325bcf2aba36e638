"""Notices for overdue capacity reports: the facility's managers first, then its region's coordinator desk.

Registered as a periodic job of the notification worker (capacity.apps). One open notice per facility and
silence: the dedupe key names the last report (or "never"), so a facility is reminded once per silence, and a
new report followed by a new silence gives a new notice.
"""

from __future__ import annotations

from datetime import datetime

from jedel.accounts.services import SYSTEM
from jedel.capacity.selectors.status import status_rows
from jedel.common.errors import DomainError
from jedel.notifications.models import Desk, Priority
from jedel.notifications.services.sending import notice_send

EVERY_S = 300


def overdue_notices_send(now: datetime) -> int:
    """Send (or collapse into the open one) a routine notice for every overdue reporting facility."""
    desks = dict(Desk.objects.filter(kind="region_coordination").values_list("region_id", "pk"))
    sent = 0
    for row in status_rows(now=now, overdue_only=True):
        if not row.is_inpatient:
            continue
        levels = [[{"role": "facility_manager", "facility": row.facility_id}]]
        if row.region_id in desks:
            levels.append([{"desk": desks[row.region_id]}])
        since = row.reported_at.isoformat() if row.reported_at else "never"
        # The page shows the kind ("Overdue capacity report") in the reader's language; the title is the facility.
        title = f"{row.code} · {row.names.get('ru') or row.name}"
        try:
            result = notice_send(actor=SYSTEM, kind="overdue_report", priority=Priority.ROUTINE, title=title,
                                 levels=levels, ack_timeout_s=[1800] * len(levels), facility_id=row.facility_id,
                                 region_id=row.region_id, dedupe_key=f"overdue:{row.code}:{since}", now=now)
        except DomainError:
            continue  # nobody to tell (no manager, no desk): the board's overdue list still shows it
        sent += not result.collapsed
    return sent

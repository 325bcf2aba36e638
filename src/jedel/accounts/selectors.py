"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import QuerySet

from jedel.accounts.models import AuditEvent, ScopeLevel
from jedel.accounts.permissions import VIEW_AUDIT
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require


def audit_list(*, viewer: Principal | None, region_id: int | None = None, limit: int = 200) -> QuerySet[AuditEvent]:
    """Newest audit events the viewer may see: all for national scope, own region for regional scope."""
    viewer = require(viewer, VIEW_AUDIT, Target(region_id=viewer.region_id if viewer else None))
    qs = AuditEvent.objects.select_related("region").order_by("-at", "-id")
    if viewer.scope_level != ScopeLevel.NATIONAL:
        qs = qs.filter(region_id=viewer.region_id)
    elif region_id is not None:
        qs = qs.filter(region_id=region_id)
    return qs[:limit]

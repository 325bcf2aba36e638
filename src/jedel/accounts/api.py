"""Who am I, and the audit trail."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jedel.accounts import selectors
from jedel.accounts.schemas import AuditOut, MeOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def get_me(request: HttpRequest) -> Any:
    p = request.auth  # type: ignore[attr-defined]
    return MeOut(label=p.label, role=p.role.value if p.role else None, scope_level=p.scope_level.value,
                 region_id=p.region_id, facility_id=p.facility_id, is_token=p.is_token)


@router.get("/audit", response=list[AuditOut])
def list_audit(request: HttpRequest, limit: int = 200) -> Any:
    p = request.auth  # type: ignore[attr-defined]
    return [AuditOut(at=e.at, actor_label=e.actor_label, action=e.action, object_type=e.object_type,
                     object_id=e.object_id, region_iso=e.region.iso_code if e.region else None,
                     outcome=e.outcome, changes=e.changes)
            for e in selectors.audit_list(viewer=p, limit=max(1, min(limit, 1000)))]

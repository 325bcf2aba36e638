"""Reads of the accounts app: the audit trail (filtered, within the viewer's scope), users and tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet

from jedel.accounts.audit_text import ACCOUNT_ACTIONS
from jedel.accounts.models import ApiToken, AuditEvent, ScopeLevel, SignInThrottle, User
from jedel.accounts.permissions import MANAGE_TOKENS, MANAGE_USERS, VIEW_ACCOUNT_AUDIT, VIEW_AUDIT
from jedel.accounts.policy import Principal, Target, allowed
from jedel.accounts.services import require
from jedel.common.clock import utcnow

# Dates people type into the audit filters are Almaty calendar days (the platform's local time).
ALMATY = ZoneInfo("Asia/Almaty")


@dataclass(frozen=True)
class AuditFilter:
    """The audit trail's filters; empty means 'any'. Dates are Almaty days, `until` inclusive."""

    who: str = ""
    action: str = ""
    facility: str = ""
    since: date | None = None
    until: date | None = None


def _own(viewer: Principal) -> Target:
    return Target(region_id=viewer.region_id, facility_id=viewer.facility_id)


def audit_scope(viewer: Principal | None) -> str:
    """'all' (coordinators: every event of their scope) or 'accounts' (security officers: sign-ins and account
    actions only); raises (and audits) for anyone else."""
    if viewer is not None and allowed(viewer, VIEW_AUDIT, _own(viewer)):
        return "all"
    require(viewer, VIEW_ACCOUNT_AUDIT, _own(viewer) if viewer else None)
    return "accounts"


def audit_list(*, viewer: Principal | None, region_id: int | None = None, filters: AuditFilter | None = None,
               limit: int | None = 200) -> QuerySet[AuditEvent]:
    """Newest audit events the viewer may see: within their scope (country, region or facility), all events for
    coordinators, sign-ins and account actions for security officers; narrowed by `filters`."""
    kinds = audit_scope(viewer)
    assert viewer is not None
    qs = AuditEvent.objects.select_related("region", "facility").order_by("-at", "-id")
    if viewer.scope_level == ScopeLevel.REGION:
        qs = qs.filter(region_id=viewer.region_id)
    elif viewer.scope_level == ScopeLevel.FACILITY:
        qs = qs.filter(facility_id=viewer.facility_id)
    elif region_id is not None:
        qs = qs.filter(region_id=region_id)
    if kinds == "accounts":
        qs = qs.filter(action__in=ACCOUNT_ACTIONS)
    qs = _filtered(qs, filters or AuditFilter())
    return qs[:limit] if limit is not None else qs


def _filtered(qs: QuerySet[AuditEvent], f: AuditFilter) -> QuerySet[AuditEvent]:
    if f.who.strip():
        qs = qs.filter(actor_label__icontains=f.who.strip())
    if f.action.strip():
        qs = qs.filter(action=f.action.strip())
    if f.facility.strip():
        code = f.facility.strip()
        # A facility's own events, the events filed under it, and capacity reports that name it.
        qs = qs.filter(Q(facility__code=code) | Q(object_type="facility", object_id=code)
                       | Q(changes__facility=code))
    if f.since is not None:
        qs = qs.filter(at__gte=datetime.combine(f.since, time.min, tzinfo=ALMATY))
    if f.until is not None:
        qs = qs.filter(at__lt=datetime.combine(f.until + timedelta(days=1), time.min, tzinfo=ALMATY))
    return qs


def user_list(*, viewer: Principal | None, query: str = "", now: datetime | None = None) -> QuerySet[User]:
    """Accounts the viewer may manage (national: all; regional: the region's and its facilities'), with
    `throttled` (some client must wait before trying this username again)."""
    viewer = require(viewer, MANAGE_USERS, _own(viewer) if viewer else None)
    qs = User.objects.select_related("scope_region", "scope_facility").order_by("username")
    if viewer.scope_level == ScopeLevel.REGION:
        qs = qs.filter(Q(scope_region_id=viewer.region_id) | Q(scope_facility__region_id=viewer.region_id))
    elif viewer.scope_level == ScopeLevel.FACILITY:
        qs = qs.none()
    if query.strip():
        qs = qs.filter(username__icontains=query.strip())
    blocked = SignInThrottle.objects.filter(username=OuterRef("username"), blocked_until__gt=now or utcnow())
    return qs.annotate(throttled=Exists(blocked))


def token_list(*, viewer: Principal | None, include_revoked: bool = False) -> QuerySet[ApiToken]:
    """API tokens the viewer may manage: national all; regional the region's facilities' and users'; a facility
    manager their facility's. Never the secret (only its first characters, to recognise it)."""
    viewer = require(viewer, MANAGE_TOKENS, _own(viewer) if viewer else None)
    qs = ApiToken.objects.select_related("facility", "user").order_by("-created_at", "-id")
    if viewer.scope_level == ScopeLevel.REGION:
        qs = qs.filter(Q(facility__region_id=viewer.region_id) | Q(user__scope_region_id=viewer.region_id)
                       | Q(user__scope_facility__region_id=viewer.region_id))
    elif viewer.scope_level == ScopeLevel.FACILITY:
        qs = qs.filter(facility_id=viewer.facility_id)
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    return qs

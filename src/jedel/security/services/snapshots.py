"""Daily compliance snapshots per region: what the compliance trend is drawn from."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from jedel.accounts.services import SYSTEM
from jedel.geo.models import Region
from jedel.security.compliance import compliance_by_region, compliance_facilities
from jedel.security.models import ComplianceSnapshot


def compliance_snapshot_take(now: datetime) -> int:
    """Record today's (local date) compliance of every region with mandated facilities; a second call the same
    day replaces that day's figures. Returns 0 (a periodic job's count of notices sent)."""
    regions, _total = compliance_by_region(compliance_facilities(SYSTEM, now=now))
    ids = dict(Region.objects.values_list("iso_code", "pk"))
    today = timezone.localtime(now).date()
    with transaction.atomic():
        for r in regions:
            ComplianceSnapshot.objects.update_or_create(
                region_id=ids[r.iso_code], on_date=today,
                defaults={"mandated": r.mandated, "compliant": r.compliant, "gaps": r.gaps})
    return 0

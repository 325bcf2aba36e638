"""Standard-format exchange of the current capacity picture: OASIS EDXL-HAVE 1.0 (export and import,
`edxl_have.py`) and HL7 FHIR R4 MeasureReports in the style of the SANER guide (export, `saner.py`).

The reads both formats share live here; they go through the capacity selectors (one FacilityStatus join
plus one prefetch of bed rows), so an export sees exactly what the board shows.
"""

from __future__ import annotations

from datetime import datetime

from jedel.common.errors import NotFound
from jedel.facilities.errors import FacilityError
from jedel.facilities.models import Facility
from jedel.capacity.selectors.status import StatusRow, status_rows
from jedel.geo.models import Region
from jedel.geo.selectors import region_get


def region_resolve(iso_code: str | None) -> Region | None:
    """The region for an ISO 3166-2 code (None when no code is given); NotFound(UNKNOWN_REGION) if unknown."""
    if not iso_code:
        return None
    try:
        return region_get(iso_code=iso_code)
    except Region.DoesNotExist:
        raise NotFound(FacilityError.UNKNOWN_REGION, field="region") from None


def reported_rows(*, now: datetime, region: Region | None = None) -> list[StatusRow]:
    """Active facilities that have a current report, by facility code (exports list them in this order)."""
    rows = status_rows(now=now, region_id=region.pk if region is not None else None, detail=True)
    return sorted((r for r in rows if r.current is not None), key=lambda r: r.code)


def trauma_levels(rows: list[StatusRow]) -> dict[int, int | None]:
    """Trauma level (1 = highest) by facility id: the one registry fact StatusRow does not carry."""
    ids = [r.facility_id for r in rows]
    return dict(Facility.objects.filter(pk__in=ids).values_list("pk", "trauma_level"))

"""Panic buttons and alerts over HTTP (JSON). A button presses with its device secret (auth.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status

from jedel.common import clock
from jedel.common.errors import DomainError
from jedel.common.ids import RowIdParam
from jedel.common.moments import ApiDatetime
from jedel.security import selectors
from jedel.security.auth import PANIC_AUTH
from jedel.security.errors import SecurityError
from jedel.security.models import PanicButton
from jedel.security.analytics import violence_counts
from jedel.security.compliance import compliance_by_region, compliance_facilities
from jedel.security.schemas import (
    AlertOut, AnalyticsRowOut, ButtonCreatedOut, ButtonIn, ButtonOut, ComplianceOut, FacilityComplianceOut, PostureIn, PostureOut,
    PressIn, PressOut, RegionComplianceOut, ResolveIn, ResponseTimesOut,
)
from jedel.security.services import panic
from jedel.security.services.posture import PostureInput, button_tested, posture_save

router = Router(tags=["security"])


@router.post("/security/panic", response={200: PressOut, 201: PressOut}, auth=PANIC_AUTH)
def press_panic(request: HttpRequest, data: PressIn | None = None) -> Any:
    """A press: 201 with the new alert; 200 when it repeats a press of the same device seconds before."""
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, PanicButton):
        result = panic.panic_press_device(button=caller)
    else:
        if data is None or data.facility is None:
            raise DomainError(SecurityError.FACILITY_NOT_FOUND, field="facility")
        result = panic.panic_press_staff(actor=caller, facility_id=data.facility, location=data.location)
    return Status(200 if result.duplicate else 201, PressOut(alert=AlertOut.of(result.alert),
                                                              duplicate=result.duplicate))


@router.get("/security/alerts", response=list[AlertOut])
def list_panic_alerts(request: HttpRequest, facility: RowIdParam,
                      state: Literal["open", "acknowledged", "resolved"] | None = None) -> Any:
    return [AlertOut.of(a) for a in selectors.alert_list(request.auth, facility_id=facility,  # type: ignore[attr-defined]
                                                         state=state)]


@router.post("/security/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge_panic_alert(request: HttpRequest, alert_id: RowIdParam) -> Any:
    return AlertOut.of(panic.panic_acknowledge(actor=request.auth, alert_id=alert_id))  # type: ignore[attr-defined]


@router.post("/security/alerts/{alert_id}/resolve", response=AlertOut)
def resolve_panic_alert(request: HttpRequest, alert_id: RowIdParam, data: ResolveIn) -> Any:
    return AlertOut.of(panic.panic_resolve(actor=request.auth, alert_id=alert_id,  # type: ignore[attr-defined]
                                           outcome=data.outcome, note=data.note, incident_id=data.incident))


@router.get("/security/buttons", response=list[ButtonOut])
def list_panic_buttons(request: HttpRequest, facility: RowIdParam) -> Any:
    return [ButtonOut.of(b) for b in selectors.button_list(request.auth, facility_id=facility)]  # type: ignore[attr-defined]


@router.post("/security/buttons", response={201: ButtonCreatedOut})
def create_panic_button(request: HttpRequest, data: ButtonIn) -> Any:
    button, raw = panic.button_create(actor=request.auth, facility_id=data.facility,  # type: ignore[attr-defined]
                                      location=data.location)
    return Status(201, ButtonCreatedOut(button=ButtonOut.of(button), token=raw))


@router.post("/security/buttons/{button_id}/revoke", response=ButtonOut)
def revoke_panic_button(request: HttpRequest, button_id: RowIdParam) -> Any:
    return ButtonOut.of(panic.button_revoke(actor=request.auth, button_id=button_id))  # type: ignore[attr-defined]


@router.get("/security/response-times", response=list[ResponseTimesOut])
def get_panic_response_times(request: HttpRequest, facility: RowIdParam | None = None,
                             since: ApiDatetime | None = None, until: ApiDatetime | None = None) -> Any:
    until = until or clock.utcnow()
    since = since or until - timedelta(days=30)
    return [ResponseTimesOut.of(r) for r in selectors.response_times(request.auth, since=since, until=until,  # type: ignore[attr-defined]
                                                                     facility_id=facility)]


@router.post("/security/buttons/{button_id}/test", response=ButtonOut)
def test_panic_button(request: HttpRequest, button_id: RowIdParam) -> Any:
    """Record that the button was tested now (press it once with the console told it is a test)."""
    return ButtonOut.of(button_tested(actor=request.auth, button_id=button_id))  # type: ignore[attr-defined]


@router.get("/security/posture/{facility_id}", response=PostureOut)
def get_security_posture(request: HttpRequest, facility_id: RowIdParam) -> Any:
    return PostureOut.of(*selectors.posture_get(request.auth, facility_id))  # type: ignore[attr-defined]


@router.put("/security/posture/{facility_id}", response=PostureOut)
def save_security_posture(request: HttpRequest, facility_id: RowIdParam, data: PostureIn) -> Any:
    posture_save(actor=request.auth, facility_id=facility_id, version=data.version,  # type: ignore[attr-defined]
                 data=PostureInput(**data.dict(exclude={"version"})))
    return PostureOut.of(*selectors.posture_get(request.auth, facility_id))  # type: ignore[attr-defined]


@router.get("/security/compliance", response=ComplianceOut)
def get_security_compliance(request: HttpRequest, region: RowIdParam | None = None) -> Any:
    """Mandated facilities (ERs, children's, perinatal) in the caller's scope and what each lacks, by region."""
    rows = compliance_facilities(request.auth, now=clock.utcnow(), region_id=region)  # type: ignore[attr-defined]
    regions, total = compliance_by_region(rows)
    return ComplianceOut(
        regions=[RegionComplianceOut(iso_code=r.iso_code, name=r.name, mandated=r.mandated, compliant=r.compliant,
                                     share=r.share, gaps=r.gaps) for r in regions],
        total=RegionComplianceOut(iso_code="", name="", mandated=total.mandated, compliant=total.compliant,
                                  share=total.share, gaps=total.gaps),
        facilities=[FacilityComplianceOut(facility=r.facility.pk, code=r.facility.code, kind=r.facility.kind,
                                          region=r.facility.region.iso_code, compliant=r.compliant,
                                          gaps=list(r.gaps)) for r in rows])


@router.get("/security/analytics", response=list[AnalyticsRowOut])
def get_violence_analytics(request: HttpRequest, by: Literal["region", "facility_kind", "department", "kind",
                                                             "severity", "victim_role"] = "region",
                           since: ApiDatetime | None = None, until: ApiDatetime | None = None) -> Any:
    """Anonymised counts per month and group in the caller's scope (victims for victim_role, else incidents)."""
    until = until or clock.utcnow()
    since = since or until - timedelta(days=365)
    return [AnalyticsRowOut(month=r.month, group=r.group, count=r.count)
            for r in violence_counts(request.auth, by=by, since=since, until=until)]  # type: ignore[attr-defined]


# The registry's operations are on the same router, in their own module.
from jedel.security import api_registry  # noqa: E402,F401

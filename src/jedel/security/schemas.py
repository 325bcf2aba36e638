"""API schemas of the security app (panic buttons and alerts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from jedel.common.ids import RowId
from jedel.security.models import PanicAlert, PanicButton
from jedel.security.selectors import ResponseTimes

OutcomeName = Literal["false_alarm", "de_escalated", "police_called", "incident_recorded"]
Location = Annotated[str, Field(min_length=1, max_length=120)]


class PressIn(Schema):
    """Empty from a panic button (it knows its place); the panic page names the facility and where."""

    facility: RowId | None = None
    location: Annotated[str, Field(max_length=120)] = ""


class AlertOut(Schema):
    id: int
    facility: int
    location: str
    source: str
    state: str
    pressed_at: datetime
    last_press_at: datetime
    presses: int
    acknowledged_at: datetime | None
    acknowledged_by: str
    resolved_at: datetime | None
    resolved_by: str
    outcome: str
    incident: int | None
    notice: int | None

    @staticmethod
    def of(a: PanicAlert) -> AlertOut:
        return AlertOut(id=a.pk, facility=a.facility_id, location=a.location, source=a.source, state=a.state,
                        pressed_at=a.pressed_at, last_press_at=a.last_press_at, presses=a.presses,
                        acknowledged_at=a.acknowledged_at, acknowledged_by=a.acknowledged_by_label,
                        resolved_at=a.resolved_at, resolved_by=a.resolved_by_label, outcome=a.outcome,
                        incident=a.incident_id, notice=a.notice_id)


class PressOut(Schema):
    alert: AlertOut
    duplicate: bool = Field(description="true: a repeat press of the same device, counted on its open alert")


class ResolveIn(Schema):
    outcome: OutcomeName
    note: Annotated[str, Field(max_length=500)] = ""
    incident: RowId | None = Field(None, description="the registry entry, required for incident_recorded")


class ButtonIn(Schema):
    facility: RowId
    location: Location


class ButtonOut(Schema):
    id: int
    facility: int
    location: str
    token_prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_tested_at: datetime | None
    presses: int
    last_press_at: datetime | None

    @staticmethod
    def of(b: PanicButton) -> ButtonOut:
        return ButtonOut(id=b.pk, facility=b.facility_id, location=b.location, token_prefix=b.token_prefix,
                         created_at=b.created_at, revoked_at=b.revoked_at, last_tested_at=b.last_tested_at,
                         presses=b.presses, last_press_at=b.last_press_at)


class ButtonCreatedOut(Schema):
    button: ButtonOut
    token: str = Field(description="the device secret, shown once: configure the button with it")


class ResponseTimesOut(Schema):
    facility: int
    facility_code: str
    alerts: int
    unacknowledged: int
    ack_median_s: float | None
    ack_mean_s: float | None
    ack_max_s: float | None
    resolve_median_s: float | None
    resolve_mean_s: float | None
    resolve_max_s: float | None

    @staticmethod
    def of(r: ResponseTimes) -> ResponseTimesOut:
        return ResponseTimesOut(facility=r.facility_id, facility_code=r.facility_code, alerts=r.alerts,
                                unacknowledged=r.unacknowledged, ack_median_s=r.ack_median_s,
                                ack_mean_s=r.ack_mean_s, ack_max_s=r.ack_max_s, resolve_median_s=r.resolve_median_s,
                                resolve_mean_s=r.resolve_mean_s, resolve_max_s=r.resolve_max_s)


class PostureIn(Schema):
    version: Annotated[int, Field(ge=0, description="0 to create; otherwise the version read")]
    post_24_7: bool
    cctv_cameras: Annotated[int, Field(ge=0, le=100000)]
    er_cctv_covered: bool
    body_cameras: Annotated[int, Field(ge=0, le=100000)]
    staff_count: Annotated[int, Field(ge=0, le=1000000)] | None = None
    last_audit_on: date | None = None
    audit_findings: Annotated[str, Field(max_length=5000)] = ""
    alert_region_at_once: bool = Field(False, description="page the regional level at once, not only after 60 s")


class PostureOut(Schema):
    facility: int
    facility_code: str
    recorded: bool
    version: int
    post_24_7: bool
    cctv_cameras: int
    er_cctv_covered: bool
    body_cameras: int
    staff_count: int | None
    last_audit_on: date | None
    audit_findings: str
    alert_region_at_once: bool
    live_buttons: int
    buttons_last_tested_at: datetime | None

    @staticmethod
    def of(facility, posture, buttons) -> PostureOut:  # type: ignore[no-untyped-def]
        tested = [b.last_tested_at for b in buttons if b.last_tested_at]
        return PostureOut(facility=facility.pk, facility_code=facility.code, recorded=posture is not None,
                          version=posture.version if posture else 0,
                          post_24_7=bool(posture and posture.post_24_7),
                          cctv_cameras=posture.cctv_cameras if posture else 0,
                          er_cctv_covered=bool(posture and posture.er_cctv_covered),
                          body_cameras=posture.body_cameras if posture else 0,
                          staff_count=posture.staff_count if posture else None,
                          last_audit_on=posture.last_audit_on if posture else None,
                          audit_findings=posture.audit_findings if posture else "",
                          alert_region_at_once=bool(posture and posture.alert_region_at_once), live_buttons=len(buttons),
                          buttons_last_tested_at=max(tested) if tested else None)


class RegionComplianceOut(Schema):
    iso_code: str
    name: str
    mandated: int
    compliant: int
    share: float | None
    gaps: dict[str, int]


class FacilityComplianceOut(Schema):
    facility: int
    code: str
    kind: str
    region: str
    compliant: bool
    gaps: list[str]


class ComplianceOut(Schema):
    regions: list[RegionComplianceOut]
    total: RegionComplianceOut
    facilities: list[FacilityComplianceOut]


class AnalyticsRowOut(Schema):
    month: str = Field(description="YYYY-MM, Asia/Almaty")
    group: str
    count: int

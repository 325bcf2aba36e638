"""API schemas of the notifications app."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from jedel.common.ids import RowId
from jedel.common.moments import ApiDatetime
from jedel.notifications.models import Delivery, DeliveryLog, Desk, DigestRule, Notice, Shift

KindName = Literal["incident_declared", "incoming_patient", "transfer_request", "panic_alert", "overdue_report",
                   "exercise_inject", "plan_review_overdue", "other"]
PriorityName = Literal["routine", "urgent", "emergency"]
DeskKindName = Literal["admissions", "security", "region_coordination", "nccem_duty"]
AnswerName = Literal["delivered", "read", "acknowledged", "cannot_respond"]
Id = RowId


class UserSpec(Schema):
    user: Id


class DeskSpec(Schema):
    desk: Id
    position: Annotated[StrictInt, Field(ge=0, le=20)] | None = None


class RoleSpec(Schema):
    role: Literal["national_coordinator", "regional_coordinator", "facility_manager", "clinician",
                  "security_officer", "viewer"]
    region: Id | None = None
    facility: Id | None = None


class NoticeIn(Schema):
    kind: KindName
    title: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=4000)
    priority: PriorityName = "urgent"
    levels: list[list[UserSpec | DeskSpec | RoleSpec]] = Field(
        min_length=1, max_length=8, description="recipients per escalation level, first level first")
    ack_timeout_s: list[Annotated[StrictInt, Field(ge=10, le=86_400)]] | None = Field(
        None, description="seconds to wait for an acknowledgement at each level (default by priority)")
    region: Id | None = None
    facility: Id | None = None
    exercise: bool = False
    dedupe_key: str = Field("", max_length=200, description="an open notice with the same key absorbs this one")

    def level_specs(self) -> list[list[dict[str, int | str]]]:
        return [[spec.model_dump(exclude_none=True) for spec in level] for level in self.levels]


class AnswerIn(Schema):
    answer: AnswerName
    note: str = Field("", max_length=500)


class LogOut(Schema):
    at: datetime
    state: str
    detail: str

    @staticmethod
    def of(row: DeliveryLog) -> "LogOut":
        return LogOut(at=row.at, state=row.state, detail=row.detail)


class DeliveryOut(Schema):
    id: int
    notice: int
    recipient: str
    channel: str
    level: int
    state: str
    attempts: int
    last_error: str
    queued_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    read_at: datetime | None
    acted_at: datetime | None
    log: list[LogOut] = []

    @staticmethod
    def of(d: Delivery, *, with_log: bool = False) -> "DeliveryOut":
        return DeliveryOut(id=d.pk, notice=d.notice_id, recipient=d.recipient.get_username(), channel=d.channel,
                           level=d.level, state=d.state, attempts=d.attempts, last_error=d.last_error,
                           queued_at=d.queued_at, sent_at=d.sent_at, delivered_at=d.delivered_at, read_at=d.read_at,
                           acted_at=d.acted_at, log=[LogOut.of(r) for r in d.log.all()] if with_log else [])


class NoticeOut(Schema):
    id: int
    kind: str
    priority: str
    title: str
    body: str
    exercise: bool
    status: str
    level: int
    repeats: int
    sender: str
    created_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    empty_desks: list[int]

    @staticmethod
    def of(n: Notice) -> "NoticeOut":
        return NoticeOut(id=n.pk, kind=n.kind, priority=n.priority, title=n.title, body=n.body, exercise=n.exercise,
                         status=n.status, level=n.level, repeats=n.repeats, sender=n.sender_label,
                         created_at=n.created_at,
                         acknowledged_by=n.acknowledged_by.get_username() if n.acknowledged_by else None,
                         acknowledged_at=n.acknowledged_at, empty_desks=list(n.data.get("empty_desks", [])))


class SentOut(Schema):
    notice: NoticeOut
    collapsed: bool = Field(description="an open notice with the same key absorbed this one; nobody was paged again")
    empty_desks: list[int] = Field(description="desks with nobody on duty when the notice was sent")
    without_channel: list[str] = Field(description="people reachable only in the app")


class NoticePageOut(Schema):
    notice: NoticeOut
    deliveries: list[DeliveryOut]


class InboxItem(Schema):
    delivery: int
    state: str
    notice: NoticeOut


class StatsOut(Schema):
    facility_id: int | None
    facility_name: str
    role: str
    reached: int
    acknowledged: int
    declined: int
    cancelled: int
    unanswered: int
    median_ack_s: float | None


class ShiftOut(Schema):
    id: int
    user: str
    starts_at: datetime
    ends_at: datetime
    position: int

    @staticmethod
    def of(s: Shift) -> "ShiftOut":
        return ShiftOut(id=s.pk, user=s.user.get_username(), starts_at=s.starts_at, ends_at=s.ends_at,
                        position=s.position)


class DeskOut(Schema):
    id: int
    kind: str
    facility: int | None
    region: int | None
    unstaffed: bool
    on_duty: list[ShiftOut]
    upcoming: list[ShiftOut]

    @staticmethod
    def of(desk: Desk, on_duty: list[Shift], upcoming: list[Shift]) -> "DeskOut":
        return DeskOut(id=desk.pk, kind=desk.kind, facility=desk.facility_id, region=desk.region_id,
                       unstaffed=not on_duty, on_duty=[ShiftOut.of(s) for s in on_duty],
                       upcoming=[ShiftOut.of(s) for s in upcoming])


class DeskIn(Schema):
    kind: DeskKindName
    facility: Id | None = None
    region: Id | None = None


class ShiftIn(Schema):
    desk: Id
    user: Id
    starts_at: ApiDatetime
    ends_at: ApiDatetime
    position: Annotated[StrictInt, Field(ge=0, le=20)] = 0


RoleName = Literal["national_coordinator", "regional_coordinator", "facility_manager", "clinician",
                   "security_officer", "viewer"]


class DigestRuleIn(Schema):
    kind: KindName
    role: RoleName | None = Field(None, description="the role this rule is for; give either role or user")
    user: Id | None = Field(None, description="a person whose own rule overrides their role's")
    mode: Literal["immediate", "digest"]
    every_min: Annotated[StrictInt, Field(ge=5, le=1440)] | None = Field(
        None, description="for a digest: minutes per period (periods are aligned to midnight UTC)")


class DigestRuleOut(Schema):
    id: int
    kind: str
    role: str
    user: str
    mode: Literal["immediate", "digest"]
    every_min: int | None

    @staticmethod
    def of(rule: DigestRule) -> "DigestRuleOut":
        return DigestRuleOut(id=rule.pk, kind=rule.kind, role=rule.role,
                             user=rule.user.get_username() if rule.user else "",
                             mode="immediate" if rule.every_min is None else "digest", every_min=rule.every_min)

"""Notices, inboxes, answers and duty rosters over HTTP (JSON)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status

from jedel.common import clock
from jedel.common.ids import RowIdParam
from jedel.common.moments import ApiDatetime
from jedel.notifications.schemas import (
    AnswerIn,
    DeliveryOut,
    DigestRuleIn,
    DigestRuleOut,
    DeskKindName,
    DeskIn,
    DeskOut,
    InboxItem,
    NoticeIn,
    NoticeOut,
    NoticePageOut,
    SentOut,
    ShiftIn,
    ShiftOut,
    StatsOut,
)
from jedel.notifications.selectors import notices as notice_reads
from jedel.notifications.selectors.digests import digest_rules_list
from jedel.notifications.selectors.rosters import roster_now
from jedel.notifications.selectors.stats import ack_statistics
from jedel.notifications.services import rosters
from jedel.notifications.services.answers import delivery_answer
from jedel.notifications.services.digests import digest_rule_delete, digest_rule_set
from jedel.notifications.services.sending import notice_send

router = Router(tags=["notifications"])


@router.post("/notices", response={201: SentOut})
def send_notice(request: HttpRequest, data: NoticeIn) -> Any:
    result = notice_send(actor=request.auth, kind=data.kind, title=data.title, body=data.body,  # type: ignore[attr-defined]
                         priority=data.priority, levels=data.level_specs(), ack_timeout_s=data.ack_timeout_s,
                         region_id=data.region, facility_id=data.facility, exercise=data.exercise,
                         dedupe_key=data.dedupe_key)
    return Status(201, SentOut(notice=NoticeOut.of(result.notice), collapsed=result.collapsed,
                               empty_desks=result.empty_desks, without_channel=result.without_channel))


@router.get("/notices", response=list[NoticeOut])
def list_notices(request: HttpRequest, status: Literal["open", "acknowledged", "unanswered"] | None = None, exercise: bool | None = None) -> Any:
    return [NoticeOut.of(n) for n in notice_reads.notices_sent(request.auth, status=status,  # type: ignore[attr-defined]
                                                               exercise=exercise)]


@router.get("/notices/inbox", response=list[InboxItem])
def list_inbox(request: HttpRequest, open_only: bool = False) -> Any:
    return [InboxItem(delivery=d.pk, state=d.state, notice=NoticeOut.of(d.notice))
            for d in notice_reads.inbox(request.auth, open_only=open_only)]  # type: ignore[attr-defined]


@router.get("/notices/stats", response=list[StatsOut])
def get_notice_stats(request: HttpRequest, since: ApiDatetime | None = None, until: ApiDatetime | None = None,
                     exercise: bool = False) -> Any:
    until = until or clock.utcnow()
    rows = ack_statistics(request.auth, since=since or until - timedelta(days=7), until=until,  # type: ignore[attr-defined]
                          exercise=exercise)
    return [StatsOut(**vars(r)) for r in rows]


@router.get("/notices/{notice_id}", response=NoticePageOut)
def get_notice(request: HttpRequest, notice_id: RowIdParam) -> Any:
    page = notice_reads.notice_page(request.auth, notice_id)  # type: ignore[attr-defined]
    return NoticePageOut(notice=NoticeOut.of(page.notice),
                         deliveries=[DeliveryOut.of(d, with_log=True) for d in page.deliveries])


@router.post("/notices/deliveries/{delivery_id}/answer", response=DeliveryOut)
def answer_delivery(request: HttpRequest, delivery_id: RowIdParam, data: AnswerIn) -> Any:
    delivery = delivery_answer(actor=request.auth, delivery_id=delivery_id, answer=data.answer,  # type: ignore[attr-defined]
                               note=data.note)
    return DeliveryOut.of(delivery)




@router.get("/rosters", response=list[DeskOut])
def list_rosters(request: HttpRequest, region: RowIdParam | None = None, facility: RowIdParam | None = None,
                 kind: DeskKindName | None = None) -> Any:
    rows = roster_now(request.auth, clock.utcnow(), region_id=region, facility_id=facility, kind=kind)  # type: ignore[attr-defined]
    return [DeskOut.of(r.desk, r.on_duty, r.upcoming) for r in rows]


@router.post("/rosters/desks", response={201: DeskOut})
def create_desk(request: HttpRequest, data: DeskIn) -> Any:
    desk = rosters.desk_ensure(actor=request.auth, kind=data.kind, facility_id=data.facility,  # type: ignore[attr-defined]
                               region_id=data.region)
    return Status(201, DeskOut.of(desk, [], []))


@router.post("/rosters/shifts", response={201: ShiftOut})
def add_shift(request: HttpRequest, data: ShiftIn) -> Any:
    shift = rosters.shift_add(actor=request.auth, desk_id=data.desk, user_id=data.user,  # type: ignore[attr-defined]
                              starts_at=data.starts_at, ends_at=data.ends_at, position=data.position)
    return Status(201, ShiftOut.of(shift))


@router.delete("/rosters/shifts/{shift_id}", response={204: None})
def remove_shift(request: HttpRequest, shift_id: RowIdParam) -> Any:
    rosters.shift_remove(actor=request.auth, shift_id=shift_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/digest-rules", response=list[DigestRuleOut])
def list_digest_rules(request: HttpRequest) -> Any:
    return [DigestRuleOut.of(r) for r in digest_rules_list(request.auth)]  # type: ignore[attr-defined]


@router.put("/digest-rules", response=DigestRuleOut)
def set_digest_rule(request: HttpRequest, data: DigestRuleIn) -> Any:
    rule = digest_rule_set(actor=request.auth, kind=data.kind, mode=data.mode,  # type: ignore[attr-defined]
                           every_min=data.every_min, role=data.role or "", user_id=data.user)
    return DigestRuleOut.of(rule)


@router.delete("/digest-rules/{rule_id}", response={204: None})
def delete_digest_rule(request: HttpRequest, rule_id: RowIdParam) -> Any:
    digest_rule_delete(actor=request.auth, rule_id=rule_id)  # type: ignore[attr-defined]
    return Status(204, None)

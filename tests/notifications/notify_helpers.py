"""Builders for the notifications tests: a hospital with an admissions desk on a roster, and principals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jedel.accounts.policy import Principal, principal_for_user
from jedel.notifications.models import Address, Desk, Shift

T0 = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)


def principal(user) -> Principal:
    found = principal_for_user(user)
    assert found is not None
    return found


def desk_with(kind: str, people: list, *, facility=None, region=None, start=T0 - timedelta(hours=1),
              hours: int = 12) -> Desk:
    """A desk with `people` on duty from `start` for `hours`, in the order given (position 0, 1, …)."""
    desk = Desk.objects.create(kind=kind, facility=facility, region=region)
    for position, user in enumerate(people):
        Shift.objects.create(desk=desk, user=user, starts_at=start, ends_at=start + timedelta(hours=hours),
                             position=position)
    return desk


def sms(user, phone: str, *, exercise: bool = False) -> Address:
    return Address.objects.create(user=user, channel="sms", value=phone, accepts_exercise=exercise)

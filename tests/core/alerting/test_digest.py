"""Digest or immediate: the alarm rule, the person-over-role choice and the period ends, from tables written here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jedel.core.alerting import IMMEDIATE, Preference, hold_until, must_be_immediate, period_end, preference_for

HOURLY = Preference(60)


@pytest.mark.parametrize(("now", "every_min", "end"), [
    (datetime(2026, 12, 3, 10, 0, tzinfo=UTC), 60, datetime(2026, 12, 3, 11, 0, tzinfo=UTC)),  # on a boundary: next
    (datetime(2026, 12, 3, 10, 59, 59, tzinfo=UTC), 60, datetime(2026, 12, 3, 11, 0, tzinfo=UTC)),
    (datetime(2026, 12, 3, 10, 7, tzinfo=UTC), 15, datetime(2026, 12, 3, 10, 15, tzinfo=UTC)),
    (datetime(2026, 12, 3, 23, 30, tzinfo=UTC), 1440, datetime(2026, 12, 4, 0, 0, tzinfo=UTC)),
    (datetime(2026, 12, 3, 10, 7, tzinfo=UTC), 7, datetime(2026, 12, 3, 10, 9, tzinfo=UTC)),  # 29 938 207 min since epoch, % 7 = 5
])
def test_period_end(now, every_min, end):
    assert period_end(now, every_min) == end


def test_period_end_needs_an_aware_time():
    with pytest.raises(ValueError):
        period_end(datetime(2026, 12, 3, 10, 0), 60)


# (in_app, emergency, level, levels) -> must be immediate
@pytest.mark.parametrize(("in_app", "emergency", "level", "levels", "immediate"), [
    (False, False, 0, 1, False),  # one level, routine/urgent: may wait
    (False, False, 1, 2, False),  # the last level: nobody is paged after them
    (False, False, 0, 2, True),   # their silence escalates to level 1: never held
    (False, True, 0, 1, True),    # EMERGENCY: never held
    (False, True, 1, 2, True),
    (True, False, 0, 1, True),    # in the app: never held
])
def test_alarm_rule(in_app, emergency, level, levels, immediate):
    assert must_be_immediate(in_app=in_app, emergency=emergency, level=level, levels=levels) is immediate


def test_hold_until():
    now = datetime(2026, 12, 3, 10, 20, tzinfo=UTC)
    assert hold_until(HOURLY, now=now, in_app=False, emergency=False, level=0, levels=1) == \
        datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    assert hold_until(HOURLY, now=now, in_app=False, emergency=True, level=0, levels=1) is None
    assert hold_until(IMMEDIATE, now=now, in_app=False, emergency=False, level=0, levels=1) is None


def test_person_wins_over_role():
    assert preference_for(person=IMMEDIATE, role=HOURLY) == IMMEDIATE
    assert preference_for(person=Preference(15), role=HOURLY) == Preference(15)
    assert preference_for(person=None, role=HOURLY) == HOURLY
    assert preference_for(person=None, role=None) == IMMEDIATE


@pytest.mark.parametrize("every_min", [0, 4, 1441])
def test_period_bounds(every_min):
    with pytest.raises(ValueError):
        Preference(every_min)

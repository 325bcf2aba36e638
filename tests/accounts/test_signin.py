"""Sign-in throttling (issue 7): keyed by (username, client) and by client, with backoff and decay; nobody
elsewhere can lock a user out; unknown and known usernames are indistinguishable; a client over its limit
costs no hashing; every sign-in is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, RequestFactory

from jedel.accounts.errors import AccountError
from jedel.accounts.models import AuditEvent, Role, ScopeLevel
from jedel.accounts.services import SYSTEM, user_create
from jedel.accounts.signin import SignInThrottled, client_address, sign_in
from jedel.common.errors import DomainError
from tests.accounts.hashers import HASHERS, CountingMD5Hasher

PASSWORD = "correct-horse-battery-9"
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ATTACKER, OFFICE = "198.51.100.7", "203.0.113.9"


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = HASHERS
    settings.JEDEL_LOGIN_MAX_FAILURES = 5
    settings.JEDEL_LOGIN_CLIENT_MAX_FAILURES = 20
    settings.JEDEL_LOGIN_BACKOFF_SECONDS = 30
    settings.JEDEL_LOGIN_BACKOFF_MAX_SECONDS = 900
    settings.JEDEL_LOGIN_DECAY_SECONDS = 3600
    settings.JEDEL_TRUSTED_PROXIES = []
    CountingMD5Hasher.reset()
    return CountingMD5Hasher


@pytest.fixture
def coord(kz, hashes):
    user = user_create(actor=SYSTEM, username="coord75", password=PASSWORD, role=Role.REGIONAL_COORDINATOR,
                       scope_level=ScopeLevel.REGION, region_id=kz["KZ-75"].pk)
    hashes.reset()
    return user


def attempt(username: str, password: str, client: str, now: datetime) -> tuple[int, str, int | None]:
    """(status, code, retry-after) of one sign-in."""
    try:
        sign_in(username=username, password=password, client=client, now=now)
    except SignInThrottled as exc:
        return exc.status, exc.code.value, exc.retry_after_s
    except DomainError as exc:
        return exc.status, exc.code.value, None
    return 200, "ok", None


WRONG = (401, "bad_credentials", None)


def test_guesses_from_elsewhere_cannot_lock_the_user_out(coord):
    outcomes = [attempt("coord75", f"guess-{i}", ATTACKER, T0) for i in range(30)]
    assert outcomes == [WRONG] * 5 + [(429, "sign_in_throttled", 30)] * 25
    # The coordinator at the office signs in at once (the old lockout answered 429 for 15 minutes).
    assert attempt("coord75", PASSWORD, OFFICE, T0) == (200, "ok", None)
    # Only the checked attempts were hashed: 5 guesses and the real sign-in.
    assert CountingMD5Hasher.checks == 6


def test_each_further_failure_doubles_the_wait_up_to_the_maximum(coord):
    now = T0
    for _ in range(5):
        assert attempt("coord75", "wrong", ATTACKER, now) == WRONG
    waits = []
    for _ in range(7):
        status, code, wait = attempt("coord75", "wrong", ATTACKER, now)
        assert (status, code) == (429, "sign_in_throttled")
        waits.append(wait)
        now += timedelta(seconds=wait)
        assert attempt("coord75", "wrong", ATTACKER, now) == WRONG  # the wait is over: one more check
    assert waits == [30, 60, 120, 240, 480, 900, 900]


def test_the_wait_is_counted_down_in_retry_after(coord):
    for _ in range(5):
        attempt("coord75", "wrong", ATTACKER, T0)
    assert attempt("coord75", PASSWORD, ATTACKER, T0 + timedelta(seconds=12.5)) == (429, "sign_in_throttled", 18)
    assert attempt("coord75", PASSWORD, ATTACKER, T0 + timedelta(seconds=30)) == (200, "ok", None)


def test_unknown_and_known_usernames_get_the_same_answers_and_the_same_hashing(coord):
    known = [attempt("coord75", f"w{i}", ATTACKER, T0) for i in range(8)]
    known_hashes = CountingMD5Hasher.checks
    CountingMD5Hasher.reset()
    unknown = [attempt("nobody-here", f"w{i}", OFFICE, T0) for i in range(8)]
    assert unknown == known == [WRONG] * 5 + [(429, "sign_in_throttled", 30)] * 3
    assert CountingMD5Hasher.checks == known_hashes == 5


def test_a_success_resets_the_count(coord):
    for _ in range(4):
        assert attempt("coord75", "wrong", OFFICE, T0) == WRONG
    assert attempt("coord75", PASSWORD, OFFICE, T0) == (200, "ok", None)
    # A fresh count: five more failures are checked before the first wait.
    assert [attempt("coord75", "wrong", OFFICE, T0) for _ in range(6)] == [WRONG] * 5 + [
        (429, "sign_in_throttled", 30)]


def test_failures_decay_one_per_period_without_failures(coord):
    for _ in range(5):
        attempt("coord75", "wrong", OFFICE, T0)
    later = T0 + timedelta(hours=2)  # two failures forgotten: three counted, two more before the first wait
    assert [attempt("coord75", "wrong", OFFICE, later) for _ in range(3)] == [WRONG, WRONG,
                                                                              (429, "sign_in_throttled", 30)]


def test_a_client_over_its_limit_costs_no_hashing_whatever_usernames_it_tries(coord):
    outcomes = [attempt(f"user-{i}", "x", ATTACKER, T0) for i in range(40)]
    assert outcomes == [WRONG] * 20 + [(429, "sign_in_throttled", 30)] * 20
    assert CountingMD5Hasher.checks == 20
    # Even the right password of a real account is not checked from that client until the wait is over...
    assert attempt("coord75", PASSWORD, ATTACKER, T0) == (429, "sign_in_throttled", 30)
    assert CountingMD5Hasher.checks == 20
    # ...and other clients are not affected.
    assert attempt("coord75", PASSWORD, OFFICE, T0) == (200, "ok", None)


def test_a_successful_sign_in_gives_the_client_its_attempt_back(coord):
    for _ in range(25):  # a hospital behind one address: 25 people sign in, none of them counts as a failure
        assert attempt("coord75", PASSWORD, OFFICE, T0) == (200, "ok", None)


def test_inactive_users_and_users_without_a_password_answer_like_a_wrong_password(coord, hashes):
    coord.is_active = False
    coord.save()
    assert attempt("coord75", PASSWORD, OFFICE, T0) == WRONG
    coord.is_active = True
    coord.set_unusable_password()
    coord.save()
    hashes.reset()
    assert attempt("coord75", PASSWORD, OFFICE, T0) == WRONG
    assert hashes.checks == 1  # still one hash: the answer's timing does not tell the account apart


def test_every_sign_in_is_audited_with_the_client_and_the_users_region(coord, kz):
    attempt("coord75", "wrong", OFFICE, T0)
    attempt("coord75", PASSWORD, OFFICE, T0)
    attempt("nobody", "x", ATTACKER, T0)
    for _ in range(5):
        attempt("coord75", "wrong", ATTACKER, T0)
    rows = list(AuditEvent.objects.filter(action__startswith="sign_in").order_by("id").values_list(
        "action", "actor_label", "outcome", "region_id", "changes"))
    region = kz["KZ-75"].pk
    assert rows == [
        ("sign_in_failed", "coord75", "denied", region, {"client": OFFICE}),
        ("sign_in", "coord75", "ok", region, {"client": OFFICE}),
        ("sign_in_failed", "nobody", "denied", None, {"client": ATTACKER}),
        *[("sign_in_failed", "coord75", "denied", region, {"client": ATTACKER})] * 5,
    ]


def test_throttled_attempts_are_audited(coord, kz):
    for _ in range(6):
        attempt("coord75", "wrong", ATTACKER, T0)
    last = AuditEvent.objects.order_by("-id").first()
    assert (last.action, last.outcome, last.changes) == ("sign_in_throttled", "denied",
                                                         {"client": ATTACKER, "retry_after_s": 30})


def test_the_page_answers_429_with_retry_after(coord):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        assert client.post("/accounts/login/", {"username": "coord75", "password": "wrong"}).status_code == 401
    response = client.post("/accounts/login/", {"username": "coord75", "password": PASSWORD})
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 30
    assert b"Too many failed sign-in attempts from here." in response.content
    office = Client(REMOTE_ADDR=OFFICE).post("/accounts/login/", {"username": "coord75", "password": PASSWORD})
    assert office.status_code == 302


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


@pytest.mark.parametrize("proxies, remote, forwarded, expected", [
    ([], "198.51.100.7", None, "198.51.100.7"),
    ([], "198.51.100.7", "1.2.3.4", "198.51.100.7"),             # no trusted proxy: the header is a claim
    (["10.0.0.0/8"], "198.51.100.7", "1.2.3.4", "198.51.100.7"),  # not from our proxy: ignored
    (["10.0.0.0/8"], "10.0.0.2", "203.0.113.9", "203.0.113.9"),
    (["10.0.0.0/8"], "10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.5", "203.0.113.9"),  # rightmost untrusted hop
    (["10.0.0.2"], "10.0.0.2", "garbage", "10.0.0.2"),
    ([], "2001:db8:1:2:3:4:5:6", None, "2001:db8:1:2::/64"),       # IPv6: one subscriber's /64
    ([], "::ffff:198.51.100.7", None, "198.51.100.7"),
    ([], "", None, "unknown"),
])
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.JEDEL_TRUSTED_PROXIES = proxies
    assert client_address(_request(remote, forwarded)) == expected


def test_an_empty_username_is_a_wrong_password_not_a_crash(kz, hashes):
    assert attempt("", "x", OFFICE, T0) == WRONG
    assert AccountError.BAD_CREDENTIALS.value == "bad_credentials"


def test_an_attempt_that_read_the_clock_a_moment_earlier_is_counted_once(coord):
    # Parallel requests reach the row lock out of clock order; a negative "time since the last failure"
    # once counted as an extra failure (20 parallel guesses got 4 checks instead of 5).
    assert attempt("coord75", "wrong", OFFICE, T0 + timedelta(seconds=1)) == WRONG
    assert [attempt("coord75", "wrong", OFFICE, T0) for _ in range(5)] == [WRONG] * 4 + [
        (429, "sign_in_throttled", 30)]


def test_counts_untouched_for_a_week_are_dropped(coord):
    from jedel.accounts.models import SignInThrottle

    for i in range(3):
        attempt(f"guessed-{i}", "x", ATTACKER, T0)
    assert SignInThrottle.objects.count() == 4  # the attacker's address and three (username, address) pairs
    attempt("coord75", PASSWORD, OFFICE, T0 + timedelta(days=8))
    assert SignInThrottle.objects.filter(client=ATTACKER).count() == 0

"""Sign-in with throttling that cannot be turned into a lockout, and the client address it is keyed by.

Why it is built this way (issue 7):

- **Keyed by (username, client address) and by client address**, never by the account alone: someone
  guessing from elsewhere cannot lock a national coordinator out during an emergency; the real user's own
  address keeps its own count. The per-client count also bounds guessing across many usernames.
- **Counted before the password is checked**, under row locks in one short transaction (client row first,
  then the pair, always in that order, so two attempts never deadlock): N parallel guesses get exactly the
  allowed number of password checks, and a client over its limit costs no hashing at all (a check costs
  0.3-0.5 s of CPU: unauthenticated requests must not be able to buy it in bulk).
- **Backoff, not lockout**: the first free failures cost nothing; each further failure doubles the wait
  (JEDEL_LOGIN_BACKOFF_SECONDS up to JEDEL_LOGIN_BACKOFF_MAX_SECONDS). One failure is forgotten per
  JEDEL_LOGIN_DECAY_SECONDS without failures; a success forgets the pair's failures at once (and gives the
  client back the attempt it was provisionally charged). Administrators can clear the counts (unlock).
- **Unknown and known usernames are indistinguishable**: the same rows are counted, one hash is run either
  way (against a dummy hash for unknown users and users without a usable password), and the answers are
  the same (401 wrong username or password; 429 with Retry-After when throttled).
- **Stored in the database** (SignInThrottle), not in Django's cache: every server process shares it and the
  row lock makes counting atomic across processes on PostgreSQL (SQLite serialises writers). The cache is
  local memory unless REDIS_URL is set (per process: N workers would allow N times the limit), and Redis
  may evict keys under memory pressure, which an attacker could provoke. A sign-in is rare enough that two
  small writes per attempt cost nothing next to the hash.
"""

from __future__ import annotations

import functools
import ipaddress
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Q
from django.utils.crypto import get_random_string
from django.utils.translation import ngettext

from jedel.accounts.errors import AccountError
from jedel.accounts.models import AuditEvent, ScopeLevel, SignInThrottle, User
from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError

CLIENT_ROW = ""  # the username of a client address's own row (no account has an empty username)
SIGN_IN_ACTIONS = ("sign_in", "sign_in_failed", "sign_in_throttled")


class SignInThrottled(DomainError):
    """429: too many failures from this client (for this username or overall); retry after the wait."""

    status = 429

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        wait = ngettext("Try again in %(n)d second.", "Try again in %(n)d seconds.", retry_after_s) % {
            "n": retry_after_s}
        super().__init__(AccountError.THROTTLED, detail=f"{AccountError.THROTTLED.message} {wait}")


def client_key(address: str) -> str:
    """The throttle key of an IP address: IPv4 as it is, IPv6 by its /64 (one subscriber's network)."""
    ip = ipaddress.ip_address(address.strip())
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(ip in ipaddress.ip_network(p, strict=False) for p in settings.JEDEL_TRUSTED_PROXIES)


def client_address(request: Any) -> str:
    """The client's throttle key: REMOTE_ADDR, or the nearest untrusted X-Forwarded-For hop when REMOTE_ADDR is
    one of JEDEL_TRUSTED_PROXIES (otherwise the header is the client's own claim and is ignored)."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return "unknown"
    if settings.JEDEL_TRUSTED_PROXIES and _trusted(remote):
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):  # the right end was appended by our own proxies
            ip = _parse(hop)
            if ip is None:
                break
            if not _trusted(ip):
                return client_key(str(ip))
    return client_key(str(remote))


def _decayed(row: SignInThrottle, now: datetime) -> int:
    if not row.failures or row.last_failure_at is None:
        return row.failures
    # Clamped at 0: a parallel attempt that read the clock a moment earlier must not count a negative period.
    elapsed = max(0.0, (now - row.last_failure_at).total_seconds())
    return max(0, row.failures - int(elapsed // settings.JEDEL_LOGIN_DECAY_SECONDS))


def wait_after(failures: int, free: int) -> int:
    """Seconds to wait after the `failures`-th failure: 0 before `free`, then doubling up to the maximum."""
    if failures < free:
        return 0
    return min(settings.JEDEL_LOGIN_BACKOFF_MAX_SECONDS,
               settings.JEDEL_LOGIN_BACKOFF_SECONDS * 2 ** min(failures - free, 30))


def _remaining(row: SignInThrottle, now: datetime) -> int:
    if row.blocked_until is None or row.blocked_until <= now:
        return 0
    return math.ceil((row.blocked_until - now).total_seconds())


def _locked_rows(username: str, client: str) -> tuple[SignInThrottle, SignInThrottle]:
    SignInThrottle.objects.bulk_create([SignInThrottle(username=CLIENT_ROW, client=client),
                                        SignInThrottle(username=username, client=client)], ignore_conflicts=True)
    rows = SignInThrottle.objects.select_for_update()
    return rows.get(username=CLIENT_ROW, client=client), rows.get(username=username, client=client)


def _count_attempt(username: str, client: str, now: datetime) -> int:
    """Charge one failure to the client and the pair before the password is checked; the wait in seconds
    (nothing charged) when either is still waiting, else 0."""
    with transaction.atomic():
        client_row, pair = _locked_rows(username, client)
        wait = max(_remaining(client_row, now), _remaining(pair, now))
        if wait:
            return wait
        for row, free in ((client_row, settings.JEDEL_LOGIN_CLIENT_MAX_FAILURES),
                          (pair, settings.JEDEL_LOGIN_MAX_FAILURES)):
            row.failures = _decayed(row, now) + 1
            row.last_failure_at = now
            seconds = wait_after(row.failures, free)
            row.blocked_until = now + timedelta(seconds=seconds) if seconds else None
            row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
    return 0


STALE_AFTER = timedelta(days=7)


def _forget_attempt(username: str, client: str, now: datetime) -> None:
    """A success: the pair starts afresh; the client gets back the failure it was charged in advance. Counts
    untouched for a week (long decayed) are dropped too, so guessed usernames do not pile up rows forever."""
    with transaction.atomic():
        SignInThrottle.objects.filter(username=username, client=client).delete()
        SignInThrottle.objects.filter(Q(blocked_until__isnull=True) | Q(blocked_until__lt=now),
                                      last_failure_at__lt=now - STALE_AFTER).delete()
        row = SignInThrottle.objects.select_for_update().filter(username=CLIENT_ROW, client=client).first()
        if row is not None:
            row.failures = max(0, row.failures - 1)
            if row.failures < settings.JEDEL_LOGIN_CLIENT_MAX_FAILURES:
                row.blocked_until = None
            row.save(update_fields=["failures", "blocked_until"])


@functools.lru_cache(maxsize=4)
def _dummy_hash(hasher: str) -> str:
    return make_password(get_random_string(24))


def _password_matches(user: User | None, password: str) -> bool:
    """One hash of the preferred algorithm whoever asks (an unknown user's is run against a dummy hash)."""
    if user is None or not user.has_usable_password():
        check_password(password, _dummy_hash(settings.PASSWORD_HASHERS[0]))
        return False
    return user.check_password(password) and user.is_active


def sign_in(*, username: str, password: str, client: str = "unknown", now: datetime | None = None) -> User:
    """The user for this username and password from this client, or 401 (wrong) / 429 (throttled). Audited."""
    now = now or utcnow()
    username = username[:150]
    user = User.objects.select_related("scope_facility").filter(username=username).first() if username else None
    who = Principal(label=username or "?", role=None, scope_level=ScopeLevel.NATIONAL,
                    user_id=user.pk if user else None)
    where = _where(user)
    if not username:
        raise DomainError(AccountError.BAD_CREDENTIALS, status=401)
    wait = _count_attempt(username, client, now)
    if wait:
        audit_record(actor=who, action="sign_in_throttled", object_type="user", object_id=username, now=now,
                     outcome=AuditEvent.Outcome.DENIED, changes={"client": client, "retry_after_s": wait}, **where)
        raise SignInThrottled(wait)
    if not _password_matches(user, password):
        audit_record(actor=who, action="sign_in_failed", object_type="user", object_id=username, now=now,
                     outcome=AuditEvent.Outcome.DENIED, changes={"client": client}, **where)
        raise DomainError(AccountError.BAD_CREDENTIALS, status=401)
    assert user is not None
    _forget_attempt(username, client, now)
    audit_record(actor=who, action="sign_in", object_type="user", object_id=username, now=now,
                 changes={"client": client}, **where)
    return user


def _where(user: User | None) -> dict[str, int | None]:
    """The region and facility a user's sign-in events belong to (so their scope's auditors see them)."""
    if user is None:
        return {"region_id": None, "facility_id": None}
    if user.scope_facility_id:
        return {"region_id": user.scope_facility.region_id, "facility_id": user.scope_facility_id}  # type: ignore[union-attr]
    return {"region_id": user.scope_region_id, "facility_id": None}


def throttle_clear(*, username: str | None = None, client: str | None = None) -> int:
    """Forget failures: every client's count for `username`, and/or the count of one client address."""
    deleted = 0
    if username:
        deleted += SignInThrottle.objects.filter(username=username).delete()[0]
    if client:
        deleted += SignInThrottle.objects.filter(username=CLIENT_ROW, client=client).delete()[0]
    return deleted


def throttled_clients(username: str, *, now: datetime | None = None) -> int:
    """How many client addresses must wait before trying this username again."""
    return SignInThrottle.objects.filter(username=username, blocked_until__gt=now or utcnow()).count()

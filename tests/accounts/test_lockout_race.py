"""Parallel sign-ins cannot slip past the throttle: each attempt is counted before its password is checked, so a
burst gets exactly the allowed number of password checks (and a client over its limit costs no hashing).

Meaningful on PostgreSQL only (the SQLite test database cannot run concurrent writers); skipped with a reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from jedel.accounts.models import User
from jedel.accounts.signin import sign_in
from jedel.common.errors import DomainError
from tests.accounts.hashers import HASHERS, CountingMD5Hasher

PASSWORD = "correct-horse-battery-staple"
ATTACKER, OFFICE = "198.51.100.7", "203.0.113.9"


def _parallel(n: int, attempt: Callable[[int], None]) -> list[int]:
    barrier = threading.Barrier(n)
    outcomes: list[int] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            attempt(i)
            status = 200
        except DomainError as exc:
            status = exc.status
        finally:
            connection.close()
        with lock:
            outcomes.append(status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def pg(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent sign-ins need PostgreSQL (set JEDEL_TEST_DATABASE_URL)")
    settings.PASSWORD_HASHERS = HASHERS  # the race, not the hash
    settings.JEDEL_LOGIN_MAX_FAILURES, settings.JEDEL_LOGIN_CLIENT_MAX_FAILURES = 5, 20
    CountingMD5Hasher.reset()


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_guesses_for_one_user_and_client_get_exactly_five_checks(kz, pg):
    user = User(username="target", role="national_coordinator", scope_level="national")
    user.set_password(PASSWORD)
    user.save()
    outcomes = _parallel(20, lambda i: sign_in(username="target", password=f"wrong-{i}", client=ATTACKER))
    # Exactly 5 passwords are checked, 15 are refused unchecked...
    assert outcomes == [401] * 5 + [429] * 15
    assert CountingMD5Hasher.checks == 5
    # ...and that client must wait even with the right password, while the user elsewhere signs in.
    with pytest.raises(DomainError) as throttled:
        sign_in(username="target", password=PASSWORD, client=ATTACKER)
    assert throttled.value.status == 429
    assert sign_in(username="target", password=PASSWORD, client=OFFICE).username == "target"


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_bogus_sign_ins_from_one_client_run_only_its_allowance_of_hashes(kz, pg):
    outcomes = _parallel(40, lambda i: sign_in(username=f"bogus-{i}", password="x", client=ATTACKER))
    assert outcomes == [401] * 20 + [429] * 20
    assert CountingMD5Hasher.checks == 20

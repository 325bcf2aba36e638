"""Parallel sign-in guesses cannot slip past the lockout: each attempt is counted before its password is checked.

Meaningful on PostgreSQL only (the SQLite test database cannot run concurrent writers); skipped with a reason.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jedel.accounts.models import User
from jedel.accounts.services import sign_in
from jedel.common.errors import DomainError

PASSWORD = "correct-horse-battery-staple"
ATTEMPTS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_attempts_get_exactly_the_allowed_number_of_password_checks(kz, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent sign-ins need PostgreSQL (set JEDEL_TEST_DATABASE_URL)")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the race, not the hash
    user = User(username="target", role="national_coordinator", scope_level="national")
    user.set_password(PASSWORD)
    user.save()
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[int] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            sign_in(username="target", password=f"wrong-{i}")
            status = 200
        except DomainError as exc:
            status = exc.status
        finally:
            connection.close()
        with lock:
            outcomes.append(status)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # 20 wrong guesses at once: exactly 5 passwords are checked, 15 are refused unchecked, and the account is
    # then locked even against the right password.
    assert sorted(outcomes) == [401] * settings.JEDEL_LOGIN_MAX_FAILURES + [429] * (
        ATTEMPTS - settings.JEDEL_LOGIN_MAX_FAILURES)
    with pytest.raises(DomainError) as locked:
        sign_in(username="target", password=PASSWORD)
    assert locked.value.status == 429

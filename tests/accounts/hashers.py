"""A password hasher that counts its checks: tests assert how many hashes a burst of sign-ins cost."""

from __future__ import annotations

import threading
from typing import Any

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingMD5Hasher(MD5PasswordHasher):
    """MD5 (fast: the tests are about how many checks run, not their cost), counting every verify()."""

    checks = 0
    _lock = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.checks = 0

    def verify(self, password: str, encoded: str) -> bool:
        with CountingMD5Hasher._lock:
            CountingMD5Hasher.checks += 1
        return super().verify(password, encoded)

    def must_update(self, encoded: Any) -> bool:
        return False


HASHERS = ["tests.accounts.hashers.CountingMD5Hasher"]

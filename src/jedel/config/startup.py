"""Checks a server runs before it accepts a request (ASGI, WSGI and `jedel serve` call them).

Why not in settings.py: `manage.py check --deploy`, `jedel migrate` and the test suite must still load the
settings without a key (check --deploy is the tool that *reports* the demo key); only serving requests with it
is refused.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings

# uvicorn's STARTUP_FAILURE: its multi-worker supervisor stops instead of restarting a worker that exits with
# it, so `uvicorn --workers 4` refuses once rather than looping.
STARTUP_FAILURE = 3


def refuse_demo_secret_key() -> None:
    """Exit with one line on stderr when the built-in demo key would sign sessions outside demo/debug mode."""
    # The environment is read again: a test run loads settings before its conftest sets the key.
    key_set = bool(os.environ.get("JEDEL_SECRET_KEY", "").strip())
    if settings.JEDEL_SECRET_KEY_IS_DEMO and not key_set and not (settings.DEBUG or settings.JEDEL_DEMO):
        sys.stderr.write(
            "error: JEDEL_SECRET_KEY is not set; refusing to serve with the built-in demo key "
            "(set JEDEL_SECRET_KEY to a long random value, or JEDEL_DEMO=1 on a laptop demo)\n")
        sys.stderr.flush()
        raise SystemExit(STARTUP_FAILURE)

"""The notification worker inside the server process, for a deployment without a separate worker.

With the in-memory channel layer (a laptop, `make demo`), events published by another process reach open
sockets only at their next ping, so escalations must be made where the sockets are: in the server. Set
JEDEL_NOTIFY_WORKER=in-server (the default of `jedel serve`) to run one tick per second in a daemon thread of
each server process; several processes share the work safely (claims are compare-and-set). In production with
Redis, run `jedel notify worker` instead and set JEDEL_NOTIFY_WORKER=off for the servers.
"""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger(__name__)
INTERVAL_S = 1.0
_started = False


def _loop(stop: threading.Event) -> None:
    from django.db import close_old_connections

    from jedel.notifications.services.worker import tick

    while not stop.wait(INTERVAL_S):
        try:
            close_old_connections()
            tick()
        except Exception:  # keep the server's worker alive through a database restart; log, try again
            log.exception("notification worker pass failed; retrying in %s s", INTERVAL_S)


def start_if_configured() -> threading.Event | None:
    """Start the worker thread once per process when JEDEL_NOTIFY_WORKER=in-server; its stop event."""
    global _started
    if os.environ.get("JEDEL_NOTIFY_WORKER", "off") != "in-server" or _started:
        return None
    _started = True
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), name="jedel-notify-worker", daemon=True).start()
    return stop

"""`jedel notify worker`: escalates unacknowledged notices and sends queued e-mail / SMS / Telegram deliveries.

Run one (or more: they share the work) next to the server in production; it keeps nothing in memory, so a
restart or a `kill -9` loses no notice and sends none twice (see jedel.notifications.services.worker).
"""

from __future__ import annotations

import signal
import time
from typing import Annotated

import typer

from jedel.cli.django_setup import setup

notify_app = typer.Typer(help="Notifications: the escalation and delivery worker.", no_args_is_help=True)


@notify_app.command("worker")
def notify_worker(
    interval: Annotated[float, typer.Option(min=0.05, max=60.0, help="seconds between passes")] = 1.0,
    once: Annotated[bool, typer.Option("--once", help="one pass, then exit (cron, tests)")] = False,
) -> None:
    """Escalate due notices and send due deliveries, every INTERVAL seconds until stopped."""
    setup()
    from django.db import close_old_connections

    from jedel.notifications.services.worker import tick

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        close_old_connections()  # a restarted database must not leave the worker with a dead connection
        result = tick()
        if result.escalated or result.sent or result.retried or result.failed:
            typer.echo(f"escalated {result.escalated} · sent {result.sent} · retried {result.retried} "
                       f"· failed {result.failed}", err=True)
        if once or stopping:
            return
        time.sleep(interval)


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")

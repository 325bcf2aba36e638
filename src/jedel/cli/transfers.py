"""`jedel transfers expire`: close transfer requests nobody acted on before their deadline (run it from cron or a
systemd timer every few minutes; it is idempotent)."""

from __future__ import annotations

import typer

from jedel.cli.django_setup import setup

transfers_app = typer.Typer(help="Transfers: inter-facility transfers and air ambulance.", no_args_is_help=True)


@transfers_app.command("expire")
def expire() -> None:
    """Expire requests past their deadline that have no transport yet; prints how many."""
    setup()
    from jedel.accounts.services import SYSTEM
    from jedel.transfers.services.requests import transfers_expire

    done = transfers_expire(actor=SYSTEM)
    typer.echo(f"{len(done)} transfer request(s) expired")


def register(app: typer.Typer) -> None:
    app.add_typer(transfers_app, name="transfers")

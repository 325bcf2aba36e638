"""`jedel user list|deactivate|activate|unlock|set-password` (added to the `jedel user` group of platform.py)."""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import Annotated, Any

import typer
from django.utils.translation import gettext as _

from jedel.cli.django_setup import fail, setup


def cli_actor() -> Any:
    """The operator at the server's shell: national scope, audited as `cli:<login name>`."""
    from jedel.accounts.models import Role, ScopeLevel
    from jedel.accounts.policy import Principal

    try:
        who = getpass.getuser()
    except Exception:  # no login name in a bare container
        who = "unknown"
    return Principal(label=f"cli:{who}", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)


def almaty(moment: datetime | None) -> str:
    """A stored UTC time as Almaty local time, to the minute ('—' when none)."""
    if moment is None:
        return "—"
    from jedel.accounts.selectors import ALMATY

    return moment.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")


def wide_console() -> Any:
    """A Rich console; piped or captured output gets full lines (no wrapping inside a cell)."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=240)


def run(call: Any) -> Any:
    """Call a service; a domain error becomes one line on stderr and exit 2."""
    from jedel.common.errors import DomainError

    try:
        return call()
    except DomainError as exc:
        fail(f"{exc.field or 'error'}: {exc.detail}")


def user_list(
    search: Annotated[str, typer.Option(help="part of the username")] = "",
    region: Annotated[str | None, typer.Option(help="only this region's accounts, e.g. KZ-75")] = None,
) -> None:
    """List accounts: role, scope, active, last sign-in (Almaty time), and whether a client must wait."""
    setup()
    from django.db.models import Q
    from rich.table import Table

    from jedel.accounts.selectors import user_list as select
    from jedel.geo.models import Region

    users = run(lambda: select(viewer=cli_actor(), query=search))
    if region:
        found = Region.objects.filter(iso_code=region).first()
        if found is None:
            fail(_("region: unknown region %(region)r") % {"region": region})
        users = users.filter(Q(scope_region=found) | Q(scope_facility__region=found))
    table = Table(title=_("Accounts"))
    for column in ("username", "role", "scope", "active", "last sign-in (Almaty)", "throttled"):
        table.add_column(column)
    for u in users:
        scope = u.scope_facility.code if u.scope_facility_id else u.scope_region.iso_code if u.scope_region_id \
            else "national"
        table.add_row(u.username, u.role, scope, "yes" if u.is_active else "no", almaty(u.last_login),
                      "yes" if u.throttled else "")
    wide_console().print(table)


def user_deactivate(username: str) -> None:
    """Deactivate an account: its sign-ins, sessions and personal API tokens stop working."""
    setup()
    from jedel.accounts.administration import user_set_active

    run(lambda: user_set_active(actor=cli_actor(), username=username, active=False))
    typer.echo(_("deactivated %(user)s") % {"user": username})


def user_activate(username: str) -> None:
    """Reactivate a deactivated account."""
    setup()
    from jedel.accounts.administration import user_set_active

    run(lambda: user_set_active(actor=cli_actor(), username=username, active=True))
    typer.echo(_("reactivated %(user)s") % {"user": username})


def user_unlock(
    username: Annotated[str | None, typer.Argument(help="forget this account's failed sign-ins")] = None,
    client: Annotated[str | None, typer.Option(help="forget this IP address's failed sign-ins")] = None,
) -> None:
    """Clear failed sign-ins so the account (or a client address) may try again at once."""
    setup()
    from jedel.accounts.administration import client_unlock
    from jedel.accounts.administration import user_unlock as unlock

    if not username and not client:
        fail(_("give a username, --client ADDRESS, or both"))
    if username:
        cleared = run(lambda: unlock(actor=cli_actor(), username=username))
        typer.echo(_("unlocked %(user)s (%(n)d counts cleared)") % {"user": username, "n": cleared})
    if client:
        cleared = run(lambda: client_unlock(actor=cli_actor(), client=client))
        typer.echo(_("unlocked %(client)s (%(n)d counts cleared)") % {"client": client, "n": cleared})


def user_set_password(
    username: str,
    password: Annotated[str | None, typer.Option(help="new password (prompted when omitted)")] = None,
) -> None:
    """Set an account's password (held to the password rules)."""
    setup()
    from jedel.accounts.administration import user_set_password as set_password

    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    run(lambda: set_password(actor=cli_actor(), username=username, password=password))
    typer.echo(_("password set for %(user)s") % {"user": username})


def register(app: typer.Typer) -> None:
    """Add the account commands to `jedel user` (the group platform.py registers with `create`)."""
    from jedel.cli.platform import user_app

    user_app.command("list")(user_list)
    user_app.command("deactivate")(user_deactivate)
    user_app.command("activate")(user_activate)
    user_app.command("unlock")(user_unlock)
    user_app.command("set-password")(user_set_password)

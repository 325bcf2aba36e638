"""Platform commands: migrate, serve, user management."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from django.utils.translation import gettext as _

from jedel.cli.django_setup import fail, setup


def migrate() -> None:
    """Create or upgrade the database schema and load Kazakhstan's reference geography."""
    setup()
    from django.core.management import call_command

    from jedel.geo.services import reference_geography_load

    call_command("migrate", interactive=False, verbosity=0)
    result = reference_geography_load()
    typer.echo(_("database ready: %(regions)d regions, %(towns)d towns") % {"regions": result.regions, "towns": result.towns})


def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
) -> None:
    """Serve the web app and API (ASGI, Daphne). Production: see README, Deploying."""
    setup()
    from django.core.management import call_command

    from jedel.config.startup import refuse_demo_secret_key

    refuse_demo_secret_key()  # before anything is printed: the refusal is the only line
    os.environ.setdefault("JEDEL_DEBUG", "0")
    # One server, no separate worker: escalations and e-mail/SMS sends run in it (jedel/notifications/inserver.py).
    os.environ.setdefault("JEDEL_NOTIFY_WORKER", "in-server")
    call_command("collectstatic", interactive=False, verbosity=0)
    typer.echo(_("Jedel is running on %(url)s  (Ctrl+C to stop)") % {"url": f"http://{host}:{port}/"})
    from daphne.cli import CommandLineInterface

    CommandLineInterface().run(["-b", host, "-p", str(port), "jedel.config.asgi:application"])


user_app = typer.Typer(help="Users and API tokens.", no_args_is_help=True)


@user_app.command("create")
def user_create(
    username: str,
    role: Annotated[str, typer.Option(help="national_coordinator, regional_coordinator, facility_manager, "
                                            "clinician, security_officer or viewer")],
    region: Annotated[str | None, typer.Option(help="ISO 3166-2 code for a region scope, e.g. KZ-75")] = None,
    facility: Annotated[str | None, typer.Option(help="facility code for a facility scope")] = None,
    password: Annotated[str | None, typer.Option(help="password (prompted when omitted)")] = None,
    email: str = "",
) -> None:
    """Create a user with a role and a scope (national unless --region or --facility)."""
    setup()
    from jedel.accounts.models import Role, ScopeLevel
    from jedel.accounts.services import SYSTEM
    from jedel.accounts.services import user_create as create
    from jedel.common.errors import DomainError
    from jedel.facilities.models import Facility
    from jedel.geo.models import Region

    try:
        role_value = Role(role)
    except ValueError:
        fail(_("role: unknown role %(role)r") % {"role": role})
    region_obj = Region.objects.filter(iso_code=region).first() if region else None
    if region and region_obj is None:
        fail(_("region: unknown region %(region)r") % {"region": region})
    facility_obj = Facility.objects.filter(code=facility).first() if facility else None
    if facility and facility_obj is None:
        fail(_("facility: unknown facility %(facility)r") % {"facility": facility})
    level = ScopeLevel.FACILITY if facility_obj else ScopeLevel.REGION if region_obj else ScopeLevel.NATIONAL
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        user = create(actor=SYSTEM, username=username, password=password, role=role_value, scope_level=level,
                      region_id=region_obj.pk if region_obj else None,
                      facility_id=facility_obj.pk if facility_obj else None,
                      facility_region_id=facility_obj.region_id if facility_obj else None, email=email)
    except DomainError as exc:
        fail(f"{exc.field or 'user'}: {exc.detail}")
    typer.echo(_("created %(user)s (%(role)s, %(scope)s)") % {"user": user.username, "role": role_value.value,
                                                            "scope": level.value})


def register(app: typer.Typer) -> None:
    app.command()(migrate)
    app.command()(serve)
    app.add_typer(user_app, name="user")

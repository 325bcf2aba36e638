"""`jedel token create|list|revoke|rotate`: API tokens for facilities (hospital systems) and users (scripts).

Rotation is a new token and the old one revoked (`rotate` does both at once); the secret is shown once."""

from __future__ import annotations

from typing import Annotated

import typer
from django.utils.translation import gettext as _

from jedel.cli.django_setup import fail, setup
from jedel.cli.users import almaty, cli_actor, run, wide_console

token_app = typer.Typer(help="API tokens: create, list, revoke, rotate.", no_args_is_help=True)


def _show_secret(raw: str) -> None:
    typer.echo(_("secret (shown once, store it now):"), err=True)
    typer.echo(raw)


@token_app.command("create")
def token_create(
    facility: Annotated[str | None, typer.Option(help="facility code: a token for its information system")] = None,
    user: Annotated[str | None, typer.Option(help="username: a token that acts as this user")] = None,
    name: Annotated[str, typer.Option(help="what uses the token, e.g. 'HIS of City Hospital 1'")] = "api",
) -> None:
    """Issue a token for one facility or one user; prints its secret once."""
    setup()
    from jedel.accounts.administration import token_issue

    if bool(facility) == bool(user):
        fail(_("give exactly one of --facility CODE or --user NAME"))
    token, raw = run(lambda: token_issue(actor=cli_actor(), name=name, facility_code=facility, username=user))
    typer.echo(_("token %(id)d created (%(name)s)") % {"id": token.pk, "name": token.name}, err=True)
    _show_secret(raw)


@token_app.command("list")
def token_list(
    facility: Annotated[str | None, typer.Option(help="only this facility's tokens")] = None,
    all_: Annotated[bool, typer.Option("--all", help="include revoked tokens")] = False,
) -> None:
    """List tokens: number, name, owner, first characters, created, last used, revoked (Almaty time)."""
    setup()
    from rich.table import Table

    from jedel.accounts.selectors import token_list as select

    tokens = run(lambda: select(viewer=cli_actor(), include_revoked=all_))
    if facility:
        tokens = tokens.filter(facility__code=facility)
    table = Table(title=_("API tokens"))
    for column in ("id", "name", "owner", "starts", "created", "last used", "revoked"):
        table.add_column(column)
    for t in tokens:
        owner = f"facility {t.facility.code}" if t.facility_id else f"user {t.user.username}"
        table.add_row(str(t.pk), t.name, owner, f"jdl_{t.prefix}…", almaty(t.created_at), almaty(t.last_used_at),
                      almaty(t.revoked_at) if t.revoked_at else "")
    wide_console().print(table)


@token_app.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token now (its holder gets 401 from then on)."""
    setup()
    from jedel.accounts.administration import token_withdraw

    run(lambda: token_withdraw(actor=cli_actor(), token_id=token_id))
    typer.echo(_("token %(id)d revoked") % {"id": token_id})


@token_app.command("rotate")
def token_rotate(token_id: int) -> None:
    """A new token for the same owner and name, and this one revoked; prints the new secret once."""
    setup()
    from jedel.accounts.administration import token_rotate as rotate

    new, raw = run(lambda: rotate(actor=cli_actor(), token_id=token_id))
    typer.echo(_("token %(old)d revoked, token %(id)d created") % {"old": token_id, "id": new.pk}, err=True)
    _show_secret(raw)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")

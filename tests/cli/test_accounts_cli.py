"""`jedel user list|deactivate|activate|unlock|set-password` and `jedel token create|list|revoke|rotate`:
results on stdout, one-line errors on stderr with exit 2, every action audited as `cli:<login>`."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from jedel.accounts.models import ApiToken, AuditEvent, Role, ScopeLevel, User
from jedel.accounts.services import SYSTEM, token_principal, user_create
from jedel.accounts.signin import sign_in
from jedel.cli import platform, tokens, users
from jedel.common.errors import DomainError
from tests.accounts.hashers import HASHERS
from tests.capacity.capacity_helpers import make_facility

runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
app = typer.Typer()
platform.register(app)
users.register(app)
tokens.register(app)
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def accounts(kz, settings):
    settings.PASSWORD_HASHERS = HASHERS
    hospital = make_facility(kz["KZ-75"], "CLI-1")
    user_create(actor=SYSTEM, username="mgr", password=PASSWORD, role=Role.FACILITY_MANAGER,
                scope_level=ScopeLevel.FACILITY, facility_id=hospital.pk, facility_region_id=hospital.region_id)
    return hospital


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_user_list_deactivate_activate(accounts):
    listed = invoke("user", "list")
    assert listed.exit_code == 0 and "mgr" in listed.stdout and "CLI-1" in listed.stdout
    assert invoke("user", "deactivate", "mgr").exit_code == 0
    assert User.objects.get(username="mgr").is_active is False
    assert invoke("user", "activate", "mgr").exit_code == 0
    assert User.objects.get(username="mgr").is_active is True
    labels = set(AuditEvent.objects.filter(action__in=["user_deactivate", "user_activate"])
                 .values_list("actor_label", flat=True))
    assert len(labels) == 1 and next(iter(labels)).startswith("cli:")


def test_unknown_user_is_one_line_and_exit_2(accounts):
    result = invoke("user", "deactivate", "ghost")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: username: No user has this username."


def test_unlock_and_set_password(accounts):
    for _ in range(5):
        with pytest.raises(DomainError):
            sign_in(username="mgr", password="wrong", client="198.51.100.7")
    assert "1 counts cleared" in invoke("user", "unlock", "mgr").stdout
    assert invoke("user", "unlock").exit_code == 2
    assert invoke("user", "unlock", "--client", "nonsense").stderr.strip() == "error: client: Not an IP address."
    weak = invoke("user", "set-password", "mgr", "--password", "123")
    assert weak.exit_code == 2 and weak.stderr.startswith("error: password: ")
    assert invoke("user", "set-password", "mgr", "--password", "fresh-passphrase-42").exit_code == 0
    assert sign_in(username="mgr", password="fresh-passphrase-42", client="198.51.100.7").username == "mgr"


def test_token_create_list_rotate_revoke(accounts):
    created = invoke("token", "create", "--facility", "CLI-1", "--name", "HIS")
    assert created.exit_code == 0
    raw = created.stdout.strip()
    assert raw.startswith("jdl_") and token_principal(raw).facility_id == accounts.pk
    token = ApiToken.objects.get()
    listed = invoke("token", "list")
    assert f"jdl_{token.prefix}" in listed.stdout and raw not in listed.stdout and "facility CLI-1" in listed.stdout
    rotated = invoke("token", "rotate", str(token.pk))
    new_raw = rotated.stdout.strip()
    assert token_principal(raw) is None and token_principal(new_raw) is not None
    new = ApiToken.objects.get(revoked_at__isnull=True)
    assert invoke("token", "revoke", str(new.pk)).exit_code == 0
    assert token_principal(new_raw) is None
    assert invoke("token", "list").stdout.count("HIS") == 0 and invoke("token", "list", "--all").stdout.count("HIS") == 2


@pytest.mark.parametrize("args, message", [
    (("token", "create", "--name", "x"), "error: give exactly one of --facility CODE or --user NAME"),
    (("token", "create", "--facility", "NOPE"), "error: facility: No facility has this code."),
    (("token", "revoke", "999"), "error: token: No API token has this number."),
    (("token", "create", "--user", "mgr", "--name", " "), "error: name: Give the token a name (which system uses it)."),
])
def test_token_errors_are_one_line(accounts, args, message):
    result = invoke(*args)
    assert (result.exit_code, result.stderr.strip()) == (2, message)

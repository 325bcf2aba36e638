"""Fixtures for the real-time tests: an isolated channel-layer prefix, users, sockets, publishing."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(autouse=True)
def _own_channel_prefix(settings):
    """Keep this test's channel groups apart from any other run sharing the Redis (prefix is Redis-only)."""
    layers = {alias: dict(conf) for alias, conf in settings.CHANNEL_LAYERS.items()}
    default = layers["default"]
    if default["BACKEND"].startswith("channels_redis"):
        default["CONFIG"] = {**default.get("CONFIG", {}), "prefix": f"jedel-test-{uuid.uuid4().hex[:12]}"}
    settings.CHANNEL_LAYERS = layers  # also resets the cached layer (Channels listens to setting_changed)
    yield


@pytest.fixture
def national_user(db):
    from jedel.accounts.models import User

    user = User(username="rt-national", role="national_coordinator", scope_level="national")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture(scope="session")
def rt_template(tmp_path_factory):
    """One migrated database (SQLite file or PostgreSQL) with a national user, its API token and a session."""
    from tests.common.servers import template_database

    with template_database(tmp_path_factory.mktemp("rt-template")) as found:
        yield found


@pytest.fixture
def world(rt_template, tmp_path):
    """For server-process tests: an environment factory on this test's own copy of the template database
    (its own channel prefix too), the API token and the session key valid in it."""
    from tests.common.servers import child_env, database_copy

    template_url, token, session_key = rt_template
    with database_copy(template_url, tmp_path) as url:
        prefix = f"jedel-test-{uuid.uuid4().hex[:12]}"

        def env(redis_url: str | None = None) -> dict[str, str]:
            return child_env(url, redis_url=redis_url, prefix=prefix, var_dir=str(tmp_path))

        yield env, token, session_key

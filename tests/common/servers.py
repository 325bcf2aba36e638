"""Real server processes for the real-time tests: a throw-away database, uvicorn workers, a websocket client.

Each test gets its own database, copied from one migrated per module (a SQLite file, or a PostgreSQL database
beside the one in DATABASE_URL, dropped afterwards), so that separate processes share it without touching
pytest-django's.
Every child gets an explicit environment (no DJANGO_ALLOW_ASYNC_UNSAFE, its own channel prefix), every wait
is bounded, and every process is killed in `finally`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30
SCRIPT_TIMEOUT = 60

SEED = """
import django; django.setup()
from jedel.accounts.models import User
from jedel.accounts.services import SYSTEM, token_create
user = User(username="rt-server", role="national_coordinator", scope_level="national")
user.set_unusable_password(); user.save()
print(token_create(actor=SYSTEM, name="rt-server", user=user)[1])
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
session = SessionStore()
session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
session.create()
print(session.session_key)
"""

PUBLISH = """
import sys, django; django.setup()
from django.db import transaction
from jedel.common.realtime.publish import publish
for i in range(int(sys.argv[1])):
    with transaction.atomic():
        print(publish("capacity", "test.tick", {"i": i}, read_action="view_board").seq)
"""


def child_env(database_url: str, *, redis_url: str | None, prefix: str, var_dir: str) -> dict[str, str]:
    """The environment of every child process: explicit database, channel layer and prefix."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DATABASE_URL", "JEDEL_CHANNEL_PREFIX"}}
    env.update(DATABASE_URL=database_url, JEDEL_CHANNEL_PREFIX=prefix, JEDEL_VAR_DIR=var_dir,
               DJANGO_SETTINGS_MODULE="jedel.config.settings", PYTHONUNBUFFERED="1")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def run_script(code: str, env: dict[str, str], *args: str) -> str:
    """Run Python `code` in a child process with `env`; its stdout (fails the test on a non-zero exit)."""
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=SCRIPT_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def publish_in_child(env: dict[str, str], n: int) -> list[int]:
    """Publish `n` capacity events from a separate process; their seqs."""
    return [int(line) for line in run_script(PUBLISH, env, str(n)).split()]


@contextlib.contextmanager
def _new_database(tmp: Path, template: str | None = None) -> Iterator[str]:
    """An empty (or copied from `template`) database of the kind the suite runs on, removed afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    name = f"jedel_rt_{uuid.uuid4().hex[:12]}"
    if not _is_postgres(base):
        path = tmp / f"{name}.sqlite3"
        if template:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"
        return
    import psycopg

    server = base.rpartition("/")[0]
    clause = f' TEMPLATE "{template.rpartition("/")[2]}"' if template else ""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{clause}')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def template_database(tmp: Path) -> Iterator[tuple[str, str, str]]:
    """A migrated database with one national user; yields its URL, the user's API token and a session key."""
    with _new_database(tmp) as url:
        env = child_env(url, redis_url=None, prefix="unused", var_dir=str(tmp))
        done = subprocess.run([sys.executable, "manage.py", "migrate", "-v0", "--skip-checks"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=SCRIPT_TIMEOUT)
        assert done.returncode == 0, done.stderr[-3000:]
        token, session_key = run_script(SEED, env).split()
        if not _is_postgres(url):  # fold the WAL into the file so that a plain copy is complete
            import sqlite3

            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield url, token, session_key


def database_copy(template: str, tmp: Path) -> contextlib.AbstractContextManager[str]:
    """A fresh copy of the template database for one test (removed afterwards)."""
    return _new_database(tmp, template)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`uvicorn jedel.config.asgi:application` on a free port of 127.0.0.1."""

    def __init__(self, env: dict[str, str], log_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.log = log_dir / f"uvicorn-{self.port}.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "jedel.config.asgi:application", "--host", "127.0.0.1",
                 "--port", str(self.port), "--lifespan", "off", "--log-level", "warning"],
                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/events/"

    def wait_ready(self) -> Server:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"uvicorn exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return self
            time.sleep(0.05)
        raise AssertionError(f"uvicorn not listening after {START_TIMEOUT} s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, as in a crash."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)


@contextlib.contextmanager
def servers(env: dict[str, str], n: int, log_dir: Path, port: int | None = None) -> Iterator[list[Server]]:
    """`n` servers started together (the first on `port` if given), all killed on the way out whatever happens."""
    started: list[Server] = []
    try:
        for i in range(n):
            started.append(Server(env, log_dir, port if i == 0 else None))
        yield [s.wait_ready() for s in started]
    finally:
        for s in started:
            s.kill()


class Client:
    """A websocket client speaking the events protocol, every wait bounded."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(cls, url: str, token: str):  # noqa: ANN206
        from websockets.asyncio.client import connect

        async with connect(url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=10,
                           close_timeout=2) as ws:
            yield cls(ws)

    async def frame(self, timeout: float = 10) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))  # type: ignore[no-any-return]

    async def subscribe(self, after: int | None, stream: str = "capacity") -> list[dict[str, Any]]:
        """Subscribe to `stream`; every frame up to and including 'subscribed'."""
        await self.ws.send(json.dumps({"type": "subscribe", "stream": stream, "after": after}))
        out = [await self.frame()]
        while out[-1]["type"] not in {"subscribed", "reset", "error"}:
            out.append(await self.frame())
        return out

    async def quiet(self, seconds: float) -> bool:
        """True when nothing arrives within `seconds`."""
        try:
            await asyncio.wait_for(self.ws.recv(), seconds)
        except TimeoutError:
            return True
        return False

"""The `jedel` entry point: a database that cannot be reached is one line on stderr and exit 1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the socket is: nothing listens there


def test_an_unreachable_database_is_one_line_not_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DATABASE_URL=f"postgresql://postgres@127.0.0.1:{_closed_port()}/nowhere", JEDEL_VAR_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", "from jedel.cli.main import main; main()", "migrate"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("error: the database cannot be reached (")
    assert done.stderr.strip().endswith("check DATABASE_URL")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr

"""Production settings pass Django's deployment checklist; the demo defaults are flagged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JEDEL_")}
    env.update({"DJANGO_SETTINGS_MODULE": "jedel.config.settings", "JEDEL_VAR_DIR": str(ROOT / "var")}, **extra_env)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = _check_deploy({"JEDEL_SECRET_KEY": "k" * 20 + "9f3b7c1e5a0d2468ace13579bdf0246813579bdf",
                            "JEDEL_HTTPS": "1", "JEDEL_DEBUG": "0", "JEDEL_ALLOWED_HOSTS": "jedel.example.kz"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_demo_secret_key():
    result = _check_deploy({"JEDEL_HTTPS": "1"})
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


REFUSAL = ("error: JEDEL_SECRET_KEY is not set; refusing to serve with the built-in demo key (set JEDEL_SECRET_KEY "
           "to a long random value, or JEDEL_DEMO=1 on a laptop demo)")


def _python(code: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JEDEL_")}
    env.update({"DJANGO_SETTINGS_MODULE": "jedel.config.settings", "JEDEL_VAR_DIR": str(ROOT / "var")}, **extra_env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_asgi_and_wsgi_refuse_to_start_with_the_demo_key_outside_demo_mode():
    for module in ("jedel.config.asgi", "jedel.config.wsgi"):
        result = _python(f"import {module}", {})
        assert result.returncode == 3, result.stderr
        assert result.stderr.strip() == REFUSAL  # one line, no traceback


def test_uvicorn_refuses_the_demo_key_with_one_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith("JEDEL_")}
    env.update({"DJANGO_SETTINGS_MODULE": "jedel.config.settings", "JEDEL_VAR_DIR": str(ROOT / "var")})
    result = subprocess.run([sys.executable, "-m", "uvicorn", "jedel.config.asgi:application", "--port", "1",
                             "--lifespan", "off"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3
    assert REFUSAL in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_demo_mode_debug_or_a_real_key_start():
    for extra in ({"JEDEL_DEMO": "1"}, {"JEDEL_DEBUG": "1"}, {"JEDEL_SECRET_KEY": "x" * 50}):
        result = _python("import jedel.config.asgi, jedel.config.wsgi; print('ok')", extra)
        assert (result.returncode, result.stdout.strip()) == (0, "ok"), (extra, result.stderr)


def test_a_blank_key_counts_as_unset():
    assert _python("import jedel.config.wsgi", {"JEDEL_SECRET_KEY": "  "}).returncode == 3

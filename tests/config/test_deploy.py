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

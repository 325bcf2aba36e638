"""What the serving benchmarks share: the production command in its own process group, CPU accounting from
/proc, percentiles, free ports and the machine's description (bench/serve_load.py, bench/notify_load.py)."""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def pct(samples: list[float], q: int) -> float | None:
    if len(samples) < 2:
        return round(samples[0], 2) if samples else None
    return round(statistics.quantiles(samples, n=100, method="inclusive")[q - 1], 2)


class ServerCpu:
    """CPU seconds of the uvicorn process group (master and workers) from /proc."""

    def __init__(self, pgid: int) -> None:
        self.pgid = pgid
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[2]) == self.pgid:  # field 5: process group
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / self.tick


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(env: dict[str, str], *args: str, timeout: int = 600) -> str:
    result = subprocess.run(list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


class Server:
    """The production command in its own process group; stderr to a log file."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port, self.workers = _free_port(), workers
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="serve_load-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "jedel.config.asgi:application", "--workers", str(workers),
             "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"],
            cwd=ROOT, env=env, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT)
        self.cpu = ServerCpu(self.proc.pid)

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"uvicorn exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            if self.log_text().count("Started server process") >= self.workers:
                try:
                    if httpx.get(f"{self.base}/api/status", timeout=2).status_code == 401:
                        return
                except httpx.TransportError:
                    pass
            time.sleep(0.3)
        raise SystemExit(f"uvicorn not ready in {timeout} s:\n{self.log_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


def bench_env(db_url: str, redis_url: str, prefix: str, **extra: str) -> dict[str, str]:
    """The environment of a benchmark's server and set-up commands: none of the caller's JEDEL_ settings, the
    benchmark's own database, Redis and channel prefix, production mode with a throwaway key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JEDEL_", "DATABASE_URL", "REDIS_URL"))}
    env.update({"DATABASE_URL": db_url, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "jedel.config.settings",
                "JEDEL_DEBUG": "0", "JEDEL_VAR_DIR": os.environ.get("JEDEL_VAR_DIR", str(ROOT / "var")),
                "JEDEL_CHANNEL_PREFIX": prefix, "PYTHONPATH": str(ROOT / "src"),
                "JEDEL_SECRET_KEY": "bench-only-key-not-a-secret-0123456789abcdef", **extra})
    return env


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy (everything but idle and iowait), PostgreSQL and Redis included."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _cpu_model() -> str:
    try:
        return next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown"

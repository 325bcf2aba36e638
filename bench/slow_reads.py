"""Benchmark: the three registry/capacity reads issue 7 found slow on the demo network (855 facilities).

GET /api/export/saner.json, GET /api/facilities/export.fhir.json and GET /api/referral-network, each through
the in-process Django test client signed in as the demo national coordinator (session, permission check,
serialisation and, for streamed responses, the whole body consumed). Best of `--repeat` after one warm-up.
The baseline is each endpoint's time before the fix (commit fcf71c9, same machine, same demo database),
passed in with --baseline or taken from BASELINE_S below. Goal: every figure < 0.5 s.

Prints one JSON object: {"figures": [{"figure", "seconds", "queries", "baseline", "ratio"}], "facilities"}.

Usage: JEDEL_VAR_DIR=/tmp/bench_var .venv/bin/jedel demo   # once: the demo network in a scratch SQLite
       JEDEL_VAR_DIR=/tmp/bench_var .venv/bin/python bench/slow_reads.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

URLS = ("/api/export/saner.json", "/api/facilities/export.fhir.json", "/api/referral-network")
# Seconds per endpoint before the fix: this script run on `git archive fcf71c9` against the same demo database,
# 2026-12-02, 2-core container under load ~3-4 from other work (best of 3).
BASELINE_S: dict[str, float] = {"/api/export/saner.json": 7.6836, "/api/facilities/export.fhir.json": 7.4473,
                                 "/api/referral-network": 3.4566}


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=str, default="", help="JSON {url: seconds} measured before the fix")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jedel.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jedel.accounts.models import User
    from jedel.facilities.models import Facility

    baseline = json.loads(args.baseline) if args.baseline else BASELINE_S
    client = Client()
    client.force_login(User.objects.get(username="demo-national"))
    figures = []
    for url in URLS:
        assert client.get(url).status_code == 200, url
        best = float("inf")
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                size = len(_body(response))
                best = min(best, time.perf_counter() - start)
        base = baseline.get(url)
        figures.append({"figure": url, "seconds": round(best, 4), "queries": len(queries), "bytes": size,
                        "baseline": base, "ratio": round(best / base, 4) if base else None, "goal_s": 0.5})
    print(json.dumps({"facilities": Facility.objects.filter(active=True).count(), "figures": figures}, indent=2))


if __name__ == "__main__":
    main()

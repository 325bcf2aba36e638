"""Benchmark: the current-status endpoint for 1,000 facilities over 10 million historical reports (PostgreSQL).

Prints one JSON object. The figure is the p95 latency of GET /api/status *as polled*: the status cache warm,
which is what boards see (many browsers polling every 15 s; a facility's entry is rebuilt when its stamp
changes). It covers the whole request in the in-process Django client: session, permission check, the stamps
query, the entries and the per-request minutes_ago/overdue. Reported beside it, from the same run:
- the uncached (cold) p50/p95: the status entries and the cache cleared before each request, so every request
  reads and serialises all 1,000 facilities with their beds (what a worker's first poll pays);
- the same two measures for GET /api/status/regions (region and national totals);
- the baseline: the naive "latest report per facility" ORM queries that the FacilityStatus pointer replaces.
Goal: warm p95 <= 50 ms.

Usage: python bench/current_status.py [--reports 10000000] [--facilities 1000] [--requests 200]
                                      [--cold-requests 30] [--skip-naive]
--skip-naive leaves out the naive baselines (minutes on 10 M rows) while iterating; a reported run keeps them.
The cold measures clear the default cache (locmem unless REDIS_URL is set: do not point it at a shared Redis).
Database: $JEDEL_BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/jedel_bench; created if absent);
populated on first use, reused while the facility and report counts match.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/jedel_bench"


def _ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')


def _populate(n_facilities: int, n_reports: int) -> None:
    from django.db import connection

    from jedel.capacity.models import CapacityReport
    from jedel.facilities.models import Facility
    from jedel.geo.models import Town

    if Facility.objects.count() == n_facilities and CapacityReport.objects.count() >= n_reports:
        return
    towns = list(Town.objects.select_related("region")[:300])
    with connection.cursor() as cur:
        cur.execute("truncate capacity_facilitystatus, capacity_bedcapacity, capacity_capacityreport, "
                    "facilities_referrallink, facilities_facility cascade")
    Facility.objects.bulk_create([
        Facility(code=f"BENCH-{i:04d}", name_en=f"Bench hospital {i}", kind="city_hospital",
                 region=towns[i % len(towns)].region, town=towns[i % len(towns)],
                 lat=towns[i % len(towns)].lat, lon=towns[i % len(towns)].lon, synthetic=True)
        for i in range(n_facilities)])
    per = n_reports // n_facilities
    started = time.perf_counter()
    with connection.cursor() as cur:
        # Reports every 30 minutes going back in time; the newest (k = 0) is the current one.
        cur.execute("""
            insert into capacity_capacityreport
              (facility_id, reported_at, received_at, source, reporter, oxygen_status, ed_status,
               ed_status_reason, note, ventilators_total, ventilators_in_use)
            select f.id, now() - (k * interval '30 minutes'), now() - (k * interval '30 minutes'), 'demo',
                   'bench', 'adequate', 'open', '', '', 20, (k %% 20)
            from facilities_facility f cross join generate_series(0, %s - 1) as k""", [per])
        cur.execute("""
            insert into capacity_facilitystatus (facility_id, report_id, reported_at)
            select distinct on (facility_id) facility_id, id, reported_at from capacity_capacityreport
            order by facility_id, reported_at desc""")
        cur.execute("""
            insert into capacity_bedcapacity (report_id, bed_type, staffed, occupied, available, surge_24h)
            select s.report_id, t.bed_type, 40, 30, 10, 5 from capacity_facilitystatus s
            cross join unnest(array['AdultICU','PediatricICU','NeonatalICU','MedicalSurgical','Pediatrics',
                                    'Burn','AdultPsychiatric','NegativeFlowIsolation','OperatingRooms'])
                  as t(bed_type)""")
        cur.execute("analyze")
    print(f"populated {n_facilities} facilities x {per} reports in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)


def _percentiles(samples_ms: list[float]) -> dict[str, float]:
    q = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2)}


def _time(fn, repeats: int) -> list[float]:
    fn()  # warm caches and connections
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=10_000_000)
    ap.add_argument("--facilities", type=int, default=1_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--cold-requests", type=int, default=30)
    ap.add_argument("--naive-repeats", type=int, default=5)
    ap.add_argument("--skip-naive", action="store_true", help="leave out the naive baselines (iterating only)")
    args = ap.parse_args()

    url = os.environ.get("JEDEL_BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jedel.config.settings")
    os.environ.setdefault("JEDEL_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Max, OuterRef, Subquery
    from django.test import Client

    from jedel.accounts.models import User
    from jedel.capacity.models import CapacityReport
    from jedel.capacity.selectors import status_cache
    from jedel.geo.services import reference_geography_load

    call_command("migrate", verbosity=0)
    reference_geography_load()
    _populate(args.facilities, args.reports)

    user, _ = User.objects.get_or_create(username="bench", defaults={"role": "national_coordinator"})
    client = Client()
    client.force_login(user)

    def endpoint(path: str = "/api/status") -> bytes:
        response = client.get(path)
        assert response.status_code == 200, response.content[:300]
        return response.content

    def cold(path: str) -> None:
        cache.clear()
        status_cache.clear()  # the per-facility entries live in the process
        endpoint(path)

    items = json.loads(endpoint())
    assert len(items) == args.facilities, len(items)
    assert len(json.loads(endpoint("/api/status/regions"))["regions"]) == 20

    def naive_subquery() -> None:
        newest = CapacityReport.objects.filter(facility=OuterRef("facility")).order_by("-reported_at")
        rows = CapacityReport.objects.filter(pk=Subquery(newest.values("pk")[:1])).prefetch_related("beds")
        assert len(list(rows)) == args.facilities

    def naive_group_max() -> None:
        latest = CapacityReport.objects.values("facility").annotate(m=Max("reported_at"))
        pairs = {(r["facility"], r["m"]) for r in latest}
        assert len(pairs) == args.facilities

    warm_ms = _time(endpoint, args.requests)
    cold_ms = _time(lambda: cold("/api/status"), args.cold_requests)
    totals_warm_ms = _time(lambda: endpoint("/api/status/regions"), args.requests)
    totals_cold_ms = _time(lambda: cold("/api/status/regions"), args.cold_requests)
    warm, cold_p = _percentiles(warm_ms), _percentiles(cold_ms)
    baseline = None
    group_ms: list[float] = []
    if not args.skip_naive:
        baseline = statistics.median(_time(naive_subquery, args.naive_repeats))
        group_ms = _time(naive_group_max, args.naive_repeats)
    benchmarks = [
        {"name": "current_status_endpoint_p95", "figure": warm["p95_ms"], "unit": "ms",
         "figure_is": "p95 of GET /api/status as polled (status cache warm)", "p50_ms": warm["p50_ms"],
         "cold_p50_ms": cold_p["p50_ms"], "cold_p95_ms": cold_p["p95_ms"],
         "cold_is": "status entries and cache cleared before each request: full read and serialisation of every facility",
         "baseline": round(baseline, 2) if baseline is not None else None,
         "baseline_name": "naive correlated-subquery latest report per facility (median)",
         "ratio": round(warm["p95_ms"] / baseline, 4) if baseline else None,
         "cold_ratio": round(cold_p["p95_ms"] / baseline, 4) if baseline else None, "goal": "p95 <= 50 ms (warm)",
         "facilities": args.facilities, "reports": CapacityReport.objects.count(), "requests": args.requests,
         "cold_requests": args.cold_requests, "payload_bytes": len(endpoint())},
        {"name": "status_totals_endpoint_p95", "figure": _percentiles(totals_warm_ms)["p95_ms"], "unit": "ms",
         "figure_is": "p95 of GET /api/status/regions as polled (cache warm)",
         "p50_ms": _percentiles(totals_warm_ms)["p50_ms"], "cold_p50_ms": _percentiles(totals_cold_ms)["p50_ms"],
         "cold_p95_ms": _percentiles(totals_cold_ms)["p95_ms"], "requests": args.requests,
         "cold_requests": args.cold_requests},
    ]
    if group_ms:
        benchmarks.append({"name": "naive_group_by_max_latest", "figure": round(statistics.median(group_ms), 2),
                           "unit": "ms", "note": "GROUP BY facility MAX(reported_at) only (no report rows fetched)"})
    print(json.dumps({"benchmarks": benchmarks}, indent=2))

if __name__ == "__main__":
    main()

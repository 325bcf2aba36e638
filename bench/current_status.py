"""Benchmark: the current-status endpoint for 1,000 facilities over 10 million historical reports (PostgreSQL).

Prints one JSON object. Figures: p50/p95 latency of GET /api/status (in-process Django client, all 1,000
facilities with their beds), and, measured in the same run on the same data, the naive "latest report per
facility" ORM queries the FacilityStatus pointer replaces. Goal: p95 <= 50 ms.

Usage: python bench/current_status.py [--reports 10000000] [--facilities 1000] [--requests 200] [--rebuild]
Database: $JEDEL_BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/jedel_bench; created if absent).
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

    from jedel.facilities.models import CapacityReport, Facility
    from jedel.geo.models import Town

    if Facility.objects.count() == n_facilities and CapacityReport.objects.count() >= n_reports:
        return
    towns = list(Town.objects.select_related("region")[:300])
    with connection.cursor() as cur:
        cur.execute("truncate facilities_facilitystatus, facilities_bedcapacity, facilities_capacityreport, "
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
            insert into facilities_capacityreport
              (facility_id, reported_at, received_at, source, reporter, oxygen_status, ed_status,
               ed_status_reason, note, ventilators_total, ventilators_in_use)
            select f.id, now() - (k * interval '30 minutes'), now() - (k * interval '30 minutes'), 'demo',
                   'bench', 'adequate', 'open', '', '', 20, (k % 20)
            from facilities_facility f cross join generate_series(0, %s - 1) as k""", [per])
        cur.execute("""
            insert into facilities_facilitystatus (facility_id, report_id, reported_at)
            select distinct on (facility_id) facility_id, id, reported_at from facilities_capacityreport
            order by facility_id, reported_at desc""")
        cur.execute("""
            insert into facilities_bedcapacity (report_id, bed_type, staffed, occupied, available, surge_24h)
            select s.report_id, t.bed_type, 40, 30, 10, 5 from facilities_facilitystatus s
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
    ap.add_argument("--naive-repeats", type=int, default=5)
    args = ap.parse_args()

    url = os.environ.get("JEDEL_BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jedel.config.settings")
    os.environ.setdefault("JEDEL_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Max, OuterRef, Subquery
    from django.test import Client

    from jedel.accounts.models import User
    from jedel.facilities.models import CapacityReport
    from jedel.geo.services import reference_geography_load

    call_command("migrate", verbosity=0)
    reference_geography_load()
    _populate(args.facilities, args.reports)

    user, _ = User.objects.get_or_create(username="bench", defaults={"role": "national_coordinator"})
    client = Client()
    client.force_login(user)

    def endpoint() -> None:
        response = client.get("/api/status")
        assert response.status_code == 200, response.content[:300]
        assert len(response.json()["items"] if isinstance(response.json(), dict) else response.json()) >= \
            args.facilities

    def naive_subquery() -> None:
        newest = CapacityReport.objects.filter(facility=OuterRef("facility")).order_by("-reported_at")
        rows = CapacityReport.objects.filter(pk=Subquery(newest.values("pk")[:1])).prefetch_related("beds")
        assert len(list(rows)) == args.facilities

    def naive_group_max() -> None:
        latest = CapacityReport.objects.values("facility").annotate(m=Max("reported_at"))
        pairs = {(r["facility"], r["m"]) for r in latest}
        assert len(pairs) == args.facilities

    endpoint_ms = _time(endpoint, args.requests)
    subquery_ms = _time(naive_subquery, args.naive_repeats)
    group_ms = _time(naive_group_max, args.naive_repeats)
    p = _percentiles(endpoint_ms)
    baseline = statistics.median(subquery_ms)
    print(json.dumps({"benchmarks": [
        {"name": "current_status_endpoint_p95", "figure": p["p95_ms"], "unit": "ms", "p50_ms": p["p50_ms"],
         "baseline": round(baseline, 2), "baseline_name": "naive correlated-subquery latest report per facility "
         "(median)", "ratio": round(p["p95_ms"] / baseline, 4), "goal": "p95 <= 50 ms",
         "facilities": args.facilities, "reports": CapacityReport.objects.count(), "requests": args.requests},
        {"name": "naive_group_by_max_latest", "figure": round(statistics.median(group_ms), 2), "unit": "ms",
         "note": "GROUP BY facility MAX(reported_at) only (no report rows fetched)"},
    ]}, indent=2))


if __name__ == "__main__":
    main()

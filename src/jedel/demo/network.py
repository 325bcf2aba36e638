"""The demo: a deterministic, clearly labelled synthetic facility network with live-looking capacity, and
one demo user per role.

No open list of Kazakhstan's hospitals exists (handbook §5), so the network is generated from official
counts and real towns; how it is sized is documented in demo_plan.py. Every demo facility has a code
starting "DEMO-", `synthetic=True`, and "(synthetic)" in each of its three names.

Why the loader writes with bulk_create instead of the registry and capacity services: ~850 facilities and
~6,500 reports through per-row services take minutes; bulk inserts take seconds. To keep the rules in
one place anyway, every planned facility is checked against the registry rules (`spec_problems`) first,
and every generated figure respects the model constraints; one audit event records the load.

Idempotent: when DEMO- facilities already exist, nothing is duplicated; a fresh current report is
appended for each demo hospital instead, so a demo started again the next day is not all overdue.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from jedel.accounts.services import SYSTEM, audit_record
from jedel.common.clock import utcnow
from jedel.common.errors import NotFound
from jedel.demo.capacity import HospitalIn, hospital_reports
from jedel.demo.plan import (
    Planned,
    RegionIn,
    TownIn,
    bed_targets,
    plan_referrals,
    plan_region,
    trauma_quotas,
)
from jedel.facilities.errors import FacilityError
from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus
from jedel.facilities.models import Facility, ReferralLink
from jedel.facilities.models import INPATIENT_KINDS
from jedel.facilities.services.registry_rules import FacilitySpec, reference_load, spec_problems
from jedel.geo.models import Region

DEMO_PREFIX = "DEMO-"
DEMO_SEED = 2026
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoResult:
    """What the demo loader did: facilities created, and existing ones refreshed with a new report."""

    created: int
    refreshed: int
    referral_links: int
    facilities: int
    by_kind: dict[str, int]
    inpatient: int
    beds: int
    reports: int
    regions: int
    digest: str
    seconds: float


def _data_rows(filename: str) -> list[dict[str, str]]:
    with resources.files("jedel.geo.data").joinpath(filename).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def demo_inputs(regions: list[str] | None = None) -> tuple[list[RegionIn], dict[str, list[TownIn]],
                                                            dict[str, dict[int, int]]]:
    """Regions (all 20 sized together, then filtered), their towns and trauma quotas, from shipped data."""
    capacity = _data_rows("kz_health_capacity_by_region.csv")
    hospitals = {r["iso_3166_2"]: int(r["hospitals"]) for r in capacity
                 if r["year"] == "2022" and r["iso_3166_2"] != "KZ"}
    known_beds = {r["iso_3166_2"]: int(r["beds"]) for r in capacity
                  if r["year"] == "2023" and r["iso_3166_2"] != "KZ" and r["beds"]}
    baseline = {r["iso_3166_2"]: int(r["population"]) for r in _data_rows("kz_population_update.csv")
                if r["series"] == "baseline_2023"}
    all_regions = list(Region.objects.prefetch_related("towns").order_by("iso_code"))
    population = {r.iso_code: r.population or baseline[r.iso_code] for r in all_regions}
    beds = bed_targets(hospitals, population, known_beds)
    wanted = set(regions) if regions else None
    out, towns = [], {}
    for index, r in enumerate(all_regions):
        if wanted is not None and r.iso_code not in wanted:
            continue
        out.append(RegionIn(iso=r.iso_code, index=index, kind=r.kind, names=(r.name_en, r.name_ru, r.name_kk),
                            hospitals=hospitals[r.iso_code], beds=beds[r.iso_code],
                            admin_lat=r.admin_center_lat, admin_lon=r.admin_center_lon))
        towns[r.iso_code] = [TownIn(geonameid=t.geonameid, name=t.name, lat=t.lat, lon=t.lon,
                                    population=t.population or 0) for t in r.towns.all()]
    return out, towns, trauma_quotas(hospitals)


def demo_plan(*, seed: int = DEMO_SEED, regions: list[str] | None = None) -> list[Planned]:
    """The planned network (no writes): same seed → identical codes, places, beds."""
    region_inputs, towns, quotas = demo_inputs(regions)
    return [p for r in region_inputs for p in plan_region(r, towns[r.iso], quotas[r.iso], seed)]


def demo_digest(plan: list[Planned]) -> str:
    """SHA-256 over code, coordinates and beds of every planned facility: pins determinism in tests."""
    lines = sorted(f"{p.code},{p.lat:.6f},{p.lon:.6f},{p.beds}" for p in plan)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _spec(p: Planned) -> FacilitySpec:
    en, ru, kk = p.names
    return FacilitySpec(code=p.code, name_en=en, name_ru=ru, name_kk=kk, kind=p.kind, ownership=p.ownership,
                        region_iso=p.region_iso, town_geonameid=p.town, lat=p.lat, lon=p.lon,
                        trauma_level=p.trauma_level, capabilities=tuple(sorted(p.capabilities)),
                        reporting_interval_min=720 if p.kind == "psychiatric" else 240, synthetic=True)


def _facilities_create(plan: list[Planned]) -> dict[str, Facility]:
    ref = reference_load()
    objs = []
    for p in plan:
        spec = _spec(p)
        problems = spec_problems(spec, ref)
        if problems:  # a generator bug, never user input: fail loudly rather than store a broken facility
            raise RuntimeError(f"demo facility {p.code} breaks registry rules: {problems}")
        f = Facility(code=spec.code, name_en=spec.name_en, name_kk=spec.name_kk, name_ru=spec.name_ru,
                     kind=spec.kind, ownership=spec.ownership, region=ref.regions[spec.region_iso],
                     town=ref.towns.get(spec.town_geonameid) if spec.town_geonameid else None,
                     lat=spec.lat, lon=spec.lon, trauma_level=spec.trauma_level,
                     reporting_interval_min=spec.reporting_interval_min, synthetic=True)
        for cap in spec.capabilities:
            setattr(f, f"has_{cap}", True)
        objs.append(f)
    Facility.objects.bulk_create(objs, batch_size=500)
    return {f.code: f for f in Facility.objects.filter(code__in=[p.code for p in plan])}


def _reports_write(plan: list[Planned], by_code: dict[str, Facility], *, seed: int, now: datetime,
                   history: int, progress: Progress | None) -> int:
    """Generate and insert reports for every inpatient facility; move each FacilityStatus to the newest."""
    index = {r.iso_code: i for i, r in enumerate(Region.objects.order_by("iso_code"))}
    hospitals = [p for p in plan if p.kind in INPATIENT_KINDS and p.code in by_code]
    if not hospitals:
        return 0
    # A refresh draws from a stream keyed by the time, so it does not replay the original figures.
    stream = 0 if history > 1 else int(now.timestamp())
    rngs = {iso: np.random.default_rng([seed, 1000 + i, stream]) for iso, i in index.items()}
    pairs: list[tuple[CapacityReport, list[BedCapacity]]] = []
    newest: list[CapacityReport] = []
    for n, p in enumerate(hospitals, 1):
        f = by_code[p.code]
        h = HospitalIn(facility_id=f.pk, kind=p.kind, profile=p.profile, beds=p.beds,
                       reporting_interval_min=f.reporting_interval_min,
                       capabilities=frozenset(p.capabilities))
        reports = hospital_reports(h, now=now, rng=rngs[p.region_iso], history=history)
        pairs += reports
        newest.append(reports[0][0])
        if progress and n % 50 == 0:
            progress("reports", n, len(hospitals))
    CapacityReport.objects.bulk_create([r for r, _b in pairs], batch_size=500)
    beds = [b for r, bs in pairs for b in bs]
    for r, bs in pairs:
        for b in bs:
            b.report_id = r.pk
    BedCapacity.objects.bulk_create(beds, batch_size=1000)
    current = {s.facility_id: s.reported_at for s in FacilityStatus.objects.filter(
        facility_id__in=[r.facility_id for r in newest])}
    moved = [FacilityStatus(facility_id=r.facility_id, report_id=r.pk, reported_at=r.reported_at)
             for r in newest if r.facility_id not in current or current[r.facility_id] < r.reported_at]
    FacilityStatus.objects.bulk_create(moved, batch_size=500, update_conflicts=True,
                                       unique_fields=["facility"], update_fields=["report", "reported_at"])
    if progress:
        progress("reports", len(hospitals), len(hospitals))
    return len(pairs)


def _links_create(plan: list[Planned], by_code: dict[str, Facility]) -> int:
    """The planned referral links; links already there are kept (ignore_conflicts skips them)."""
    links = [ReferralLink(source_id=by_code[s].pk, target_id=by_code[t].pk, specialty=sp)
             for s, t, sp in plan_referrals(plan)]
    ReferralLink.objects.bulk_create(links, batch_size=500, ignore_conflicts=True)
    return len(links)


def demo_network_generate(*, seed: int = DEMO_SEED, now: datetime | None = None,
                          regions: list[str] | None = None, history: int = 8,
                          progress: Progress | None = None) -> DemoResult:
    """Create the synthetic network (or the part of it that is missing) with capacity and ~48 h of history;
    facilities that already exist only get one fresh current report."""
    started = time.perf_counter()
    now = now or utcnow()
    plan = demo_plan(seed=seed, regions=regions)
    if progress:
        progress("plan", len(plan), len(plan))
    with transaction.atomic():
        existing = {f.code: f for f in Facility.objects.filter(code__in=[p.code for p in plan])}
        missing = [p for p in plan if p.code not in existing]
        created = _facilities_create(missing) if missing else {}
        links = _links_create(plan, {**existing, **created}) if created else 0
        if progress:
            progress("facilities", len(plan), len(plan))
        reports = _reports_write(missing, created, seed=seed, now=now, history=history, progress=progress)
        reports += _reports_write([p for p in plan if p.code in existing], existing, seed=seed, now=now,
                                  history=1, progress=progress)
        kinds = Counter(p.kind for p in plan)
        inpatient = sum(n for k, n in kinds.items() if k in INPATIENT_KINDS)
        beds = sum(p.beds for p in plan)
        audit_record(actor=SYSTEM, action="demo_generate", object_type="facility", now=now,
                     changes={"seed": seed, "created": len(created), "refreshed": len(existing),
                              "referral_links": links,
                              "inpatient": inpatient, "beds": beds, "reports": reports,
                              "regions": regions or "all"})
    return DemoResult(created=len(created), refreshed=len(existing), facilities=len(plan),
                      referral_links=links, by_kind=dict(sorted(kinds.items())), inpatient=inpatient,
                      beds=beds, reports=reports,
                      regions=len({p.region_iso for p in plan}), digest=demo_digest(plan),
                      seconds=round(time.perf_counter() - started, 2))


DEMO_PASSWORD = "jedel-demo-2026"
DEMO_HOSPITAL_REGION = "KZ-75"
DEMO_TOKEN_NAME = "demo"
# (username, role, scope): scope "national", a region ISO code, or "hospital" (the Almaty demo hospital).
DEMO_USERS = (
    ("demo-national", "national_coordinator", "national"),
    ("demo-almaty", "regional_coordinator", DEMO_HOSPITAL_REGION),
    ("demo-hospital", "facility_manager", "hospital"),
    ("demo-clinician", "clinician", "hospital"),
    ("demo-security", "security_officer", "hospital"),
    ("demo-logistics", "logistician", "national"),
    ("demo-logistics-aktobe", "logistician", "KZ-15"),
    ("demo-viewer", "viewer", "national"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    scope: str
    created: bool


@dataclass(frozen=True)
class DemoUsers:
    """Demo sign-ins, and the demo hospital's API token: a new secret (shown once, never stored) on the first run;
    None when a working demo token already exists (kept: re-running the demo must not cut off a system that
    uses it; `jedel token rotate` replaces it on purpose)."""

    logins: list[DemoLogin]
    hospital_code: str
    hospital_name: str
    token: str | None
    token_kept: int = 0


def demo_hospital() -> Facility:
    """The Almaty demo hospital the facility-scoped demo users and the demo token belong to."""
    hospital = (Facility.objects.select_related("region")
                .filter(code__startswith=DEMO_PREFIX, region__iso_code=DEMO_HOSPITAL_REGION,
                        kind="regional_multiprofile").order_by("code").first())
    if hospital is None:
        raise NotFound(FacilityError.UNKNOWN_FACILITY,
                       detail=_("Generate the demo network first (jedel demo)."))
    return hospital


def demo_users_create() -> DemoUsers:
    """One user per role (existing ones kept) and an API token for the demo hospital unless one already works
    (never revoked here). Needs the demo network of Almaty (KZ-75)."""
    from jedel.accounts.models import ApiToken, Role, ScopeLevel, User
    from jedel.accounts.services import token_create, user_create

    hospital = demo_hospital()
    logins = []
    for username, role, scope in DEMO_USERS:
        exists = User.objects.filter(username=username).exists()
        if not exists:
            region = Region.objects.get(iso_code=scope if scope.startswith("KZ-") else DEMO_HOSPITAL_REGION)
            level = (ScopeLevel.NATIONAL if scope == "national" else
                     ScopeLevel.FACILITY if scope == "hospital" else ScopeLevel.REGION)
            user_create(actor=SYSTEM, username=username, password=DEMO_PASSWORD, role=Role(role),
                        scope_level=level,
                        region_id=region.pk if level == ScopeLevel.REGION else None,
                        facility_id=hospital.pk if level == ScopeLevel.FACILITY else None,
                        facility_region_id=hospital.region_id if level == ScopeLevel.FACILITY else None)
        shown = hospital.code if scope == "hospital" else scope
        logins.append(DemoLogin(username=username, password=DEMO_PASSWORD, role=role, scope=shown,
                                created=not exists))
    kept = ApiToken.objects.filter(facility=hospital, name=DEMO_TOKEN_NAME, revoked_at__isnull=True).count()
    raw = None
    if not kept:
        _token, raw = token_create(actor=SYSTEM, name=DEMO_TOKEN_NAME, facility_id=hospital.pk,
                                   region_id=hospital.region_id)
    return DemoUsers(logins=logins, hospital_code=hospital.code, hospital_name=hospital.name_en, token=raw,
                     token_kept=kept)

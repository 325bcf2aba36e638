"""The synthetic facility network as a plan: which facilities, where, how many beds. Pure: no database.

Sizing (documented choices):
- Inpatient organisations per region = the BNS end-of-2022 counts in kz_health_capacity_by_region.csv
  (818 nationally): the newest complete per-region series. The start-of-2024 figure (872) has no
  complete regional breakdown, so it is not spread by guesswork.
- Beds: the national 106,300 of the start of 2024 (≈52 per 10,000). Regions with a published 2023 bed
  figure get it (Almaty, Astana, Turkistan, Jambyl, East Kazakhstan, Ulytau); the rest of the national
  total is shared by population (Region.population, else the 2023 baseline).
- Trauma network (handbook §6: about 161 / 52 / 51 organisations): read with our levels (1 = highest,
  3 = district), the largest group is level 3 and the smallest level 1, so 51 / 52 / 161 for levels
  1 / 2 / 3, shared between regions by hospital count.
Each region draws from its own generator, seeded with (seed, region index), so a subset of regions is
planned exactly as in the full network.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from jedel.demo.names import BASE, NATIONAL_CENTRES, NCCEM_AIR_NAME, NCCEM_NAME, name3

NATIONAL_BEDS = 106_300
TRAUMA_LEVEL_COUNTS = {1: 51, 2: 52, 3: 161}
NCCEM_BEDS = 250
BURNS_CENTRE_REGIONS = ("KZ-15", "KZ-35", "KZ-71", "KZ-75", "KZ-79")  # Aktobe, Karaganda and the three cities
EMERGENCY_HOSPITAL_REGIONS = ("KZ-71", "KZ-75", "KZ-79")
# Served by a neighbour's helicopters: Shymkent (Turkistan), Ulytau (Karaganda), Abai (East Kazakhstan);
# Astana's base is the NCCEM one.
NO_AIR_BASE = ("KZ-79", "KZ-62", "KZ-10", "KZ-71")
LARGE_TOWN = 50_000
CORE_KINDS = ("regional_multiprofile", "childrens", "perinatal", "infectious", "psychiatric")
# Relative size of a facility by kind before scaling to the region's bed total.
KIND_WEIGHT = {"regional_multiprofile": 650, "childrens": 250, "perinatal": 180, "infectious": 160,
               "psychiatric": 250, "burns": 120, "trauma": 400}


@dataclass(frozen=True)
class RegionIn:
    iso: str
    index: int  # position among all 20 units by ISO code: the region's RNG stream
    kind: str
    names: tuple[str, str, str]  # en, ru, kk
    hospitals: int
    beds: int
    admin_lat: float
    admin_lon: float


@dataclass(frozen=True)
class TownIn:
    geonameid: int
    name: str
    lat: float
    lon: float
    population: int


@dataclass
class Planned:
    code: str
    kind: str
    names: tuple[str, str, str]
    region_iso: str
    town: int | None
    lat: float
    lon: float
    beds: int = 0
    weight: float = 0.0
    ownership: str = "public"
    trauma_level: int | None = None
    capabilities: set[str] = field(default_factory=set)
    profile: str = ""  # bed-type profile for the capacity generator (defaults to the kind)
    fixed_beds: bool = False
    trauma_rank: int | None = None  # lower = earlier candidate for a high trauma level


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to `weights` summing exactly to `total` (Hamilton's method, ties by index)."""
    s = sum(weights)
    if s <= 0 or total <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def bed_targets(hospitals: dict[str, int], population: dict[str, int],
                known_beds: dict[str, int]) -> dict[str, int]:
    """Beds per region: known figures kept, the rest of NATIONAL_BEDS shared by population."""
    rest = sorted(iso for iso in hospitals if iso not in known_beds)
    shares = largest_remainder(NATIONAL_BEDS - sum(known_beds.get(i, 0) for i in hospitals),
                               [population[i] for i in rest])
    known = {i: known_beds[i] for i in hospitals if i in known_beds}
    return {**known, **dict(zip(rest, shares, strict=True))}


def trauma_quotas(hospitals: dict[str, int]) -> dict[str, dict[int, int]]:
    """Per region, how many facilities get trauma level 1, 2, 3 (shared by hospital count)."""
    isos = sorted(hospitals)
    out: dict[str, dict[int, int]] = {iso: {} for iso in isos}
    for level, total in TRAUMA_LEVEL_COUNTS.items():
        for iso, n in zip(isos, largest_remainder(total, [hospitals[i] for i in isos]), strict=True):
            out[iso][level] = n
    return out


def _jitter(rng: np.random.Generator, lat: float, lon: float, population: int) -> tuple[float, float]:
    # Spread grows with the town: a few hundred metres in a village, several km across Almaty.
    sigma_km = 0.5 + 5.0 * math.sqrt(max(population, 0) / 2_000_000)
    dy, dx = rng.normal(0.0, sigma_km, size=2)
    new_lat = lat + dy / 111.0
    new_lon = lon + dx / (111.0 * math.cos(math.radians(lat)))
    return round(min(max(new_lat, 40.0), 56.0), 6), round(min(max(new_lon, 46.0), 88.0), 6)


def _admin_town(region: RegionIn, towns: list[TownIn]) -> TownIn | None:
    return min(towns, key=lambda t: ((t.lat - region.admin_lat) ** 2 + (t.lon - region.admin_lon) ** 2,
                                     t.geonameid), default=None)


def plan_region(region: RegionIn, towns: list[TownIn], quotas: dict[int, int], seed: int) -> list[Planned]:
    """Every facility of one region with its beds, kinds, capabilities and trauma levels."""
    rng = np.random.default_rng([seed, region.index])
    towns = sorted(towns, key=lambda t: (-t.population, t.geonameid))
    admin = _admin_town(region, towns)
    digits = region.iso.split("-")[1]
    out: list[Planned] = []
    is_city = region.kind == "city"
    admin_pop = admin.population if admin else 500_000
    admin_place = region.names

    def add(kind: str, names: tuple[str, str, str], town: TownIn | None, code: str | None = None,
            **kw: object) -> Planned:
        lat, lon = (town.lat, town.lon) if town else (region.admin_lat, region.admin_lon)
        lat, lon = _jitter(rng, lat, lon, town.population if town else admin_pop)
        p = Planned(code=code or f"DEMO-{digits}-{len(out) + 1:03d}", kind=kind, names=names,
                    region_iso=region.iso, town=town.geonameid if town else None, lat=lat, lon=lon, **kw)
        out.append(p)
        return p

    for kind in CORE_KINDS:
        base = BASE["city_multiprofile"] if kind == "regional_multiprofile" and is_city else BASE[kind]
        add(kind, name3(base, admin_place), admin, weight=KIND_WEIGHT[kind], trauma_rank=2 if kind ==
            "regional_multiprofile" else None)
    if region.iso == "KZ-71":
        add("national_centre", name3(NCCEM_NAME, admin_place), admin, code="DEMO-71-NCCEM", beds=NCCEM_BEDS,
            fixed_beds=True, trauma_rank=0,
            capabilities={"ct", "mri", "laboratory", "helipad", "neurosurgery"})
    for suffix, names, caps, size, trauma, profile in NATIONAL_CENTRES.get(region.iso, []):
        add("national_centre", name3(names, admin_place), admin, code=f"DEMO-{digits}-{suffix}",
            weight=size, capabilities=set(caps), profile=profile, trauma_rank=0 if trauma else None)
    if region.iso in BURNS_CENTRE_REGIONS:
        add("burns", name3(BASE["burns"], admin_place), admin, weight=KIND_WEIGHT["burns"])
    if region.iso in EMERGENCY_HOSPITAL_REGIONS:
        add("trauma", name3(BASE["trauma"], admin_place), admin, weight=KIND_WEIGHT["trauma"], trauma_rank=1)
    _plan_general(region, towns, admin, region.hospitals - len(out), rng, add)
    _assign_beds(out, region.beds)
    _assign_trauma(out, quotas)
    for p in out:
        _capabilities(p, rng)
    _plan_services(region, admin, add)
    return out


def _plan_general(region: RegionIn, towns: list[TownIn], admin: TownIn | None, slots: int,
                  rng: np.random.Generator, add: Callable[..., Planned]) -> None:
    """City hospitals in large towns and the admin centre, central district hospitals in small towns."""
    if slots <= 0 or not towns:
        return
    first = [1 if i < slots else 0 for i in range(len(towns))]
    extra = largest_remainder(slots - sum(first), [max(t.population, 1000) for t in towns])
    for town, n in zip(towns, [a + b for a, b in zip(first, extra, strict=True)], strict=True):
        large = town.population >= LARGE_TOWN or town is admin
        place = (town.name,) * 3
        for k in range(1, n + 1):
            if large:
                kind, base = "city_hospital", BASE["city_hospital"]
            else:
                kind, base = "central_district", BASE["central_district"] if k == 1 else BASE["district_2"]
            size = (150 + 150 * min(1.0, town.population / 500_000)) if kind == "city_hospital" \
                else (40 + 120 * min(1.0, town.population / LARGE_TOWN))
            weight = size * float(rng.uniform(0.7, 1.3))
            ownership = "public"
            if kind == "city_hospital" and town.population >= 200_000:
                u = float(rng.uniform())
                ownership = "private" if u < 0.2 else "departmental" if u < 0.25 else "public"
            add(kind, name3(base, place, k), town, weight=weight, ownership=ownership,
                trauma_rank=3 if kind == "city_hospital" else 4)


def _assign_beds(plan: list[Planned], region_beds: int) -> None:
    scalable = [p for p in plan if not p.fixed_beds]
    free = region_beds - sum(p.beds for p in plan if p.fixed_beds)
    # Every hospital keeps at least 10 beds; the rest follows the weights.
    shares = largest_remainder(free - 10 * len(scalable), [p.weight for p in scalable])
    for p, beds in zip(scalable, shares, strict=True):
        p.beds = 10 + beds


def _assign_trauma(plan: list[Planned], quotas: dict[int, int]) -> None:
    candidates = sorted((p for p in plan if p.trauma_rank is not None),
                        key=lambda p: (p.trauma_rank, -p.beds, p.code))
    levels = [lvl for lvl in (1, 2, 3) for _ in range(quotas.get(lvl, 0))]
    for p, level in zip(candidates, levels, strict=False):
        p.trauma_level = level


_KIND_CAPS = {
    "regional_multiprofile": {"ct", "mri", "laboratory", "neurosurgery", "cath_lab", "dialysis", "helipad"},
    "trauma": {"ct", "mri", "laboratory", "neurosurgery", "helipad"},
    "burns": {"burns", "ct", "laboratory"},
    "childrens": {"paediatric_surgery", "ct", "laboratory"},
    "perinatal": {"obstetric", "laboratory"},
    "infectious": {"laboratory"},
    "psychiatric": {"laboratory"},
    "city_hospital": {"laboratory"},
    "central_district": {"laboratory"},
}
# Optional capabilities: kind -> [(capability, probability)], drawn in this order.
_KIND_MAYBE = {
    "infectious": [("ct", 0.5)],
    "childrens": [("mri", 0.4)],
    "city_hospital": [("ct", 0.8), ("mri", 0.3), ("dialysis", 0.3), ("cath_lab", 0.25), ("obstetric", 0.3)],
    "central_district": [("obstetric", 0.85), ("ct", 0.4), ("dialysis", 0.1), ("helipad", 0.1)],
}


def _capabilities(p: Planned, rng: np.random.Generator) -> None:
    p.capabilities |= _KIND_CAPS.get(p.kind, set())
    for cap, prob in _KIND_MAYBE.get(p.kind, []):
        if float(rng.uniform()) < prob:
            p.capabilities.add(cap)
    if p.trauma_level is not None:
        p.capabilities.add("ct")
        if p.trauma_level == 1:
            p.capabilities.add("neurosurgery")


def _plan_services(region: RegionIn, admin: TownIn | None, add: Callable[..., Planned]) -> None:
    """The region's ambulance station and air-ambulance base (not inpatient: no beds, no reports)."""
    digits = region.iso.split("-")[1]
    add("ambulance_station", name3(BASE["ambulance_station"], region.names), admin,
        code=f"DEMO-{digits}-AMB")
    if region.iso == "KZ-71":
        add("air_ambulance_base", name3(NCCEM_AIR_NAME, region.names), admin,
            code="DEMO-71-NCCEM-AIR", capabilities={"helipad"})
    elif region.iso not in NO_AIR_BASE:
        add("air_ambulance_base", name3(BASE["air_ambulance_base"], region.names), admin,
            code=f"DEMO-{digits}-AIR", capabilities={"helipad"})


def plan_referrals(plan: list[Planned]) -> list[tuple[str, str, str]]:
    """(source, target, specialty) links of a plausible referral network: district and city hospitals to their
    region's multi-profile hospital (general) and trauma centre (trauma); regional hospitals to the nearest
    burns centre and to the national centres; perinatal centres to the national maternity centre. Links
    to facilities outside the plan (a subset of regions) are left out."""
    by_region: dict[str, list[Planned]] = {}
    for p in plan:
        by_region.setdefault(p.region_iso, []).append(p)
    codes = {p.code for p in plan}
    burns = [p for p in plan if p.kind == "burns"]
    links: list[tuple[str, str, str]] = []
    for members in by_region.values():
        hub = next((p for p in members if p.kind == "regional_multiprofile"), None)
        trauma = min((p for p in members if p.trauma_level == 1), key=lambda p: (p.trauma_rank, p.code),
                     default=None)
        for p in members:
            if p.kind in ("central_district", "city_hospital") and hub is not None:
                links.append((p.code, hub.code, "general"))
                if trauma is not None and p.trauma_level in (2, 3) and trauma is not p:
                    links.append((p.code, trauma.code, "trauma"))
        if hub is not None and burns:
            nearest = min(burns, key=lambda b: ((b.lat - hub.lat) ** 2 + (b.lon - hub.lon) ** 2, b.code))
            links.append((hub.code, nearest.code, "burns"))
        if hub is not None:
            links += [(hub.code, "DEMO-71-NCCEM", "trauma"), (hub.code, "DEMO-71-NCN", "neurosurgery"),
                      (hub.code, "DEMO-71-NRCSC", "cardiology")]
        links += [(p.code, "DEMO-71-NCMCH", "obstetrics") for p in members if p.kind == "perinatal"]
    return [(s, t, sp) for s, t, sp in dict.fromkeys(links) if s in codes and t in codes and s != t]

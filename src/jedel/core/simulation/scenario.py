"""Scenario specification of the MCI simulator: a YAML file validated into frozen dataclasses.

A scenario says what happens (the hazard and its casualties), when (time of day; release of casualties in
extrication waves) and what responds (ambulance stations, air assets, hospitals). The format, with every
field::

    name: Almaty M7.3 at night            # required, text
    description: ...                      # optional, text
    time_of_day: "02:30"                  # local time, HH:MM (unquoted 02:30 is accepted too)
    hazard:                               # one of the two forms below
      kind: earthquake
      epicentre: {lat: 43.1, lon: 76.8}   # degrees (WGS 84)
      magnitude: 7.3                      # moment magnitude, 3..9.5
      depth_km: 20                        # hypocentre depth, 0..700 km
      injured_per_death: 3                # optional; see earthquake.DEFAULT_INJURED_PER_DEATH
      injured_split: {immediate: 0.15, delayed: 0.25, minimal: 0.6}   # optional; START shares of the injured
      age_mix: {child: 0.3, adult: 0.6, older: 0.1}                   # optional
    hazard:
      kind: explosion                     # or transport_crash, building_collapse, flood
      place: Central market               # optional, text
      location: {lat: 42.31, lon: 69.6}
      casualties: {immediate: 18, delayed: 35, minimal: 90, dead: 12}   # START categories, persons
      age_mix: {child: 0.12, adult: 0.76, older: 0.12}                  # shares summing to 1
    release:                              # extrication waves: minutes after onset, share of casualties
      - {minutes: 0, share: 0.6}          # minutes strictly increasing, shares summing to 1
    ambulances:                           # road ambulances by station
      - {station: Substation 1, lat: 43.25, lon: 76.91, count: 4}
    air_assets:                           # optional
      - {base: Almaty airport, lat: 43.35, lon: 77.04, kind: helicopter, count: 1}   # or fixed_wing
    hospitals: {from_registry: true}      # the live registry, or a list:
    hospitals:
      - {code: H1, name: ..., lat: .., lon: .., beds: {MedicalSurgical: 120, AdultICU: 8}, damage: 0.2}

Age bands: ``child`` under 18, ``adult`` 18-64, ``older`` 65 and over (the scenario author's estimate of
who the casualties are; they decide paediatric routing). ``damage`` is the share of the hospital's beds
lost to the hazard (0 intact, 1 out of service). Bed types are the HAvBED names of the registry
(``capacity.BedType`` values: AdultICU, MedicalSurgical, Burn, ...).

Every problem is collected, not just the first: :class:`ScenarioError` lists each as
``"<source>:<line>: <path>: <reason>"``, e.g. ``"almaty.yaml:6: hazard.epicentre.lat: must be in -90..90,
got 143.2"``. Reasons are English like every core error; a caller that shows them to users puts a
translated summary before them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import time
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar

from jedel.core.simulation._yamlread import Document, Problem, ScenarioError, child, read_yaml
from jedel.core.simulation.earthquake import DEFAULT_INJURED_PER_DEATH, DEFAULT_INJURED_SPLIT
from jedel.core.simulation.spec import (
    BED_TYPES,
    SHARE_TOLERANCE,
    AgeMix,
    AirAsset,
    AirAssetKind,
    AmbulanceStation,
    CasualtyCounts,
    EarthquakeHazard,
    HazardKind,
    HospitalSource,
    HospitalSpec,
    IncidentHazard,
    Point,
    ReleaseWave,
    Scenario,
    StartSplit,
)

__all__ = ["Problem", "ScenarioError", "parse_scenario", "shipped_scenario", "shipped_scenario_names"]

T = TypeVar("T")

SCENARIO_PACKAGE = "jedel.core.simulation.scenarios"
"""Package holding the shipped Kazakhstan scenarios (``<name>.yaml``)."""

_TOP = ("name", "description", "time_of_day", "hazard", "release", "ambulances", "air_assets", "hospitals")
_QUAKE = ("kind", "epicentre", "magnitude", "depth_km", "injured_per_death", "injured_split", "age_mix")
_INCIDENT = ("kind", "place", "location", "casualties", "age_mix")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _get(
    doc: Document, m: Mapping[str, Any], key: str, path: str, read: Callable[[Any, str], T | None]
) -> T | None:
    """``read`` applied to member ``key`` of ``m``; a missing member is reported at its own path."""
    p = child(path, key)
    if key not in m:
        doc.fail(p, "required")  # on the line of the mapping that lacks it
        return None
    return read(m[key], p)


def _point(doc: Document, value: object, path: str) -> Point | None:
    m = doc.mapping(value, path, ("lat", "lon"))
    return None if m is None else _point_of(doc, m, path)


def _point_of(doc: Document, m: Mapping[str, Any], path: str) -> Point | None:
    """``lat`` / ``lon`` members of ``m`` (which may have other members)."""
    lat = _get(doc, m, "lat", path, lambda v, p: doc.number(v, p, -90, 90))
    lon = _get(doc, m, "lon", path, lambda v, p: doc.number(v, p, -180, 180))
    return None if lat is None or lon is None else Point(lat, lon)


def _shares(doc: Document, value: object, path: str, keys: tuple[str, ...]) -> dict[str, float] | None:
    m = doc.mapping(value, path, keys)
    if m is None:
        return None
    got = {k: _get(doc, m, k, path, lambda v, p: doc.number(v, p, 0, 1)) for k in keys}
    shares = {k: v for k, v in got.items() if v is not None}
    if len(shares) < len(keys):
        return None
    total = math.fsum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        doc.fail(path, f"shares must sum to 1, got {total:g}")
        return None
    return shares


def _age_mix(doc: Document, value: object, path: str) -> AgeMix | None:
    s = _shares(doc, value, path, ("child", "adult", "older"))
    return None if s is None else AgeMix(**s)


def _split(doc: Document, value: object, path: str) -> StartSplit | None:
    s = _shares(doc, value, path, ("immediate", "delayed", "minimal"))
    return None if s is None else StartSplit(**s)


def _time(doc: Document, value: object, path: str) -> time | None:
    text = doc.raw.get(path, value) if isinstance(value, int) else value  # YAML 1.1 reads 02:30 as 150
    match = _HHMM.match(text) if isinstance(text, str) else None
    if match is None:
        doc.fail(path, f'must be a time "HH:MM" (00:00..23:59), got {text!r}')
        return None
    return time(int(match[1]), int(match[2]))


def _earthquake(doc: Document, m: Mapping[str, Any], path: str) -> EarthquakeHazard | None:
    epicentre = _get(doc, m, "epicentre", path, lambda v, p: _point(doc, v, p))
    magnitude = _get(doc, m, "magnitude", path, lambda v, p: doc.number(v, p, 3, 9.5))
    depth = _get(doc, m, "depth_km", path, lambda v, p: doc.number(v, p, 0, 700))
    ratio_path = child(path, "injured_per_death")
    ratio = doc.number(m.get("injured_per_death", DEFAULT_INJURED_PER_DEATH), ratio_path, 0)
    split = _split(doc, m["injured_split"], child(path, "injured_split")) if "injured_split" in m \
        else DEFAULT_INJURED_SPLIT
    age = _age_mix(doc, m["age_mix"], child(path, "age_mix")) if "age_mix" in m else None
    if epicentre is None or magnitude is None or depth is None or ratio is None or split is None:
        return None
    if "age_mix" in m and age is None:
        return None
    return EarthquakeHazard(epicentre, magnitude, depth, ratio, split, age)


_CATEGORIES = ("immediate", "delayed", "minimal", "dead")


def _casualties(doc: Document, value: object, path: str) -> CasualtyCounts | None:
    m = doc.mapping(value, path, _CATEGORIES)
    if m is None:
        return None
    got = [_get(doc, m, k, path, lambda v, p: doc.integer(v, p)) for k in _CATEGORIES]
    counts = [v for v in got if v is not None]
    if len(counts) < len(_CATEGORIES):
        return None
    if sum(counts) == 0:
        doc.fail(path, "must count at least one casualty")
        return None
    return CasualtyCounts(*counts)


def _incident(doc: Document, kind: HazardKind, m: Mapping[str, Any], path: str) -> IncidentHazard | None:
    place = doc.text(m["place"], child(path, "place")) if "place" in m else ""
    location = _get(doc, m, "location", path, lambda v, p: _point(doc, v, p))
    counts = _get(doc, m, "casualties", path, lambda v, p: _casualties(doc, v, p))
    age_mix = _get(doc, m, "age_mix", path, lambda v, p: _age_mix(doc, v, p))
    if place is None or location is None or counts is None or age_mix is None:
        return None
    return IncidentHazard(kind, location, counts, age_mix, place)


def _hazard(doc: Document, value: object, path: str) -> EarthquakeHazard | IncidentHazard | None:
    if not isinstance(value, dict):
        doc.fail(path, "must be a mapping")
        return None
    kind = _get(doc, value, "kind", path, lambda v, p: doc.choice(v, p, tuple(HazardKind)))
    if kind is None:
        return None
    if kind == HazardKind.EARTHQUAKE:
        m = doc.mapping(value, path, _QUAKE)
        return None if m is None else _earthquake(doc, m, path)
    m = doc.mapping(value, path, _INCIDENT)
    return None if m is None else _incident(doc, HazardKind(kind), m, path)


def _release(doc: Document, value: object, path: str) -> tuple[ReleaseWave, ...] | None:
    items = doc.items(value, path)
    if items is None:
        return None
    waves: list[ReleaseWave] = []
    ok = True
    for i, item in enumerate(items):
        p = child(path, i)
        m = doc.mapping(item, p, ("minutes", "share"))
        minutes = None if m is None else _get(doc, m, "minutes", p, lambda v, q: doc.number(v, q, 0))
        share = None if m is None else _get(doc, m, "share", p, lambda v, q: doc.number(v, q, 0, 1))
        if minutes is None or share is None:
            ok = False
            continue
        if waves and minutes <= waves[-1].minutes:
            doc.fail(child(p, "minutes"), f"must be later than the previous wave ({waves[-1].minutes:g} min)")
            ok = False
        waves.append(ReleaseWave(minutes, share))
    if not ok:
        return None
    total = math.fsum(w.share for w in waves)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        doc.fail(path, f"shares must sum to 1, got {total:g}")
        return None
    return tuple(waves)


def _named_units(doc: Document, value: object, path: str, name_key: str,
                 read: Callable[[Mapping[str, Any], str], T | None], keys: tuple[str, ...],
                 *, unique: bool = True) -> tuple[T, ...] | None:
    """A list of mappings with a ``name_key`` each, unique if ``unique`` (station names, hospital codes)."""
    items = doc.items(value, path)
    if items is None:
        return None
    out: list[T] = []
    names: set[str] = set()
    ok = True
    for i, item in enumerate(items):
        p = child(path, i)
        m = doc.mapping(item, p, keys)
        name = None if m is None else _get(doc, m, name_key, p, doc.text)
        if unique and name is not None and name in names:
            doc.fail(child(p, name_key), f"duplicate {name_key} {name!r}")
            name = None
        names.add(name or "")
        unit = None if m is None else read(m, p)
        if unit is None or name is None:
            ok = False
        else:
            out.append(unit)
    return tuple(out) if ok else None


def _station(doc: Document, m: Mapping[str, Any], p: str) -> AmbulanceStation | None:
    location = _point_of(doc, m, p)
    count = _get(doc, m, "count", p, lambda v, q: doc.integer(v, q, 1))
    if location is None or count is None or not isinstance(m.get("station"), str):
        return None
    return AmbulanceStation(str(m["station"]).strip(), location, count)


def _air(doc: Document, m: Mapping[str, Any], p: str) -> AirAsset | None:
    location = _point_of(doc, m, p)
    kind = _get(doc, m, "kind", p, lambda v, q: doc.choice(v, q, tuple(AirAssetKind)))
    count = _get(doc, m, "count", p, lambda v, q: doc.integer(v, q, 1))
    if location is None or kind is None or count is None or not isinstance(m.get("base"), str):
        return None
    return AirAsset(str(m["base"]).strip(), location, AirAssetKind(kind), count)


def _beds(doc: Document, value: object, path: str) -> Mapping[str, int] | None:
    m = doc.mapping(value, path, BED_TYPES)
    if m is None:
        return None
    if not m:
        doc.fail(path, "must name at least one bed type")
        return None
    got = {str(k): doc.integer(v, child(path, str(k))) for k, v in m.items() if k in BED_TYPES}
    if len(got) < len(m) or any(v is None for v in got.values()):
        return None
    return MappingProxyType({k: int(v or 0) for k, v in got.items()})


def _hospital(doc: Document, m: Mapping[str, Any], p: str) -> HospitalSpec | None:
    name = doc.text(m["name"], child(p, "name")) if "name" in m else ""
    location = _point_of(doc, m, p)
    beds = _get(doc, m, "beds", p, lambda v, q: _beds(doc, v, q))
    damage = doc.number(m.get("damage", 0.0), child(p, "damage"), 0, 1)
    if name is None or location is None or beds is None or damage is None:
        return None
    if not isinstance(m.get("code"), str):  # reported by _named_units
        return None
    return HospitalSpec(str(m["code"]).strip(), name, location, beds, damage)


def _hospitals(doc: Document, value: object, path: str) -> HospitalSource | None:
    if isinstance(value, dict):
        m = doc.mapping(value, path, ("from_registry",))
        flag = None if m is None else _get(doc, m, "from_registry", path, lambda v, q: v)
        if flag is not True:
            if m is not None and "from_registry" in m:
                doc.fail(child(path, "from_registry"), "must be true (or give hospitals as a list)")
            return None
        return HospitalSource(from_registry=True)
    if not isinstance(value, list):
        doc.fail(path, "must be {from_registry: true} or a list of hospitals")
        return None
    listed = _named_units(doc, value, path, "code", lambda m, p: _hospital(doc, m, p),
                          ("code", "name", "lat", "lon", "beds", "damage"))
    return None if listed is None else HospitalSource(from_registry=False, hospitals=listed)


def parse_scenario(text: str, *, source: str = "scenario") -> Scenario:
    """Validate a scenario YAML document.

    Args:
        text: the YAML text.
        source: the document's name in error messages (a file name).

    Returns:
        The scenario.

    Raises:
        ScenarioError: every problem found, each with its line and field path.
    """
    doc = read_yaml(text, source)
    top = doc.mapping(doc.data, "", _TOP)
    if top is None:
        raise ScenarioError(source, doc.problems)
    name = _get(doc, top, "name", "", doc.text)
    description = doc.text(top["description"], "description") if "description" in top else ""
    at = _get(doc, top, "time_of_day", "", lambda v, p: _time(doc, v, p))
    # Not through _get: mypy solves its type variable to ``object`` for the union returned here.
    hazard = _hazard(doc, top["hazard"], "hazard") if "hazard" in top else None
    if "hazard" not in top:
        doc.fail("hazard", "required")
    release = _get(doc, top, "release", "", lambda v, p: _release(doc, v, p))
    stations = _get(doc, top, "ambulances", "", lambda v, p: _named_units(
        doc, v, p, "station", lambda m, q: _station(doc, m, q), ("station", "lat", "lon", "count")))
    air = _named_units(doc, top["air_assets"], "air_assets", "base", lambda m, q: _air(doc, m, q),
                       ("base", "lat", "lon", "kind", "count"), unique=False) if "air_assets" in top else ()
    hospitals = _get(doc, top, "hospitals", "", lambda v, p: _hospitals(doc, v, p))
    if (doc.problems or name is None or description is None or at is None or hazard is None or release is None
            or stations is None or air is None or hospitals is None):
        raise ScenarioError(source, doc.problems)  # every getter that returned None recorded its problem
    return Scenario(name, description, at, hazard, release, stations, air, hospitals)


def shipped_scenario_names() -> tuple[str, ...]:
    """Names (file stems) of the scenarios shipped in ``jedel/core/simulation/scenarios``, sorted."""
    files = resources.files(SCENARIO_PACKAGE).iterdir()
    return tuple(sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")))


def shipped_scenario(name: str) -> Scenario:
    """A shipped scenario by file stem (e.g. ``"almaty_earthquake_night"``).

    Raises:
        KeyError: no shipped scenario has that name.
        ScenarioError: the shipped file is invalid (a packaging defect; the tests parse every file).
    """
    if name not in shipped_scenario_names():
        raise KeyError(f"no shipped scenario {name!r} (have {', '.join(shipped_scenario_names())})")
    text = resources.files(SCENARIO_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return parse_scenario(text, source=f"{name}.yaml")

"""JSON problem format of `jedel distribute`, parsed into a :class:`DistributionProblem`.

Problem format (example: ``docs/examples/distribution-problem.json``)::

    {
      "planning_horizon_h": 6,           optional (default 1): hours the plan covers; capacity is per hour
      "max_transport_min": 120,          optional; null or absent = no limit
      "untreated_horizon_min": 360,      optional; death probability of the unassigned is read here,
                                         and no hour slot starting later is used
      "survival_model": "category",      optional: "rpm" or "category"; default rpm when every casualty has rpm
      "travel": {                        optional; used when "travel_time_min" is absent
        "mode": "road",                  road | helicopter | fixed_wing
        "road_class": "urban",           urban | rural | highway
        "detour_factor": 1.3, "speed_kmh": 40,                     road overrides
        "block_speed_kmh": 220, "dispatch_min": 15, "ground_transfer_min": 0   air overrides
      },
      "sites": [{"id": "S1", "lat": 43.24, "lon": 76.95}],          optional named sites
      "casualties": [{"id": "c1", "site": "S1",                     or "lat" and "lon" instead of "site"
                      "category": "immediate", "rpm": 7,            at least one of the two
                      "needs": ["burns"], "count": 1}],             count > 1 expands to ids c1#1, c1#2...
      "hospitals": [{"id": "H1", "name": "...", "lat": 43.2, "lon": 76.9,
                     "capacity": {"immediate": 5, "delayed": 10, "minimal": 20, "expectant": 0},   per hour
                     "capabilities": ["paediatric", "burns", "neurosurgery"]}],
      "travel_time_min": {"sites": ["S1"], "hospitals": ["H1"], "minutes": [[12.5]]}   optional; null = unreachable
    }

Errors: :func:`build_problem` raises ``ValueError`` whose message starts with the JSON field path.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any, cast

import numpy as np

from jedel.core.distribution import Casualty, DistributionProblem, Hospital
from jedel.core.survival import SurvivalModel, category_survival_model, rpm_survival_model
from jedel.core.travel import (
    FIXED_WING,
    HELICOPTER,
    RoadClass,
    RoadParameters,
    TravelMode,
    TravelTimeMatrix,
    travel_time_matrix_min,
)

_TOP_LEVEL = (
    "planning_horizon_h max_transport_min untreated_horizon_min survival_model travel sites casualties "
    "hospitals travel_time_min"
)


class _Bad(ValueError):
    """Input error whose message starts with the JSON field path."""


def _obj(value: Any, path: str, fields: str = "") -> dict[str, Any]:
    """The JSON object at ``path``; with ``fields``, reject unknown keys (a typo must not drop a constraint)."""
    if not isinstance(value, dict):
        raise _Bad(f"{path}: must be a JSON object")
    allowed = set(fields.split())
    for key in value:
        if allowed and key not in allowed and not str(key).startswith("_"):
            raise _Bad(f"{path + '.' if path != 'problem' else ''}{key}: unknown field")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"{path}: must be a list")
    return value


def _need(data: dict[str, Any], key: str, path: str) -> Any:
    if key not in data or data[key] is None:
        raise _Bad(f"{path}.{key}: required" if path else f"{key}: required")
    return data[key]


def _num(value: Any, path: str, *, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _Bad(f"{path}: must be a finite number")
    if minimum is not None and value < minimum:
        raise _Bad(f"{path}: must be >= {minimum:g}")
    return float(value)


def _text(value: Any, path: str) -> str:
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value) == "":
        raise _Bad(f"{path}: must be a non-empty string")
    return str(value)


def _latlon(data: dict[str, Any], path: str) -> tuple[float, float]:
    lat = _num(_need(data, "lat", path), f"{path}.lat")
    lon = _num(_need(data, "lon", path), f"{path}.lon")
    if not -90 <= lat <= 90:
        raise _Bad(f"{path}.lat: must be in [-90, 90]")
    if not -180 <= lon <= 180:
        raise _Bad(f"{path}.lon: must be in [-180, 180]")
    return lat, lon


def _sites_and_casualties(
    data: dict[str, Any],
) -> tuple[dict[str, tuple[float, float] | None], list[Casualty], list[int]]:
    sites: dict[str, tuple[float, float] | None] = {}
    for i, s in enumerate(_list(data.get("sites", []), "sites")):
        s = _obj(s, f"sites[{i}]", "id lat lon name")
        sid = _text(_need(s, "id", f"sites[{i}]"), f"sites[{i}].id")
        if sid in sites:
            raise _Bad(f"sites[{i}].id: duplicate id {sid!r}")
        sites[sid] = _latlon(s, f"sites[{i}]") if "lat" in s or "lon" in s else None
    casualties: list[Casualty] = []
    source: list[int] = []  # input index of each expanded casualty
    for i, c in enumerate(_list(_need(data, "casualties", ""), "casualties")):
        path = f"casualties[{i}]"
        c = _obj(c, path, "id site lat lon category rpm needs count")
        cid = _text(_need(c, "id", path), f"{path}.id")
        if c.get("site") is not None:
            site = _text(c["site"], f"{path}.site")
            if site not in sites:
                raise _Bad(f"{path}.site: unknown site {site!r}")
        else:
            lat, lon = _latlon(c, path)
            site = f"@{lat:g},{lon:g}"
            sites.setdefault(site, (lat, lon))
        count = c.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise _Bad(f"{path}.count: must be an integer >= 1")
        needs = _list(c.get("needs", []), f"{path}.needs")
        for k in range(count):
            try:
                casualties.append(
                    Casualty(
                        casualty_id=cid if count == 1 else f"{cid}#{k + 1}",
                        site_id=site,
                        category=c.get("category"),
                        rpm=c.get("rpm"),
                        needs=frozenset(needs),
                    )
                )
            except (ValueError, TypeError) as exc:
                raise _Bad(f"{path}.{exc}") from None
            source.append(i)
    return sites, casualties, source


def _hospitals(data: dict[str, Any]) -> list[Hospital]:
    hospitals = []
    for j, h in enumerate(_list(_need(data, "hospitals", ""), "hospitals")):
        path = f"hospitals[{j}]"
        h = _obj(h, path, "id name lat lon capacity capabilities")
        lat, lon = _latlon(h, path) if "lat" in h or "lon" in h else (None, None)
        try:
            hospitals.append(
                Hospital(
                    hospital_id=_text(_need(h, "id", path), f"{path}.id"),
                    capacity_by_category=cast(Any, _obj(h.get("capacity", {}), f"{path}.capacity")),
                    capabilities=frozenset(_list(h.get("capabilities", []), f"{path}.capabilities")),
                    name=str(h.get("name", "")),
                    lat_deg=lat,
                    lon_deg=lon,
                )
            )
        except _Bad:
            raise
        except (ValueError, TypeError) as exc:
            raise _Bad(f"{path}.{exc}") from None
    return hospitals


def _given_matrix(value: Any, site_ids: list[str], hospitals: list[Hospital]) -> Any:
    m = _obj(value, "travel_time_min", "sites hospitals minutes")
    ids = {
        key: tuple(_text(x, f"travel_time_min.{key}") for x in _list(_need(m, key, "travel_time_min"), key))
        for key in ("sites", "hospitals")
    }
    minutes = _list(_need(m, "minutes", "travel_time_min"), "travel_time_min.minutes")
    if len(minutes) != len(ids["sites"]):
        raise _Bad(f"travel_time_min.minutes: expected {len(ids['sites'])} rows, got {len(minutes)}")
    values = np.empty((len(ids["sites"]), len(ids["hospitals"])))
    for r, row in enumerate(minutes):
        row = _list(row, f"travel_time_min.minutes[{r}]")
        if len(row) != values.shape[1]:
            raise _Bad(f"travel_time_min.minutes[{r}]: expected {values.shape[1]} values, got {len(row)}")
        for k, v in enumerate(row):  # null = unreachable
            values[r, k] = math.inf if v is None else _num(v, f"travel_time_min.minutes[{r}][{k}]", minimum=0)
    try:
        matrix = TravelTimeMatrix(ids["sites"], ids["hospitals"], values)
        return matrix.reindex(tuple(site_ids), tuple(h.hospital_id for h in hospitals))
    except ValueError as exc:
        raise _Bad(
            str(exc) if str(exc).startswith("travel_time_min") else f"travel_time_min: {exc}"
        ) from None


def _matrix(
    data: dict[str, Any], sites: dict[str, tuple[float, float] | None], hospitals: list[Hospital]
) -> Any:
    site_ids = list(sites)
    if data.get("travel_time_min") is not None:
        return _given_matrix(data["travel_time_min"], site_ids, hospitals)
    travel = _obj(
        data.get("travel", {}),
        "travel",
        "mode road_class detour_factor speed_kmh block_speed_kmh dispatch_min ground_transfer_min",
    )
    for s, where in sites.items():
        if where is None:
            raise _Bad(f"sites: site {s!r} needs lat and lon when no travel_time_min is given")
    for j, h in enumerate(hospitals):
        if h.lat_deg is None:
            raise _Bad(f"hospitals[{j}].lat: required when no travel_time_min is given")
    try:
        mode = TravelMode(travel.get("mode", "road"))
    except ValueError:
        raise _Bad("travel.mode: must be road, helicopter or fixed_wing") from None
    try:
        road_class = RoadClass(travel.get("road_class", "rural"))
    except ValueError:
        raise _Bad("travel.road_class: must be urban, rural or highway") from None
    numbers = {
        k: _num(v, f"travel.{k}", minimum=0) for k, v in travel.items() if k not in ("mode", "road_class")
    }
    speed = numbers.pop("speed_kmh", None)
    road_fields = {"detour_factor": numbers.pop("detour_factor", 1.3)}
    if speed is not None:
        road_fields |= {"urban_speed_kmh": speed, "rural_speed_kmh": speed, "highway_speed_kmh": speed}
    try:
        road = RoadParameters(**road_fields)
        aircraft = replace(
            HELICOPTER if mode is TravelMode.HELICOPTER else FIXED_WING, **cast(dict[str, Any], numbers)
        )
    except ValueError as exc:
        raise _Bad(f"travel.{exc}") from None
    coords = np.array([sites[s] for s in site_ids], dtype=float).reshape(-1, 2)
    return travel_time_matrix_min(
        coords[:, 0],
        coords[:, 1],
        np.array([h.lat_deg for h in hospitals], dtype=float),
        np.array([h.lon_deg for h in hospitals], dtype=float),
        mode=mode,
        road_class=road_class,
        road=road,
        aircraft=aircraft,
    )


def build_problem(data: Any) -> DistributionProblem:
    """Parse the JSON problem (format in the module docstring); raises ValueError naming the field."""
    data = _obj(data, "problem", _TOP_LEVEL)
    sites, casualties, source = _sites_and_casualties(data)
    hospitals = _hospitals(data)
    matrix = _matrix(data, sites, hospitals)
    limit = data.get("max_transport_min")
    horizon = data.get("untreated_horizon_min")
    hours = data.get("planning_horizon_h", 1)
    if isinstance(hours, bool) or not isinstance(hours, int):
        raise _Bad("planning_horizon_h: must be an integer")
    model_name = data.get("survival_model")
    models: dict[str, SurvivalModel] = {"rpm": rpm_survival_model(), "category": category_survival_model()}
    if model_name is not None and model_name not in models:
        raise _Bad("survival_model: must be 'rpm' or 'category'")
    try:
        return DistributionProblem(
            casualties=tuple(casualties),
            hospitals=tuple(hospitals),
            site_ids=tuple(sites),
            travel_time_min=matrix,
            max_transport_min=None if limit is None else _num(limit, "max_transport_min", minimum=0),
            survival_model=None if model_name is None else models[model_name],
            untreated_horizon_min=None
            if horizon is None
            else _num(horizon, "untreated_horizon_min", minimum=0),
            planning_horizon_h=hours,
        )
    except _Bad:
        raise
    except ValueError as exc:  # casualty indices refer to the expanded list: map back to the input
        text = re.sub(r"^casualties\[(\d+)\]", lambda m: f"casualties[{source[int(m.group(1))]}]", str(exc))
        raise _Bad(text) from None

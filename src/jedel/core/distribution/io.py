"""JSON problem in (:func:`parse_problem`), and the JSON Schemas of the problem and plan formats.

The format is :class:`~jedel.core.distribution.schema.ProblemIn` (documented in
:mod:`jedel.core.distribution.schema`); the plan is :class:`~jedel.core.distribution.plan.PlanOut`.

Errors: :class:`jedel.core.errors.FieldError` (a ``ValueError``) whose message starts with the JSON field
path of the expanded input (``casualties[0].site: unknown site 'S2'``); indices refer to the input lists,
also for casualties expanded by ``count``.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from jedel.core.distribution.model import Casualty, DistributionProblem, Hospital
from jedel.core.distribution.plan import PlanOut
from jedel.core.distribution.schema import ProblemIn, TravelIn, TravelTimeMatrixIn
from jedel.core.errors import FieldError
from jedel.core.survival import CareCategory, SurvivalModel, category_survival_model, rpm_survival_model
from jedel.core.travel import (
    FIXED_WING,
    HELICOPTER,
    RoadParameters,
    TravelMode,
    TravelTimeMatrix,
    travel_time_matrix_min,
)
from jedel.core.validation import JSON_SCHEMA_DIALECT, first_field_error

LatLon = tuple[float, float]

_JSON_NAMES = {"casualty_id": "id", "hospital_id": "id", "site_id": "site"}  # dataclass -> JSON member
_MATRIX_PATHS = {
    "travel_time_min": "travel_time_min",
    "row_ids": "travel_time_min.sites",
    "col_ids": "travel_time_min.hospitals",
}
_ROAD_SPEEDS = ("urban_speed_kmh", "rural_speed_kmh", "highway_speed_kmh")  # all set by travel.speed_kmh


def parse_problem(data: object) -> DistributionProblem:
    """Validate parsed JSON (format: :mod:`jedel.core.distribution.schema`) and build the problem.

    Args:
        data: the parsed JSON document (``json.loads`` output).

    Raises:
        FieldError: the first problem found, ``"<field path>: <reason>"`` (``problem: must be a JSON
            object`` when ``data`` is not an object).
    """
    try:
        model = ProblemIn.model_validate(data)
    except ValidationError as exc:
        raise first_field_error(exc, root="problem") from None
    return build_problem(model)


def build_problem(model: ProblemIn) -> DistributionProblem:
    """The engine's :class:`DistributionProblem` from a validated :class:`ProblemIn`.

    Runs the checks that need the whole problem: sites exist, coordinates present when travel times are
    computed, the given matrix covers every site and hospital; then the engine's own validation.

    Raises:
        FieldError: ``"<field path>: <reason>"``.
    """
    sites, casualties, source = _sites_and_casualties(model)
    hospitals = _hospitals(model)
    matrix = _matrix(model, sites, hospitals)
    models: dict[str, SurvivalModel] = {"rpm": rpm_survival_model(), "category": category_survival_model()}
    try:
        return DistributionProblem(
            casualties=tuple(casualties),
            hospitals=tuple(hospitals),
            site_ids=tuple(sites),
            travel_time_min=matrix,
            max_transport_min=model.max_transport_min,
            survival_model=None if model.survival_model is None else models[model.survival_model],
            untreated_horizon_min=model.untreated_horizon_min,
            planning_horizon_h=model.planning_horizon_h,
        )
    except ValueError as exc:  # casualty indices refer to the expanded list: map back to the input
        text = re.sub(r"^casualties\[(\d+)\]", lambda m: f"casualties[{source[int(m.group(1))]}]", str(exc))
        path, _, reason = text.partition(": ")
        head, dot, attribute = path.rpartition(".")
        path = f"{head}.{_JSON_NAMES[attribute]}" if dot and attribute in _JSON_NAMES else path
        raise FieldError(path, reason) from None


def problem_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the problem format; published in ``docs/schemas/``."""
    return {"$schema": JSON_SCHEMA_DIALECT, **ProblemIn.model_json_schema(mode="validation")}


def plan_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the plan format; published in ``docs/schemas/``."""
    return {"$schema": JSON_SCHEMA_DIALECT, **PlanOut.model_json_schema(mode="serialization")}


def _both_or_neither(lat: float | None, lon: float | None, path: str) -> LatLon | None:
    if lat is None and lon is None:
        return None
    if lat is None:
        raise FieldError(f"{path}.lat", "required")
    if lon is None:
        raise FieldError(f"{path}.lon", "required")
    return lat, lon


def site_and_casualty_errors(model: ProblemIn) -> list[FieldError]:
    """Every problem :func:`build_problem` finds in the sites and casualties, not only the first.

    What ``jedel distribute`` lists for a bad file (duplicate site ids, a site or casualty with lat but no
    lon, unknown sites, casualties with neither site nor coordinates, or neither category nor RPM), in the
    order :func:`build_problem` meets them, so its first is the one that call raises.
    """
    errors: list[FieldError] = []
    known: set[str] = set()
    for i, s in enumerate(model.sites):
        if s.id in known:
            errors.append(FieldError(f"sites[{i}].id", f"duplicate id {s.id!r}"))
        known.add(s.id)
        try:
            _both_or_neither(s.lat, s.lon, f"sites[{i}]")
        except FieldError as exc:
            errors.append(exc)
    for i, c in enumerate(model.casualties):
        path = f"casualties[{i}]"
        if c.site is not None:
            if c.site not in known:
                errors.append(FieldError(f"{path}.site", f"unknown site {c.site!r}"))
        else:
            try:
                if _both_or_neither(c.lat, c.lon, path) is None:
                    errors.append(FieldError(f"{path}.lat", "required (or give site)"))
            except FieldError as exc:
                errors.append(exc)
        if c.category is None and c.rpm is None:
            errors.append(FieldError(f"{path}.category", "either category or rpm is required"))
    return errors


def _sites_and_casualties(model: ProblemIn) -> tuple[dict[str, LatLon | None], list[Casualty], list[int]]:
    errors = site_and_casualty_errors(model)
    if errors:
        raise errors[0]
    sites: dict[str, LatLon | None] = {}
    for i, s in enumerate(model.sites):
        if s.id in sites:
            raise FieldError(f"sites[{i}].id", f"duplicate id {s.id!r}")
        sites[s.id] = _both_or_neither(s.lat, s.lon, f"sites[{i}]")
    casualties: list[Casualty] = []
    source: list[int] = []  # input index of each expanded casualty
    for i, c in enumerate(model.casualties):
        path = f"casualties[{i}]"
        if c.site is not None:
            site = c.site
            if site not in sites:
                raise FieldError(f"{path}.site", f"unknown site {site!r}")
        else:
            where = _both_or_neither(c.lat, c.lon, path)
            if where is None:
                raise FieldError(f"{path}.lat", "required (or give site)")
            site = f"@{where[0]:g},{where[1]:g}"
            sites.setdefault(site, where)
        if c.category is None and c.rpm is None:
            raise FieldError(f"{path}.category", "either category or rpm is required")
        for k in range(c.count):
            casualties.append(
                Casualty(
                    casualty_id=c.id if c.count == 1 else f"{c.id}#{k + 1}",
                    site_id=site,
                    category=c.category,
                    rpm=c.rpm,
                    needs=frozenset(c.needs),
                )
            )
            source.append(i)
    return sites, casualties, source


def _hospitals(model: ProblemIn) -> list[Hospital]:
    hospitals = []
    for j, h in enumerate(model.hospitals):
        where = _both_or_neither(h.lat, h.lon, f"hospitals[{j}]")
        hospitals.append(
            Hospital(
                hospital_id=h.id,
                capacity_by_category={CareCategory(k): n for k, n in h.capacity.model_dump().items()},
                capabilities=frozenset(h.capabilities),
                name=h.name,
                lat_deg=None if where is None else where[0],
                lon_deg=None if where is None else where[1],
            )
        )
    return hospitals


def _given_matrix(
    m: TravelTimeMatrixIn, site_ids: list[str], hospitals: list[Hospital]
) -> NDArray[np.float64]:
    values = np.empty((len(m.sites), len(m.hospitals)))
    if len(m.minutes) != len(m.sites):
        raise FieldError("travel_time_min.minutes", f"expected {len(m.sites)} rows, got {len(m.minutes)}")
    for r, row in enumerate(m.minutes):
        if len(row) != values.shape[1]:
            raise FieldError(
                f"travel_time_min.minutes[{r}]", f"expected {values.shape[1]} values, got {len(row)}"
            )
        values[r] = [math.inf if v is None else v for v in row]  # null = unreachable
    try:
        matrix = TravelTimeMatrix(tuple(m.sites), tuple(m.hospitals), values)
        return matrix.reindex(tuple(site_ids), tuple(h.hospital_id for h in hospitals))
    except ValueError as exc:
        head, _, reason = str(exc).partition(": ")
        path = _MATRIX_PATHS.get(head)
        if path is None:
            path, reason = "travel_time_min", str(exc)
        raise FieldError(path, reason) from None


def _matrix(
    model: ProblemIn, sites: dict[str, LatLon | None], hospitals: list[Hospital]
) -> NDArray[np.float64]:
    site_ids = list(sites)
    if model.travel_time_min is not None:
        return _given_matrix(model.travel_time_min, site_ids, hospitals)
    travel = model.travel or TravelIn()
    for s, where in sites.items():
        if where is None:
            raise FieldError("sites", f"site {s!r} needs lat and lon when no travel_time_min is given")
    for j, h in enumerate(hospitals):
        if h.lat_deg is None:
            raise FieldError(f"hospitals[{j}].lat", "required when no travel_time_min is given")
    road_fields: dict[str, float] = {}
    if travel.detour_factor is not None:
        road_fields["detour_factor"] = travel.detour_factor
    if travel.speed_kmh is not None:
        road_fields |= dict.fromkeys(_ROAD_SPEEDS, travel.speed_kmh)
    air_fields = travel.model_dump(
        include={"block_speed_kmh", "dispatch_min", "ground_transfer_min"}, exclude_none=True
    )
    try:
        road = RoadParameters(**road_fields)
        aircraft = replace(HELICOPTER if travel.mode is TravelMode.HELICOPTER else FIXED_WING, **air_fields)
    except ValueError as exc:
        path, _, reason = str(exc).partition(": ")
        raise FieldError(f"travel.{'speed_kmh' if path in _ROAD_SPEEDS else path}", reason) from None
    coords = np.array([sites[s] for s in site_ids], dtype=float).reshape(-1, 2)
    return travel_time_matrix_min(
        coords[:, 0],
        coords[:, 1],
        np.array([h.lat_deg for h in hospitals], dtype=float),
        np.array([h.lon_deg for h in hospitals], dtype=float),
        mode=travel.mode,
        road_class=travel.road_class,
        road=road,
        aircraft=aircraft,
    )

"""The one door through which live capacity enters an engine, and the engines behind the API.

`live_hospitals` turns the live capacity board into `jedel.core.distribution.Hospital`s; incidents, exercises
and forecasts take their hospitals from here, so every engine reads the board the same way:

* **Capacity** per hour and triage category is the current report's MCI receiving capacity
  (`mci_immediate_per_hour`, `mci_delayed_per_hour`, `mci_minimal_per_hour`); a figure left empty is 0.
* **Expectant capacity is 0** (`EXPECTANT_PER_HOUR`). Hospitals do not report it, and inventing it (say,
  equal to the minimal figure) would add a second pool of places nobody declared, since the engine keeps a
  separate capacity per category. SALT's expectant casualties are re-triaged when resources allow (Lerner
  et al. 2008), so a plan from live data leaves them unassigned with reason `no_capacity`, where the
  coordinator sees them, instead of spending places the hospital never offered.
* **Capabilities** are mapped name by name from the registry (`jedel.facilities.models.Capability`) to the
  engines' vocabulary (`jedel.core.vocabulary.Capability`) by the one table `REGISTRY_CAPABILITIES`; a test
  keeps it complete.
* **Location** is the registry's coordinates; the hospital id is the facility code.
* **Freshness**: overdue facilities (report older than their interval) are skipped unless
  `include_overdue`; facilities that never reported and facilities that do not admit inpatients (ambulance
  stations, air bases, polyclinics) are always skipped: there are no figures to plan with.
* **ED closed**: kept with zero capacity (it appears in the plan's loads, receiving nobody).
* **ED on diversion**: keeps its declared MCI capacity by default (`include_diversion=True`). Diversion
  sheds routine ambulance traffic; the MCI figures are the hospital's own statement of what it takes in a
  mass-casualty incident, and diversion is commonly suspended once an MCI is declared. With
  `include_diversion=False` a diverting hospital gets zero capacity, like a closed one.
"""

from __future__ import annotations

import re
import types
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.capacity.errors import CapacityError
from jedel.capacity.models import EdStatus
from jedel.capacity.permissions import USE_ENGINES, VIEW_BOARD
from jedel.capacity.selectors.status import status_rows
from jedel.capacity.selectors.status_values import StatusQuery, status_values
from jedel.capacity.selectors.status_model import StatusRow
from jedel.common.errors import DomainError, NotFound, ValidationFailed
from jedel.core.distribution import Hospital, Policy, ProblemIn, build_problem, plan_to_json, solve
from jedel.core.distribution.schema import CapacityIn, HospitalIn
from jedel.core.errors import FieldError
from jedel.core.triage import TRIAGE_METHODS, request_from_json, result_to_json, run_triage
from jedel.core.validation import field_errors
from jedel.core.vocabulary import Capability, CareCategory
from jedel.facilities.models import Facility
from jedel.geo.errors import GeoError
from jedel.geo.selectors import region_list

EXPECTANT_PER_HOUR = 0
"""Expectant receiving capacity given to every live hospital (not reported; see the module docstring)."""

REGISTRY_CAPABILITIES: Mapping[str, Capability] = types.MappingProxyType({
    "burns": Capability.BURNS,
    "paediatric_surgery": Capability.PAEDIATRIC_SURGERY,
    "neurosurgery": Capability.NEUROSURGERY,
    "cath_lab": Capability.CATH_LAB,
    "obstetric": Capability.OBSTETRIC,
    "dialysis": Capability.DIALYSIS,
    "helipad": Capability.HELIPAD,
    "ct": Capability.CT,
    "mri": Capability.MRI,
    "laboratory": Capability.LABORATORY,
})
"""Registry capability name (`jedel.facilities.models.Capability`, `has_<name>` on Facility) -> the engines'
capability. Explicit, so renaming either side is a decision; tests/capacity/test_engines.py keeps it complete."""

# What one request may solve synchronously. bench/distribution.py measures 10,000 casualties x 200 sites x
# 1,000 hospitals in about a second; larger problems belong to `jedel distribute` or a background job.
MAX_PLAN_CASUALTIES = 10_000
MAX_PLAN_PAIRS = 500_000  # sites x hospitals: the travel-time matrix and the flow network grow with it


def live_hospitals(*, now: datetime, region_isos: Collection[str] | None = None, include_overdue: bool = False,
                   include_diversion: bool = True, codes: Collection[str] | None = None) -> list[Hospital]:
    """The live board's receiving hospitals at `now`, by facility code (no permission check: internal use).

    `codes`: only these facilities (one hospital's places under its lock: 2 small queries, not the region's board).
    """
    if codes is not None:
        rows = [r.at(now) for r in status_values(StatusQuery(), queryset=Facility.objects.filter(code__in=codes,
                                                                                                 active=True))]
    elif region_isos is not None and len(set(region_isos)) == 1:
        rows = status_rows(now=now, region_iso=next(iter(region_isos)))
    else:
        rows = [r for r in status_rows(now=now) if region_isos is None or r.region in region_isos]
    return [_hospital(r, include_diversion=include_diversion) for r in sorted(rows, key=lambda r: r.code)
            if r.is_inpatient and r.current is not None and (include_overdue or not r.overdue)]


def _hospital(row: StatusRow, *, include_diversion: bool) -> Hospital:
    r = row.current
    assert r is not None
    receiving = r.ed_status == EdStatus.OPEN or (include_diversion and r.ed_status == EdStatus.DIVERSION)
    capacity = {
        CareCategory.IMMEDIATE: r.mci_immediate_per_hour or 0,
        CareCategory.DELAYED: r.mci_delayed_per_hour or 0,
        CareCategory.MINIMAL: r.mci_minimal_per_hour or 0,
        CareCategory.EXPECTANT: EXPECTANT_PER_HOUR,
    }
    return Hospital(
        hospital_id=row.code,
        capacity_by_category=capacity if receiving else dict.fromkeys(CareCategory, 0),
        capabilities=frozenset(REGISTRY_CAPABILITIES[c] for c in row.capabilities),
        name=row.name,
        lat_deg=row.lat,
        lon_deg=row.lon,
    )


def distribution_plan_compute(*, actor: Principal | None, problem_data: object, live: bool,
                              region: str | None = None, now: datetime,
                              policy: Policy = Policy.OPTIMAL) -> dict[str, Any]:
    """Solve a distribution problem (`jedel.core.distribution.ProblemIn` JSON) and return the plan JSON.

    With `live` the hospitals come from `live_hospitals` (optionally one `region`, ISO 3166-2) and the body
    must list none; without it they are the body's. Bad input: ValidationFailed / DomainError with a
    CapacityError code and the field path.
    """
    require(actor, USE_ENGINES)
    if live:
        require(actor, VIEW_BOARD)  # a live plan reads the national capacity picture
        problem_data = _without_hospitals(problem_data)
    elif region is not None:
        raise DomainError(CapacityError.REGION_WITHOUT_LIVE, field="region")
    try:
        model = ProblemIn.model_validate(problem_data)
    except ValidationError as exc:
        raise _invalid(CapacityError.INVALID_PROBLEM, exc, root="problem") from None
    if live:
        if region is not None and not region_list().filter(iso_code=region).exists():
            raise DomainError(GeoError.UNKNOWN_REGION, field="region")
        hospitals = live_hospitals(now=now, region_isos=None if region is None else [region])
        model = model.model_copy(update={"hospitals": [_hospital_in(h) for h in hospitals]})
    _check_size(model)
    try:
        return plan_to_json(solve(build_problem(model), policy))
    except FieldError as exc:
        raise _field_failure(CapacityError.INVALID_PROBLEM, exc) from None


def triage_compute(*, actor: Principal | None, method: str, data: object) -> dict[str, Any]:
    """Triage one casualty: `data` is the `jedel.core.triage.TriageRequest` JSON; returns `TriageOut` JSON."""
    require(actor, USE_ENGINES)
    if method not in TRIAGE_METHODS:
        raise NotFound(CapacityError.UNKNOWN_TRIAGE_METHOD, field="method")
    try:
        findings, options = request_from_json(method, data)
        return result_to_json(run_triage(method, findings, options))
    except FieldError as exc:
        raise _field_failure(CapacityError.INVALID_TRIAGE_REQUEST, exc) from None


def _without_hospitals(data: object) -> object:
    """The body for a live plan: `hospitals` absent or empty (then filled from the board)."""
    if not isinstance(data, dict):
        return data  # validation reports it
    if data.get("hospitals") not in (None, []):
        raise DomainError(CapacityError.HOSPITALS_WITH_LIVE, field="hospitals")
    return {**data, "hospitals": []}


def _hospital_in(h: Hospital) -> HospitalIn:
    """A live hospital in the problem format, so the body's travel options and checks apply to it."""
    return HospitalIn(id=h.hospital_id, name=h.name, lat=h.lat_deg, lon=h.lon_deg,
                      capacity=CapacityIn(**{c.value: n for c, n in h.capacity_by_category.items()}),
                      capabilities=sorted(h.capabilities))


def _check_size(model: ProblemIn) -> None:
    casualties = sum(c.count for c in model.casualties)
    if casualties > MAX_PLAN_CASUALTIES:
        raise ValidationFailed(CapacityError.PROBLEM_TOO_LARGE, [{"loc": ["casualties"], "msg": _(
            "%(n)d casualties; at most %(max)d per request.") % {"n": casualties, "max": MAX_PLAN_CASUALTIES}}])
    sites = len(model.sites) + sum(c.site is None for c in model.casualties)  # at most this many sites
    if sites * len(model.hospitals) > MAX_PLAN_PAIRS:
        raise ValidationFailed(CapacityError.PROBLEM_TOO_LARGE, [{"loc": ["hospitals"], "msg": _(
            "%(sites)d sites × %(hospitals)d hospitals; at most %(max)d pairs per request.") % {
            "sites": sites, "hospitals": len(model.hospitals), "max": MAX_PLAN_PAIRS}}])


def _loc(path: str) -> list[str | int]:
    """`casualties[0].site` -> ["casualties", 0, "site"]; a document-level path ("problem") -> []."""
    if path in {"problem", "request"}:
        return []
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def _message(code: CapacityError, path: str, reason: str) -> str:
    # The engine's reason is English (jedel.core has no translations); the code's message is translated.
    return f"{code.message} {path}: {reason}"


def _field_failure(code: CapacityError, exc: FieldError) -> ValidationFailed:
    return ValidationFailed(code, [{"loc": _loc(exc.path), "msg": _message(code, exc.path, exc.reason)}])


def _invalid(code: CapacityError, exc: ValidationError, *, root: str) -> ValidationFailed:
    """Every error of a pydantic validation, with pydantic's own location (names and indices)."""
    return ValidationFailed(code, [
        {"loc": list(e["loc"]), "msg": _message(code, f.path, f.reason)}
        for e, f in zip(exc.errors(include_url=False), field_errors(exc, root=root), strict=True)])

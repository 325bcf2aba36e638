"""capacity/engines.py: the live board as the engines' hospitals, and the permission and error seams."""

from __future__ import annotations

import pytest
from tests.capacity.capacity_helpers import NATIONAL, NOW, make_facility, report

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.capacity.engines import (
    EXPECTANT_PER_HOUR,
    REGISTRY_CAPABILITIES,
    distribution_plan_compute,
    live_hospitals,
    triage_compute,
)
from jedel.capacity.permissions import USE_ENGINES
from jedel.capacity.services.reports import report_submit
from jedel.common.errors import DomainError, ValidationFailed
from jedel.core.distribution import Hospital
from jedel.core.vocabulary import Capability, CareCategory
from jedel.facilities.models import Capability as RegistryCapability

I, D, M, E = CareCategory.IMMEDIATE, CareCategory.DELAYED, CareCategory.MINIMAL, CareCategory.EXPECTANT


def test_every_registry_capability_is_mapped_to_the_engine_capability_of_the_same_meaning():
    assert set(REGISTRY_CAPABILITIES) == set(RegistryCapability.values)
    assert set(REGISTRY_CAPABILITIES.values()) == set(Capability)  # one-to-one: every engine need is reachable
    assert {k: v.value for k, v in REGISTRY_CAPABILITIES.items()} == {c: c for c in RegistryCapability.values}


def test_expectant_capacity_is_zero_because_no_hospital_reports_it():
    assert EXPECTANT_PER_HOUR == 0


def _submit(facility, minutes_ago=0, **fields):
    report_submit(actor=NATIONAL, facility=facility, source="api", now=NOW,
                  data=report(minutes_ago=minutes_ago, **fields))


@pytest.fixture
def board(kz):
    """A small live board in Almaty (KZ-75) and one hospital in Astana (KZ-71)."""
    ala, ast = kz["KZ-75"], kz["KZ-71"]
    f = {
        "open": make_facility(ala, "E-OPEN", has_burns=True, has_ct=True),
        "divert": make_facility(ala, "E-DIVERT", has_neurosurgery=True),
        "closed": make_facility(ala, "E-CLOSED"),
        "stale": make_facility(ala, "E-STALE", interval=240),
        "silent": make_facility(ala, "E-SILENT"),
        "station": make_facility(ala, "E-STATION", kind="ambulance_station"),
        "blank": make_facility(ala, "E-BLANK", kind="childrens", has_paediatric_surgery=True),
        "astana": make_facility(ast, "E-ASTANA", has_helipad=True),
    }
    _submit(f["open"], 5, mci_immediate_per_hour=3, mci_delayed_per_hour=5, mci_minimal_per_hour=10)
    _submit(f["divert"], 10, ed_status="diversion", ed_status_reason="CT down", mci_immediate_per_hour=1,
            mci_delayed_per_hour=2, mci_minimal_per_hour=4)
    _submit(f["closed"], 10, ed_status="closed", ed_status_reason="flooded", mci_immediate_per_hour=2,
            mci_delayed_per_hour=2, mci_minimal_per_hour=2)
    _submit(f["stale"], 241, mci_immediate_per_hour=7, mci_delayed_per_hour=7, mci_minimal_per_hour=7)
    _submit(f["blank"], 1)  # reported beds only: no MCI figures
    _submit(f["astana"], 1, mci_immediate_per_hour=4, mci_delayed_per_hour=0, mci_minimal_per_hour=6)
    return f


def H(code, i, d, m, caps=(), facility=None):  # reads like the engine's Hospital
    return Hospital(hospital_id=code, capacity_by_category={I: i, D: d, M: m, E: 0}, capabilities=frozenset(caps),
                    name=facility.name, lat_deg=facility.lat, lon_deg=facility.lon)


def test_live_board_maps_exactly_to_hospitals(board):
    assert live_hospitals(now=NOW) == [
        H("E-ASTANA", 4, 0, 6, {Capability.HELIPAD}, board["astana"]),
        H("E-BLANK", 0, 0, 0, {Capability.PAEDIATRIC_SURGERY}, board["blank"]),  # unreported MCI figures = 0
        H("E-CLOSED", 0, 0, 0, (), board["closed"]),  # ED closed: kept, zero capacity
        H("E-DIVERT", 1, 2, 4, {Capability.NEUROSURGERY}, board["divert"]),  # diversion keeps its MCI figures
        H("E-OPEN", 3, 5, 10, {Capability.BURNS, Capability.CT}, board["open"]),
    ]  # E-STALE overdue (241 min > 240), E-SILENT never reported, E-STATION not a receiving hospital


def test_overdue_facilities_are_kept_on_request_with_their_last_figures(board):
    hospitals = {h.hospital_id: h for h in live_hospitals(now=NOW, include_overdue=True)}
    assert set(hospitals) == {"E-ASTANA", "E-BLANK", "E-CLOSED", "E-DIVERT", "E-OPEN", "E-STALE"}
    assert dict(hospitals["E-STALE"].capacity_by_category) == {I: 7, D: 7, M: 7, E: 0}


def test_exactly_the_interval_is_not_overdue(board):
    _submit(board["stale"], 240, mci_immediate_per_hour=9)
    assert "E-STALE" in {h.hospital_id for h in live_hospitals(now=NOW)}


def test_diversion_can_be_treated_as_closed(board):
    hospitals = {h.hospital_id: h for h in live_hospitals(now=NOW, include_diversion=False)}
    assert dict(hospitals["E-DIVERT"].capacity_by_category) == {I: 0, D: 0, M: 0, E: 0}
    assert dict(hospitals["E-OPEN"].capacity_by_category) == {I: 3, D: 5, M: 10, E: 0}


def test_region_filter(board):
    assert [h.hospital_id for h in live_hospitals(now=NOW, region_isos=["KZ-71"])] == ["E-ASTANA"]
    assert [h.hospital_id for h in live_hospitals(now=NOW, region_isos={"KZ-71", "KZ-75"})] == [
        "E-ASTANA", "E-BLANK", "E-CLOSED", "E-DIVERT", "E-OPEN"]
    assert live_hospitals(now=NOW, region_isos=["KZ-11"]) == []


def test_use_engines_is_open_to_every_role_and_token():
    assert USE_ENGINES.roles == frozenset(Role) and USE_ENGINES.nationwide and USE_ENGINES.token.value == "any"


def test_anonymous_callers_are_refused_before_anything_is_read():
    with pytest.raises(DomainError) as exc:
        triage_compute(actor=None, method="nonsense", data=None)
    assert (exc.value.code.value, exc.value.status) == ("not_authenticated", 401)


def test_triage_compute_published_start_case():
    """Benson et al. 1996: not walking, breathing, RR 34/min > 30 -> immediate."""
    out = triage_compute(actor=NATIONAL, method="start",
                         data={"findings": {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34}})
    assert out == {"category": "immediate", "method": "start", "missing": [],
                   "rule": "START: not walking → breathing → RR 34/min > 30 → IMMEDIATE"}


def test_live_plan_uses_only_receiving_capacity(board):
    viewer = Principal(label="v", role=Role.VIEWER, scope_level=ScopeLevel.NATIONAL)
    problem = {"casualties": [{"id": "c", "lat": 43.25, "lon": 76.9, "category": "immediate", "count": 4}],
               "travel": {"mode": "road", "road_class": "urban"}}
    plan = distribution_plan_compute(actor=viewer, problem_data=problem, live=True, region="KZ-75", now=NOW)
    loads = {h: v["immediate"] for h, v in plan["loads"].items()}
    # Almaty's immediate places in one hour: E-OPEN 3 + E-DIVERT 1; E-CLOSED and E-BLANK 0 (E-STALE skipped).
    assert loads == {"E-BLANK": 0, "E-CLOSED": 0, "E-DIVERT": 1, "E-OPEN": 3}
    assert plan["n_unassigned"] == 0


def test_hospitals_in_the_body_with_live_is_an_error(board):
    problem = {"casualties": [], "hospitals": [{"id": "H1"}]}
    with pytest.raises(DomainError) as exc:
        distribution_plan_compute(actor=NATIONAL, problem_data=problem, live=True, now=NOW)
    assert (exc.value.code.value, exc.value.field) == ("hospitals_with_live", "hospitals")


def test_problem_errors_carry_every_field_path():
    problem = {"casualties": [{"id": "c1", "category": "purple"}, {"id": "c2", "rpm": 13}], "hospitals": []}
    with pytest.raises(ValidationFailed) as exc:
        distribution_plan_compute(actor=NATIONAL, problem_data=problem, live=False, now=NOW)
    assert exc.value.code.value == "invalid_problem"
    assert [e["loc"] for e in exc.value.errors] == [["casualties", 0, "category"], ["casualties", 1, "rpm"]]


def test_too_many_casualties_are_refused_before_they_are_expanded():
    problem = {"casualties": [{"id": "c", "lat": 43.2, "lon": 76.9, "category": "minimal", "count": 10**12}],
               "hospitals": []}
    with pytest.raises(ValidationFailed) as exc:
        distribution_plan_compute(actor=NATIONAL, problem_data=problem, live=False, now=NOW)
    assert (exc.value.code.value, exc.value.errors[0]["loc"]) == ("problem_too_large", ["casualties"])

"""Synthetic capacity reports for the demo network: HAvBED bed types sized from each hospital's beds,
occupancy 70–90 %, a few hospitals on diversion and a few overdue, and ~48 hours of history.

Objects are built unsaved; the demo loader bulk-inserts them (see demo.py for why it bypasses the
capacity service). Every figure respects the model constraints (occupied ≤ staffed, in use ≤ total).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from jedel.capacity.models import BedCapacity, BedType, CapacityReport, EdStatus, OxygenStatus, ReportSource

HISTORY_REPORTS = 8
HISTORY_STEP = timedelta(hours=6)
OVERDUE_SHARE = 0.03
OVERDUE_MAX = timedelta(hours=12)
DIVERSION_SHARE = 0.02
REPORTER = "demo generator (synthetic)"

# Bed-type mix per profile: (type, share of beds); the main type (first) takes the remainder.
_PROFILES: dict[str, list[tuple[str, float]]] = {
    "general": [(BedType.MEDICAL_SURGICAL, 0), (BedType.ADULT_ICU, 0.05), (BedType.PEDIATRICS, 0.08),
                (BedType.NEGATIVE_PRESSURE, 0.02)],
    "central_district": [(BedType.MEDICAL_SURGICAL, 0), (BedType.ADULT_ICU, 0.04),
                         (BedType.PEDIATRICS, 0.15)],
    "childrens": [(BedType.PEDIATRICS, 0), (BedType.PEDIATRIC_ICU, 0.08), (BedType.NEONATAL_ICU, 0.04)],
    "perinatal": [(BedType.MEDICAL_SURGICAL, 0), (BedType.NEONATAL_ICU, 0.10), (BedType.ADULT_ICU, 0.03)],
    "infectious": [(BedType.MEDICAL_SURGICAL, 0), (BedType.NEGATIVE_PRESSURE, 0.15),
                   (BedType.ADULT_ICU, 0.05), (BedType.PEDIATRICS, 0.10)],
    "psychiatric": [(BedType.PSYCHIATRIC, 0)],
    "burns": [(BedType.BURN, 0), (BedType.ADULT_ICU, 0.10), (BedType.PEDIATRIC_ICU, 0.03),
              (BedType.MEDICAL_SURGICAL, 0.25)],
}
_PROFILE_OF_KIND = {k: k for k in ("central_district", "childrens", "perinatal", "infectious", "psychiatric",
                                   "burns")}
_ICU = {BedType.ADULT_ICU, BedType.PEDIATRIC_ICU, BedType.NEONATAL_ICU}
_NO_THEATRES = {"psychiatric", "infectious"}


@dataclass(frozen=True)
class HospitalIn:
    """What the generator needs to know about one inpatient facility."""

    facility_id: int
    kind: str
    profile: str
    beds: int
    reporting_interval_min: int
    capabilities: frozenset[str]


def bed_mix(h: HospitalIn) -> dict[str, int]:
    """Staffed beds per HAvBED type, summing exactly to h.beds (operating rooms are extra, not beds)."""
    profile = _PROFILES[h.profile or _PROFILE_OF_KIND.get(h.kind, "general")]
    parts = list(profile)
    if "burns" in h.capabilities and h.kind != "burns":
        parts.append((BedType.BURN, 0.04))
    mix: dict[str, int] = {}
    for bed_type, share in parts[1:]:
        n = round(h.beds * share)
        if n == 0 and bed_type in _ICU and h.beds >= 30:
            n = 1  # even a small hospital keeps an ICU bed or two
        if n:
            mix[str(bed_type)] = n
    mix = {str(parts[0][0]): h.beds - sum(mix.values()), **mix}
    return mix


def _occupied(rng: np.random.Generator, staffed: int, rate: float) -> int:
    return min(staffed, max(0, int(rng.binomial(staffed, min(max(rate, 0.0), 1.0)))))


def hospital_reports(h: HospitalIn, *, now: datetime, rng: np.random.Generator,
                     history: int = HISTORY_REPORTS) -> list[tuple[CapacityReport, list[BedCapacity]]]:
    """Newest first: `history` reports 6 h apart, the newest recent (or overdue for ~3 % of hospitals)."""
    mix = bed_mix(h)
    base = float(rng.uniform(0.70, 0.90))
    interval = timedelta(minutes=h.reporting_interval_min)
    overdue = float(rng.uniform()) < OVERDUE_SHARE
    diversion = float(rng.uniform()) < DIVERSION_SHARE
    # Overdue: 1.5–3 intervals late, at most 12 h, so the board shows them as overdue, not as abandoned.
    newest = now - (min(interval * float(rng.uniform(1.5, 3.0)), OVERDUE_MAX) if overdue
                    else timedelta(minutes=float(rng.uniform(2, 0.8 * h.reporting_interval_min))))
    theatres = 0 if h.kind in _NO_THEATRES else max(1, h.beds // 40)
    icu = sum(n for t, n in mix.items() if t in _ICU)
    vent_total = round(icu * float(rng.uniform(1.0, 1.5)))
    lab_capacity = h.beds * 4 if "laboratory" in h.capabilities else None
    out = []
    for k in range(history):
        at = newest - HISTORY_STEP * k
        rate = base + float(rng.normal(0.0, 0.03))
        beds = []
        for bed_type, staffed in mix.items():
            occ = _occupied(rng, staffed, rate + (0.07 if bed_type in _ICU else 0.0))
            beds.append(BedCapacity(bed_type=bed_type, staffed=staffed, occupied=occ, available=staffed - occ,
                                    surge_24h=round(staffed * 0.1)))
        if theatres:
            busy = _occupied(rng, theatres, 0.5)
            beds.append(BedCapacity(bed_type=BedType.OPERATING_ROOMS, staffed=theatres, occupied=busy,
                                    available=theatres - busy))
        on_diversion = diversion and k == 0
        oxygen = OxygenStatus.ADEQUATE
        if k == 0:
            u = float(rng.uniform())
            oxygen = OxygenStatus.CRITICAL if u < 0.01 else OxygenStatus.LIMITED if u < 0.07 else oxygen
        report = CapacityReport(
            facility_id=h.facility_id, reported_at=at,
            received_at=at + timedelta(seconds=int(rng.integers(1, 90))),
            source=ReportSource.DEMO, reporter=REPORTER,
            ventilators_total=vent_total if icu else None,
            ventilators_in_use=_occupied(rng, vent_total, rate - 0.2) if icu else None,
            oxygen_status=oxygen,
            ct_operational=(float(rng.uniform()) > 0.03) if "ct" in h.capabilities else None,
            xray_operational=float(rng.uniform()) > 0.02,
            lab_tests_capacity_per_day=lab_capacity,
            lab_tests_performed_per_day=_occupied(rng, lab_capacity, rate - 0.1) if lab_capacity else None,
            ed_status=EdStatus.DIVERSION if on_diversion else EdStatus.OPEN,
            ed_status_reason="ICU full (synthetic)" if on_diversion else "",
            # A psychiatric hospital receives no casualties: it reports no MCI capacity.
            mci_immediate_per_hour=None if h.kind == "psychiatric" else max(1, h.beds // 100),
            mci_delayed_per_hour=None if h.kind == "psychiatric" else max(2, h.beds // 30),
            mci_minimal_per_hour=None if h.kind == "psychiatric" else max(5, h.beds // 10),
            note="Synthetic demo data.",
        )
        out.append((report, beds))
    return out

"""Earthquake casualties: shaking intensity by distance, population exposure, PAGER fatalities, injured.

The chain, for a point source at the epicentre and hypocentre depth:

1. **Intensity (MMI) by distance**: the intensity prediction equation of Atkinson GM, Wald DJ. "Did You
   Feel It?" intensity data: a surprisingly good measure of earthquake ground motion. Seismological
   Research Letters 2007;78(3):362-368 (doi:10.1785/gssrl.78.3.362), California coefficients::

       MMI = c1 + c2 (M - 6) + c3 (M - 6)^2 + c4 log10 R + c5 R + c6 B + c7 M log10 R
       R = sqrt(D^2 + h^2),  B = max(0, log10(R / Rt))
       c1 = 12.27, c2 = 2.270, c3 = 0.1304, c4 = -1.30, c5 = -0.0007070, c6 = 1.95, c7 = -0.577,
       h = 14.0 km, Rt = 30.0 km  (standard deviation about 0.4 MMI units, not used here)

   with M the moment magnitude and D the rupture distance in km. **Not calibrated for Central Asia**: it
   was fitted to Californian "Did You Feel It?" reports, and no intensity equation fitted to Kazakh or
   Tien Shan data was available to us. A point source is used, so D is the hypocentral distance; for a
   large event (M7+, rupture tens of km long) this overstates D near the fault and so understates the
   near-field intensity. No site (soil) term. Results are clipped to the MMI scale, 1..12.
2. **Exposure**: every town's population is placed at its centre point and binned by the rounded MMI
   there (bin I..X; X collects MMI >= 9.5), as PAGER bins exposure by intensity. Towns come from GeoNames
   (``jedel/geo/data/kz_cities_geonames.csv``, CC BY 4.0, "GeoNames"); people outside those 351 places
   (villages under 500 inhabitants, most of the rural population) are not counted, so exposure is low.
3. **Fatalities**: the PAGER empirical model (Jaiswal KS, Wald DJ. An empirical model for global earthquake
   fatality estimation. Earthquake Spectra 2010;26(4):1017-1037), rate(MMI) = Phi(ln(MMI / theta) / beta),
   fatalities = sum over MMI V..IX of exposed population x rate, the MMI X exposure added to IX. Kazakhstan's
   theta and beta are read from ``parameters.json`` (``pager_empirical_fatality.KZ``; shared by KZ, KG, TJ,
   TM, UZ). The model ignores time of day.
4. **Injured and START split**: **assumptions**, configurable per scenario (``injured_per_death``,
   ``injured_split``); see :data:`DEFAULT_INJURED_PER_DEATH` and :data:`DEFAULT_INJURED_SPLIT`.

All values are expectations (floats), not random draws.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm

from jedel.core.simulation.spec import EarthquakeHazard, StartSplit
from jedel.core.survival.parameters import load_parameters_json
from jedel.core.travel.geodesic import haversine_km

MMI_BINS = tuple(range(1, 11))
"""Intensity bins of the exposure vector: MMI I..X (index 0 is MMI I)."""

PAGER_MMI_RANGE = (5, 9)
"""First and last MMI bin of the PAGER fatality sum (X is added to IX)."""

DEFAULT_INJURED_PER_DEATH = 3.0
"""Injured persons per earthquake death: an **assumption** (no published ratio was read for this value;
reported ratios vary by an order of magnitude between events). Set ``injured_per_death`` in the scenario."""

DEFAULT_INJURED_SPLIT = StartSplit(immediate=0.15, delayed=0.25, minimal=0.60)
"""START shares of the injured: an **assumption** for exercises (no published earthquake triage
distribution was read). Set ``injured_split`` in the scenario."""


@dataclass(frozen=True)
class IpeCoefficients:
    """Coefficients of the Atkinson & Wald (2007) intensity prediction equation (see the module docstring).

    Attributes:
        c1..c7: dimensionless coefficients; h_km: near-source saturation term, km; rt_km: distance beyond
            which the ``B`` term applies, km; region: where the coefficients were fitted.
    """

    c1: float
    c2: float
    c3: float
    c4: float
    c5: float
    c6: float
    c7: float
    h_km: float
    rt_km: float
    region: str


AW07_CALIFORNIA = IpeCoefficients(
    c1=12.27, c2=2.270, c3=0.1304, c4=-1.30, c5=-0.0007070, c6=1.95, c7=-0.577, h_km=14.0, rt_km=30.0,
    region="California (Atkinson & Wald 2007); not calibrated for Central Asia",
)
"""The California coefficients of Atkinson & Wald (2007), the only set shipped."""


@dataclass(frozen=True)
class Town:
    """A populated place. Attributes: name, lat_deg, lon_deg (WGS 84), population (persons; 0 = unknown)."""

    name: str
    lat_deg: float
    lon_deg: float
    population: int


def parse_towns_csv(text: str) -> tuple[Town, ...]:
    """Towns from a CSV with columns ``name``, ``lat``, ``lon``, ``population`` (the GeoNames file's).

    Raises:
        ValueError: ``"line <n>: ..."`` for a missing column or a bad number.
    """
    towns = []
    for line_no, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            towns.append(Town(row["name"], float(row["lat"]), float(row["lon"]), int(row["population"] or 0)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"line {line_no}: {exc}") from None
    return tuple(towns)


def intensity_mmi(
    magnitude: float, rupture_distance_km: ArrayLike, *, coefficients: IpeCoefficients = AW07_CALIFORNIA
) -> NDArray[np.float64]:
    """Mean MMI at the given rupture distances by the Atkinson & Wald (2007) equation, clipped to 1..12.

    Args:
        magnitude: moment magnitude.
        rupture_distance_km: distances D to the rupture, km (hypocentral distance for a point source).
        coefficients: equation coefficients.

    Returns:
        MMI (continuous), same shape as the distances.
    """
    c = coefficients
    d = np.asarray(rupture_distance_km, dtype=np.float64)
    if np.any(~np.isfinite(d)) or np.any(d < 0):
        raise ValueError("rupture_distance_km: must be finite numbers >= 0")
    r = np.sqrt(d * d + c.h_km * c.h_km)
    log_r = np.log10(r)
    b = np.maximum(0.0, np.log10(r / c.rt_km))
    dm = magnitude - 6.0
    mmi = c.c1 + c.c2 * dm + c.c3 * dm * dm + c.c4 * log_r + c.c5 * r + c.c6 * b + c.c7 * magnitude * log_r
    return np.clip(mmi, 1.0, 12.0)


def hypocentral_distance_km(
    epicentre_lat_deg: float, epicentre_lon_deg: float, depth_km: float,
    lat_deg: ArrayLike, lon_deg: ArrayLike,
) -> NDArray[np.float64]:
    """Straight-line distance from the hypocentre to points at the surface, km (great circle and depth)."""
    epicentral = haversine_km(epicentre_lat_deg, epicentre_lon_deg, lat_deg, lon_deg)
    return np.asarray(np.sqrt(epicentral * epicentral + depth_km * depth_km), dtype=np.float64)


def exposure_by_mmi(mmi: ArrayLike, population: ArrayLike) -> NDArray[np.float64]:
    """Persons by MMI bin I..X: each place's population in the bin of its rounded MMI (X takes >= 9.5).

    Args:
        mmi: intensity at each place (>= 0.5).
        population: persons at each place, same shape.

    Returns:
        Ten values, persons at MMI I, II, ..., X.

    Raises:
        ValueError: NaN, shapes that differ, or a negative population.
    """
    m = np.asarray(mmi, dtype=np.float64)
    pop = np.asarray(population, dtype=np.float64)
    if m.shape != pop.shape or np.any(~np.isfinite(m)) or np.any(~np.isfinite(pop)) or np.any(pop < 0):
        raise ValueError("mmi, population: must be finite, of one shape, population >= 0")
    bins = np.clip(np.floor(m + 0.5), 1, 10).astype(np.int64)  # round half up: 4.5 is MMI V
    return np.bincount(bins.ravel() - 1, weights=pop.ravel(), minlength=10).astype(np.float64)


@dataclass(frozen=True)
class PagerFatalityModel:
    """PAGER empirical fatality model for one country (Jaiswal & Wald 2010).

    Attributes:
        theta: MMI at which half the exposed die (the lognormal median; 20.476568 for KZ).
        beta: lognormal spread (0.280662 for KZ).
        country: ISO 3166-1 alpha-2 code the parameters belong to.
    """

    theta: float
    beta: float
    country: str = ""

    def rates(self, mmi: ArrayLike) -> NDArray[np.float64]:
        """Fatality rate (deaths per exposed person) at each MMI: Phi(ln(MMI / theta) / beta)."""
        m = np.asarray(mmi, dtype=np.float64)
        return np.asarray(norm.cdf(np.log(m / self.theta) / self.beta), dtype=np.float64)

    def fatalities(self, exposure: ArrayLike) -> float:
        """Expected deaths from exposure by MMI I..X (ten values; X is counted at IX's rate).

        Raises:
            ValueError: not ten values, or a negative one.
        """
        e = np.asarray(exposure, dtype=np.float64)
        if e.shape != (10,) or np.any(~np.isfinite(e)) or np.any(e < 0):
            raise ValueError("exposure: must be ten finite numbers >= 0 (persons at MMI I..X)")
        low, high = PAGER_MMI_RANGE
        counted = e[low - 1:high].copy()
        counted[-1] += e[9]
        return float(np.dot(counted, self.rates(np.arange(low, high + 1))))


@lru_cache(maxsize=4)
def pager_model(country: str = "KZ") -> PagerFatalityModel:
    """The shipped PAGER parameters of ``country`` (``parameters.json`` ``pager_empirical_fatality``).

    Raises:
        KeyError: the country has no parameters in the file.
    """
    block = load_parameters_json()["pager_empirical_fatality"]
    if country not in block:
        raise KeyError(f"no PAGER parameters for {country!r}")
    return PagerFatalityModel(float(block[country]["theta"]), float(block[country]["beta"]), country)


@dataclass(frozen=True)
class EarthquakeImpact:
    """Expected casualties of an earthquake scenario.

    Attributes:
        exposure_by_mmi: persons at MMI I..X (ten values).
        fatalities: expected deaths (PAGER).
        injured: expected injured = fatalities x injured_per_death.
        immediate, delayed, minimal: the injured split by START category.
    """

    exposure_by_mmi: tuple[float, ...]
    fatalities: float
    injured: float
    immediate: float
    delayed: float
    minimal: float


def earthquake_impact(
    hazard: EarthquakeHazard, towns: Sequence[Town], *, model: PagerFatalityModel | None = None,
    coefficients: IpeCoefficients = AW07_CALIFORNIA,
) -> EarthquakeImpact:
    """Expected deaths and injured, by START category, of an earthquake scenario over the given towns.

    Args:
        hazard: the scenario's earthquake.
        towns: exposed places with their population (e.g. the GeoNames towns).
        model: PAGER parameters (Kazakhstan's by default).
        coefficients: intensity equation coefficients.
    """
    model = model or pager_model("KZ")
    lat = np.array([t.lat_deg for t in towns], dtype=np.float64)
    lon = np.array([t.lon_deg for t in towns], dtype=np.float64)
    pop = np.array([t.population for t in towns], dtype=np.float64)
    d = hypocentral_distance_km(hazard.epicentre.lat_deg, hazard.epicentre.lon_deg, hazard.depth_km, lat, lon)
    exposure = exposure_by_mmi(intensity_mmi(hazard.magnitude, d, coefficients=coefficients), pop)
    deaths = model.fatalities(exposure)
    injured = deaths * hazard.injured_per_death
    split = hazard.injured_split
    return EarthquakeImpact(
        exposure_by_mmi=tuple(float(x) for x in exposure), fatalities=deaths, injured=injured,
        immediate=injured * split.immediate, delayed=injured * split.delayed, minimal=injured * split.minimal,
    )

"""Earthquake casualties: Atkinson & Wald (2007) intensity, exposure bins, PAGER fatalities for Kazakhstan.

Expected values are computed here from the published equations with the standard library only
(``math.erf`` for the normal CDF), independently of the numpy/scipy code under test.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pytest

from jedel.core.simulation import (
    EarthquakeHazard,
    PagerFatalityModel,
    Point,
    StartSplit,
    Town,
    earthquake_impact,
    exposure_by_mmi,
    hypocentral_distance_km,
    intensity_mmi,
    pager_model,
    parse_towns_csv,
    shipped_scenario,
)

KZ_THETA, KZ_BETA = 20.476568, 0.280662  # USGS PAGER fatality model v2.2, shared by KZ, KG, TJ, TM, UZ


def phi(x: float) -> float:
    """Standard normal CDF."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def pager_rate(mmi: float) -> float:
    """Jaiswal & Wald (2010): nu(S) = Phi(ln(S / theta) / beta)."""
    return phi(math.log(mmi / KZ_THETA) / KZ_BETA)


def aw07(m: float, d_km: float) -> float:
    """Atkinson & Wald (2007), California coefficients, written out from the paper."""
    r = math.sqrt(d_km**2 + 14.0**2)
    b = max(0.0, math.log10(r / 30.0))
    return (12.27 + 2.270 * (m - 6) + 0.1304 * (m - 6) ** 2 - 1.30 * math.log10(r) - 0.0007070 * r
            + 1.95 * b - 0.577 * m * math.log10(r))


def test_kz_parameters_come_from_the_shipped_file() -> None:
    assert pager_model("KZ") == PagerFatalityModel(theta=KZ_THETA, beta=KZ_BETA, country="KZ")
    with pytest.raises(KeyError, match="no PAGER parameters for 'XX'"):
        pager_model("XX")


def test_pager_rates_mmi_5_to_9() -> None:
    got = pager_model("KZ").rates([5, 6, 7, 8, 9])
    expected = [pager_rate(m) for m in (5, 6, 7, 8, 9)]
    assert got == pytest.approx(expected, rel=1e-10)
    # The same rates to 4 significant figures (ln(9 / 20.476568) / 0.280662 = -2.9287 -> 0.0017003).
    assert got == pytest.approx([2.540e-7, 6.109e-6, 6.554e-5, 4.060e-4, 1.700e-3], rel=5e-4)


def test_pager_fatalities_for_a_hand_made_exposure() -> None:
    exposure = [9e6, 8e6, 7e6, 6e6, 100_000, 50_000, 20_000, 10_000, 5_000, 1_000]  # MMI I..X
    expected = (100_000 * pager_rate(5) + 50_000 * pager_rate(6) + 20_000 * pager_rate(7)
                + 10_000 * pager_rate(8) + (5_000 + 1_000) * pager_rate(9))  # X in IX; I-IV not counted
    assert pager_model("KZ").fatalities(exposure) == pytest.approx(expected, rel=1e-10)
    assert expected == pytest.approx(15.9038, abs=1e-4)


def test_pager_fatalities_rejects_a_bad_vector() -> None:
    with pytest.raises(ValueError, match="ten finite numbers >= 0"):
        pager_model("KZ").fatalities([1.0] * 9)
    with pytest.raises(ValueError, match="ten finite numbers >= 0"):
        pager_model("KZ").fatalities([-1.0] + [0.0] * 9)


@pytest.mark.parametrize(("magnitude", "distance_km", "expected"), [
    (6.0, 0.0, 6.80224),    # R = h = 14 km: 12.27 - (1.30 + 0.577 x 6) log10 14 - 0.000707 x 14
    (7.3, 20.0, 7.775398),  # R = 24.41 km < Rt: no B term
    (7.3, 50.0, 6.413996),  # R = 51.92 km > Rt = 30 km: B = log10(R / 30)
    (7.3, 150.0, 4.696315),
])
def test_atkinson_wald_2007_against_hand_values(
    magnitude: float, distance_km: float, expected: float
) -> None:
    assert aw07(magnitude, distance_km) == pytest.approx(expected, abs=1e-6)
    assert float(intensity_mmi(magnitude, distance_km)) == pytest.approx(expected, abs=1e-6)


def test_intensity_decreases_with_distance() -> None:
    d = np.linspace(0.0, 600.0, 601)
    for m in (4.0, 5.5, 6.5, 7.3, 8.0):
        mmi = intensity_mmi(m, d)
        assert np.all(np.diff(mmi) <= 0.0)
        above_floor = mmi[:-1] > 1.0
        assert np.all(np.diff(mmi)[above_floor] < 0.0)
    assert float(intensity_mmi(3.0, 600.0)) == 1.0  # clipped to the bottom of the MMI scale


def test_intensity_rejects_negative_distance() -> None:
    with pytest.raises(ValueError, match="rupture_distance_km"):
        intensity_mmi(6.0, [-1.0])


def test_hypocentral_distance() -> None:
    d = hypocentral_distance_km(43.0, 77.0, 20.0, [43.0, 43.0], [77.0, 77.0])
    assert d.tolist() == [20.0, 20.0]
    one_degree_north = hypocentral_distance_km(43.0, 77.0, 0.0, 44.0, 77.0)
    assert float(one_degree_north) == pytest.approx(6371.0088 * math.pi / 180.0, rel=1e-12)


def test_exposure_bins_round_half_up_and_x_collects_the_rest() -> None:
    e = exposure_by_mmi([4.49, 4.5, 9.49, 9.5, 11.0, 1.0], [1, 2, 3, 4, 5, 6])
    assert e.tolist() == [6, 0, 0, 1, 2, 0, 0, 0, 3, 9]
    with pytest.raises(ValueError, match="population >= 0"):
        exposure_by_mmi([5.0, 6.0], [10, -1])


def test_impact_of_one_town_above_the_hypocentre() -> None:
    split = StartSplit(immediate=0.2, delayed=0.3, minimal=0.5)
    hazard = EarthquakeHazard(epicentre=Point(43.0, 77.0), magnitude=7.3, depth_km=10.0,
                              injured_per_death=2.0, injured_split=split)
    towns = [Town("Above", 43.0, 77.0, 100_000), Town("Unknown population", 43.0, 77.0, 0)]
    mmi = aw07(7.3, 10.0)
    assert round(mmi) == 9  # 8.617: the IX bin
    impact = earthquake_impact(hazard, towns)
    deaths = 100_000 * pager_rate(9)
    assert impact.exposure_by_mmi == (0, 0, 0, 0, 0, 0, 0, 0, 100_000, 0)
    assert impact.fatalities == pytest.approx(deaths, rel=1e-10)
    assert impact.injured == pytest.approx(2 * deaths, rel=1e-10)
    assert (impact.immediate, impact.delayed, impact.minimal) == pytest.approx(
        (0.4 * deaths, 0.6 * deaths, 1.0 * deaths), rel=1e-10)


def test_almaty_scenario_over_the_geonames_towns() -> None:
    text = resources.files("jedel.geo.data").joinpath("kz_cities_geonames.csv").read_text(encoding="utf-8")
    towns = parse_towns_csv(text)
    assert len(towns) == 351
    hazard = shipped_scenario("almaty_earthquake_night").hazard
    assert isinstance(hazard, EarthquakeHazard)
    impact = earthquake_impact(hazard, towns)
    assert sum(impact.exposure_by_mmi) == sum(t.population for t in towns)  # everyone is in some bin
    almaty = next(t for t in towns if t.name == "Almaty")
    d = hypocentral_distance_km(43.1, 76.8, 20.0, almaty.lat_deg, almaty.lon_deg)
    assert round(aw07(7.3, float(d))) == 7
    assert impact.exposure_by_mmi[6] >= almaty.population  # Almaty's 1,977,011 people at MMI VII
    assert impact.fatalities >= almaty.population * pager_rate(7)


def test_towns_csv_errors_name_the_line() -> None:
    assert parse_towns_csv("name,lat,lon,population\nA,43.0,77.0,\n") == (Town("A", 43.0, 77.0, 0),)
    with pytest.raises(ValueError, match="^line 3: could not convert string to float: 'x'$"):
        parse_towns_csv("name,lat,lon,population\nA,43.0,77.0,10\nB,x,77.0,10\n")

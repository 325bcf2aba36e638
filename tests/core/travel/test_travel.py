"""Great-circle distances, road and air travel times, travel-time matrix files."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from jedel.core.travel import (
    EARTH_MEAN_RADIUS_KM,
    FIXED_WING,
    HELICOPTER,
    AircraftParameters,
    RoadParameters,
    TravelTimeMatrix,
    air_time_min,
    distance_matrix_km,
    haversine_km,
    load_matrix_csv,
    load_matrix_npz,
    parse_matrix_csv,
    road_time_min,
    save_matrix_npz,
    travel_time_matrix_min,
)

ALMATY = (43.25249, 76.9115)
ASTANA = (51.1801, 71.44598)


def vincenty_sphere_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Independent reference: the atan2 (Vincenty special case) central angle on the same sphere."""
    p1, l1, p2, l2 = (math.radians(x) for x in (*a, *b))
    dl = l2 - l1
    num = math.hypot(
        math.cos(p2) * math.sin(dl), math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    )
    den = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.atan2(num, den)


def test_almaty_astana() -> None:
    d = float(haversine_km(*ALMATY, *ASTANA))
    assert d == pytest.approx(vincenty_sphere_km(ALMATY, ASTANA), rel=1e-12)
    assert d == pytest.approx(972.71, abs=0.01)


def test_known_arcs() -> None:
    assert EARTH_MEAN_RADIUS_KM == 6371.0088
    assert float(haversine_km(0, 0, 0, 1)) == pytest.approx(2 * math.pi * 6371.0088 / 360, rel=1e-12)
    assert float(haversine_km(0, 0, 0, 180)) == pytest.approx(math.pi * 6371.0088, rel=1e-12)
    assert float(haversine_km(90, 0, -90, 0)) == pytest.approx(math.pi * 6371.0088, rel=1e-12)
    assert float(haversine_km(0, 0, 0, 1e-5)) * 1000 == pytest.approx(1.11195, rel=1e-5)  # metres stay exact
    assert float(haversine_km(*ALMATY, *ALMATY)) == 0.0


def test_matrix_matches_pairwise_and_is_symmetric() -> None:
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(40, 56, 30), rng.uniform(46, 88, 30)
    m = distance_matrix_km(lat, lon, lat, lon)
    assert m.shape == (30, 30)
    np.testing.assert_allclose(m, m.T, atol=1e-9)
    np.testing.assert_allclose(np.diag(m), 0.0, atol=1e-9)
    ref = [vincenty_sphere_km((lat[i], lon[i]), (lat[j], lon[j])) for i, j in [(0, 1), (5, 29), (17, 3)]]
    np.testing.assert_allclose([m[0, 1], m[5, 29], m[17, 3]], ref, rtol=1e-10)


def test_invalid_coordinates() -> None:
    with pytest.raises(ValueError, match="latitude"):
        haversine_km(91, 0, 0, 0)
    with pytest.raises(ValueError, match="NaN"):
        haversine_km(0, math.nan, 0, 0)


def test_road_times_by_class() -> None:
    np.testing.assert_allclose(road_time_min([0.0, 100.0], "rural"), [0.0, 130.0])  # 100 x 1.3 / 60 km/h
    assert float(road_time_min(100.0, "urban")) == pytest.approx(260.0)  # 30 km/h
    assert float(road_time_min(100.0, "highway")) == pytest.approx(130 / 90 * 60)
    params = RoadParameters(detour_factor=1.0, rural_speed_kmh=100.0, fixed_min=5.0)
    assert float(road_time_min(50.0, "rural", params)) == pytest.approx(35.0)
    with pytest.raises(ValueError, match="detour_factor"):
        RoadParameters(detour_factor=0.9)
    with pytest.raises(ValueError, match="urban_speed_kmh"):
        RoadParameters(urban_speed_kmh=0.0)


def test_helicopter_and_fixed_wing_times() -> None:
    # 15 min dispatch + 220 km x 1.05 route factor at 220 km/h = 15 + 63
    assert float(air_time_min(220.0, HELICOPTER)) == pytest.approx(78.0)
    assert float(air_time_min(601.0, HELICOPTER)) == math.inf  # beyond the 600 km range
    # 45 min dispatch + 60 min ground legs + 800 x 1.05 / 400 km/h x 60 = 126 min
    assert float(air_time_min(800.0, FIXED_WING)) == pytest.approx(231.0)
    custom = AircraftParameters("Mi-8", block_speed_kmh=200.0, dispatch_min=20.0, route_factor=1.0)
    assert float(air_time_min(100.0, custom)) == pytest.approx(50.0)
    with pytest.raises(ValueError, match="block_speed_kmh"):
        AircraftParameters("x", block_speed_kmh=-1.0, dispatch_min=0.0)


def test_travel_time_matrix_modes() -> None:
    road = travel_time_matrix_min(
        [ALMATY[0]], [ALMATY[1]], [ASTANA[0]], [ASTANA[1]], mode="road", road_class="highway"
    )
    heli = travel_time_matrix_min([ALMATY[0]], [ALMATY[1]], [ASTANA[0]], [ASTANA[1]], mode="helicopter")
    plane = travel_time_matrix_min([ALMATY[0]], [ALMATY[1]], [ASTANA[0]], [ASTANA[1]], mode="fixed_wing")
    d = float(haversine_km(*ALMATY, *ASTANA))
    assert road[0, 0] == pytest.approx(d * 1.3 / 90 * 60)
    assert heli[0, 0] == math.inf  # 973 km is beyond the default helicopter range
    assert plane[0, 0] == pytest.approx(105.0 + d * 1.05 / 400 * 60)


CSV = """site_id,H1,H2,H3
S1,12.5,30,
S2,7,inf,45
"""


def test_csv_matrix() -> None:
    m = parse_matrix_csv(CSV)
    assert m.row_ids == ("S1", "S2") and m.col_ids == ("H1", "H2", "H3")
    np.testing.assert_array_equal(m.minutes, [[12.5, 30, np.inf], [7, np.inf, 45]])
    np.testing.assert_array_equal(m.reindex(("S2",), ("H3", "H1")), [[45.0, 7.0]])
    with pytest.raises(ValueError, match="column id 'H9'"):
        m.reindex(("S1",), ("H9",))


def test_csv_file_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "tt.csv"
    path.write_text(CSV, encoding="utf-8")
    assert load_matrix_csv(path).minutes.shape == (2, 3)
    with pytest.raises(ValueError, match=r"<csv>:3: column 'H2': not a number: 'abc'"):
        parse_matrix_csv("id,H1,H2\nS1,1,2\nS2,3,abc\n")
    with pytest.raises(ValueError, match=r"<csv>:2: column 'H1': must be >= 0"):
        parse_matrix_csv("id,H1\nS1,-4\n")
    with pytest.raises(ValueError, match=r"<csv>:2: expected 3 cells, got 2"):
        parse_matrix_csv("id,H1,H2\nS1,1\n")
    with pytest.raises(ValueError, match="row_ids: ids must be unique"):
        parse_matrix_csv("id,H1\nS1,1\nS1,2\n")


def test_npz_round_trip(tmp_path: Path) -> None:
    m = TravelTimeMatrix(("a", "b"), ("H1",), np.array([[1.0], [np.inf]]))
    save_matrix_npz(tmp_path / "m.npz", m)
    back = load_matrix_npz(tmp_path / "m.npz")
    assert back.row_ids == ("a", "b") and back.col_ids == ("H1",)
    np.testing.assert_array_equal(back.minutes, m.minutes)
    np.savez(tmp_path / "bad.npz", minutes=np.zeros((1, 1)), row_ids=np.array(["a"]))
    with pytest.raises(ValueError, match="col_ids"):
        load_matrix_npz(tmp_path / "bad.npz")


def test_matrix_validation() -> None:
    with pytest.raises(ValueError, match="shape"):
        TravelTimeMatrix(("a",), ("H1", "H2"), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="NaN"):
        TravelTimeMatrix(("a",), ("H1",), np.array([[np.nan]]))

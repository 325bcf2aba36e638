"""Great-circle distances on a spherical Earth (haversine), vectorised with numpy broadcasting."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_MEAN_RADIUS_KM = 6371.0088
"""Mean Earth radius R1 = (2a + b) / 3 of the GRS 80 / WGS 84 ellipsoid, as recommended by the IUGG
(Moritz H. Geodetic Reference System 1980. Bulletin Geodesique 1980;54:395-405). Using a sphere errs by up
to about 0.5 % against the ellipsoidal (Vincenty/Karney) distance - far below road-detour uncertainty."""


def _half_angle_sin_cos(deg: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    half = np.radians(deg) / 2.0
    return np.sin(half), np.cos(half)


def _check_coordinates(lat: NDArray[np.float64], lon: NDArray[np.float64], name: str) -> None:
    if np.any(np.isnan(lat)) or np.any(np.isnan(lon)):
        raise ValueError(f"{name}: coordinates must not be NaN")
    if np.any(np.abs(lat) > 90.0):
        raise ValueError(f"{name}: latitude must be in [-90, 90] degrees")
    if np.any(~np.isfinite(lon)):
        raise ValueError(f"{name}: longitude must be finite")


def haversine_km(
    lat1_deg: ArrayLike,
    lon1_deg: ArrayLike,
    lat2_deg: ArrayLike,
    lon2_deg: ArrayLike,
    *,
    radius_km: float = EARTH_MEAN_RADIUS_KM,
) -> NDArray[np.float64]:
    """Great-circle distance by the haversine formula (Sinnott RW. Virtues of the haversine.
    Sky and Telescope 1984;68(2):159), broadcasting the two point sets against each other.

    The half-angle sines of the latitude and longitude differences are expanded with the angle-difference
    identity, so the trigonometric functions run once per input point and only products, sums, one
    square root and one arcsine run per output element (accurate to ~1e-9 relative even at metre scale).

    Args:
        lat1_deg: latitudes of the first points, degrees north (WGS 84).
        lon1_deg: longitudes of the first points, degrees east.
        lat2_deg: latitudes of the second points, degrees north; broadcast against ``lat1_deg``.
        lon2_deg: longitudes of the second points, degrees east.
        radius_km: sphere radius in km (IUGG mean radius by default).

    Returns:
        Distances in km with the broadcast shape of the inputs.

    Raises:
        ValueError: NaN coordinates or a latitude outside [-90, 90].
    """
    lat1 = np.asarray(lat1_deg, dtype=np.float64)
    lon1 = np.asarray(lon1_deg, dtype=np.float64)
    lat2 = np.asarray(lat2_deg, dtype=np.float64)
    lon2 = np.asarray(lon2_deg, dtype=np.float64)
    _check_coordinates(lat1, lon1, "first points")
    _check_coordinates(lat2, lon2, "second points")
    s_lat1, c_lat1 = _half_angle_sin_cos(lat1)
    s_lat2, c_lat2 = _half_angle_sin_cos(lat2)
    s_lon1, c_lon1 = _half_angle_sin_cos(lon1)
    s_lon2, c_lon2 = _half_angle_sin_cos(lon2)
    cos_lat1 = np.cos(np.radians(lat1))
    cos_lat2 = np.cos(np.radians(lat2))
    # sin((b - a) / 2) = sin(b/2) cos(a/2) - cos(b/2) sin(a/2)
    sin_dlat = np.asarray(s_lat2 * c_lat1 - c_lat2 * s_lat1)
    sin_dlon = np.asarray(s_lon2 * c_lon1 - c_lon2 * s_lon1)
    sin_dlat *= sin_dlat
    sin_dlon *= sin_dlon
    a = np.asarray(sin_dlat + sin_dlon * (cos_lat1 * cos_lat2))
    np.clip(a, 0.0, 1.0, out=a)
    np.sqrt(a, out=a)
    np.arcsin(a, out=a)
    a *= 2.0 * radius_km
    return a


def distance_matrix_km(
    origin_lat_deg: ArrayLike,
    origin_lon_deg: ArrayLike,
    dest_lat_deg: ArrayLike,
    dest_lon_deg: ArrayLike,
    *,
    radius_km: float = EARTH_MEAN_RADIUS_KM,
) -> NDArray[np.float64]:
    """All-pairs great-circle distances (km) between origins (rows) and destinations (columns).

    Args:
        origin_lat_deg: 1-D origin latitudes, degrees.
        origin_lon_deg: 1-D origin longitudes, degrees.
        dest_lat_deg: 1-D destination latitudes, degrees.
        dest_lon_deg: 1-D destination longitudes, degrees.
        radius_km: sphere radius (IUGG mean radius by default).

    Returns:
        Array of shape ``(n_origins, n_destinations)`` in km.
    """
    o_lat = np.asarray(origin_lat_deg, dtype=np.float64).reshape(-1, 1)
    o_lon = np.asarray(origin_lon_deg, dtype=np.float64).reshape(-1, 1)
    d_lat = np.asarray(dest_lat_deg, dtype=np.float64).reshape(1, -1)
    d_lon = np.asarray(dest_lon_deg, dtype=np.float64).reshape(1, -1)
    if o_lat.shape != o_lon.shape or d_lat.shape != d_lon.shape:
        raise ValueError("latitudes and longitudes must have the same length")
    return haversine_km(o_lat, o_lon, d_lat, d_lon, radius_km=radius_km)

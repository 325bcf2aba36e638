"""Travel times to hospitals: great-circle distance, road and air ambulance models, matrix files."""

from jedel.core.travel.geodesic import EARTH_MEAN_RADIUS_KM, distance_matrix_km, haversine_km
from jedel.core.travel.matrix_io import (
    TravelTimeMatrix,
    load_matrix_csv,
    load_matrix_npz,
    parse_matrix_csv,
    save_matrix_npz,
)
from jedel.core.travel.modes import (
    FIXED_WING,
    HELICOPTER,
    AircraftParameters,
    RoadClass,
    RoadParameters,
    TravelMode,
    air_time_min,
    road_time_min,
    travel_time_matrix_min,
)

__all__ = [
    "EARTH_MEAN_RADIUS_KM",
    "FIXED_WING",
    "HELICOPTER",
    "AircraftParameters",
    "RoadClass",
    "RoadParameters",
    "TravelMode",
    "TravelTimeMatrix",
    "air_time_min",
    "distance_matrix_km",
    "haversine_km",
    "load_matrix_csv",
    "load_matrix_npz",
    "parse_matrix_csv",
    "road_time_min",
    "save_matrix_npz",
    "travel_time_matrix_min",
]

"""The capacity board at the site root, its htmx partials and the map's JSON."""

from django.urls import path

from jedel.capacity.views import board as board_views
from jedel.capacity.views import board_data

app_name = "board"
urlpatterns = [
    path("", board_views.board_page, name="board"),
    path("about/", board_views.about_page, name="about"),
    path("board/table/", board_views.board_table_partial, name="table"),
    path("board/totals/", board_views.board_totals_partial, name="totals"),
    path("board/regions/", board_views.board_regions_partial, name="regions"),
    path("board/overdue/", board_views.overdue_partial, name="overdue"),
    path("board/regions/<str:iso>/", board_views.region_facilities_partial, name="region"),
    path("board/map.json", board_data.map_data, name="map_data"),
    path("board/regions.geojson", board_data.regions_geojson_data, name="regions_geojson"),
]

"""Supplies pages: stock overview, warehouses, catalogue, forecasts; requests and shipments; distributions."""

from django.urls import path

from jedel.supplies import urls_distribution, urls_requests, views

app_name = "supplies"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("warehouses/<int:warehouse_id>/", views.warehouse_page, name="warehouse"),
    path("counts/import/", views.count_import_action, name="count_import"),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("forecast/", views.forecast_page, name="forecast"),
    *urls_requests.urlpatterns,
    *urls_distribution.urlpatterns,
]

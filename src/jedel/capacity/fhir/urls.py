"""/fhir/ URL map (mounted by config/urls.py)."""

from django.urls import path, re_path

from jedel.capacity.fhir import views

_ID = r"(?P<resource_id>[A-Za-z0-9\-.]{1,64})"

urlpatterns = [
    path("metadata", views.metadata, name="fhir-metadata"),
    path("Location", views.location_search, name="fhir-location-search"),
    re_path(rf"^Location/{_ID}$", views.location_read, name="fhir-location-read"),
    path("Organization", views.organization_search, name="fhir-organization-search"),
    re_path(rf"^Organization/{_ID}$", views.organization_read, name="fhir-organization-read"),
    path("MeasureReport", views.measure_report_search, name="fhir-measurereport-search"),
    path("Measure", views.measure_search, name="fhir-measure-search"),
    re_path(rf"^Measure/{_ID}$", views.measure_read, name="fhir-measure-read"),
    path("CodeSystem", views.codesystem_search, name="fhir-codesystem-search"),
    re_path(rf"^CodeSystem/{_ID}$", views.codesystem_read, name="fhir-codesystem-read"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="fhir-not-found"),
]

"""Facility pages: status and history, and the capacity report form."""

from django.urls import path

from jedel.capacity.views import confirm, facility, report

app_name = "facilities"
urlpatterns = [
    path("<str:code>/", facility.facility_page, name="detail"),
    path("<str:code>/report/", report.report_page, name="report"),
    path("<str:code>/confirm/", confirm.confirm_unchanged, name="confirm"),
]

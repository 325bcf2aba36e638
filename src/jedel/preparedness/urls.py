"""Preparedness pages: readiness, HSI assessments, remediation tasks."""

from django.urls import path

from jedel.preparedness import views

app_name = "preparedness"
urlpatterns = [
    path("", views.readiness_page, name="readiness"),
    path("hsi/new/", views.create_action, name="create"),
    path("hsi/<int:assessment_id>/", views.assessment_page, name="assessment"),
    path("hsi/<int:assessment_id>/rate/", views.rate_action, name="rate"),
    path("hsi/<int:assessment_id>/remediation/", views.remediation_action, name="remediation"),
    path("hsi/<int:assessment_id>/compare/", views.compare_page, name="compare"),
    path("tasks/<int:task_id>/", views.task_action, name="task"),
]

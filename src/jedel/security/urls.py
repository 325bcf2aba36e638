"""Security pages: consoles, the panic page, the overview."""

from django.urls import path

from jedel.security import views, views_analytics, views_posture, views_registry

app_name = "security"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("panic/", views.panic_page, name="panic"),
    path("console/<int:facility_id>/", views.console_page, name="console"),
    path("console/<int:facility_id>/heartbeat/", views.heartbeat_action, name="heartbeat"),
    path("console/<int:facility_id>/alerts/<int:alert_id>/acknowledge/", views.acknowledge_action,
         name="acknowledge"),
    path("console/<int:facility_id>/alerts/<int:alert_id>/resolve/", views.resolve_action, name="resolve"),
    path("facility/<int:facility_id>/", views_posture.posture_page, name="posture"),
    path("facility/<int:facility_id>/buttons/", views_posture.button_action, name="buttons"),
    path("analytics/", views_analytics.analytics_page, name="analytics"),
    path("analytics.csv", views_analytics.analytics_csv, name="analytics_csv"),
    path("report/<int:year>/<int:month>/", views_analytics.monthly_report, name="report"),
    path("report/<int:year>/<int:month>.pdf", views_analytics.monthly_report_pdf, name="report_pdf"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("incidents/", views_registry.incidents_page, name="incidents"),
    path("incidents/new/", views_registry.record_page, name="record"),
    path("incidents/<int:incident_id>/", views_registry.incident_page, name="incident"),
    path("evidence/<int:evidence_id>/", views_registry.evidence_action, name="evidence"),
]

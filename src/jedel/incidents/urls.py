"""Incident pages."""

from django.urls import path

from jedel.incidents import board_views, views, views_offline, views_reunification, views_walkins

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list_page, name="list"),
    path("declare/", views.declare_page, name="declare"),
    path("find/", views_reunification.reunification_page, name="reunification"),
    path("<int:incident_id>/tags/", views_reunification.tags_page, name="tags"),
    path("<int:incident_id>/scan/", views_reunification.scan_page, name="scan"),
    path("<int:incident_id>/", views.incident_page, name="incident"),
    path("<int:incident_id>/stand-down/", views.incident_action, {"action": "stand-down"}, name="stand_down"),
    path("<int:incident_id>/close/", views.incident_action, {"action": "close"}, name="close"),
    path("<int:incident_id>/roles/", views.incident_action, {"action": "role"}, name="role"),
    path("<int:incident_id>/casualties/new/", views.casualty_register_page, name="register"),
    path("<int:incident_id>/casualties/new/offline-sw.js", views_offline.register_worker, name="register_worker"),
    path("<int:incident_id>/casualties/<str:tag>/", views.casualty_page, name="casualty"),
    path("<int:incident_id>/board/", board_views.board_page, name="board"),
    path("<int:incident_id>/plan/accept/", board_views.plan_accept_action, name="plan_accept"),
    path("<int:incident_id>/assign/<str:tag>/", board_views.assign_page, name="assign"),
    path("<int:incident_id>/incoming/", board_views.incoming_page, name="incoming"),
    path("<int:incident_id>/walk-ins/", views_walkins.walkin_page, name="walkins"),
]

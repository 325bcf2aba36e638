"""Notice pages, duty rosters and alerting statistics."""

from django.urls import path

from jedel.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("sent/", views.sent_page, name="sent"),
    path("send/", views.send_page, name="send"),
    path("rosters/", views.roster_page, name="rosters"),
    path("stats/", views.stats_page, name="stats"),
    path("<int:notice_id>/", views.notice_page, name="notice"),
    path("deliveries/<int:delivery_id>/answer/", views.answer_action, name="answer"),
]

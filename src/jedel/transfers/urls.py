from django.urls import path

from jedel.transfers import views, views_assets, views_dispatch

app_name = "transfers"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("new/", views.request_page, name="new"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("<int:transfer_id>/", views.detail_page, name="detail"),
    path("<int:transfer_id>/action/", views.action_post, name="action"),
    path("dispatch/", views_dispatch.dispatch_page, name="dispatch"),
    path("national/", views_dispatch.national_page, name="national"),
    path("assets/", views_assets.assets_page, name="assets"),
    path("stats/", views_dispatch.stats_page, name="stats"),
    path("stats.csv", views_dispatch.stats_csv, name="stats_csv"),
]

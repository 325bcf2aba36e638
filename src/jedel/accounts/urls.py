from django.urls import path

from jedel.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("audit/", views.audit_page, name="audit"),
]

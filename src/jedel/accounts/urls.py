from django.urls import path

from jedel.accounts import views, views_admin

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("audit/", views.audit_page, name="audit"),
    path("users/", views_admin.users_page, name="users"),
    path("users/<str:username>/password/", views_admin.password_page, name="password"),
    path("users/<str:username>/<str:action>/", views_admin.user_action, name="user_action"),
    path("tokens/", views_admin.tokens_page, name="tokens"),
    path("tokens/<int:token_id>/<str:action>/", views_admin.token_action, name="token_action"),
]

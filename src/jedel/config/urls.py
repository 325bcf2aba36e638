"""URL map: the API under /api/, pages at the root, language switching under /i18n/."""

from django.urls import include, path

from jedel.config.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("jedel.accounts.urls")),
    path("facilities/", include("jedel.capacity.facility_urls")),
    path("", include("jedel.capacity.board_urls")),
]

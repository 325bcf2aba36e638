"""URL map: the API under /api/, pages at the root, language switching under /i18n/; site-styled errors."""

from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from jedel.config.api import api

handler400 = "jedel.common.views.bad_request"
handler403 = "jedel.common.views.permission_denied"
handler404 = "jedel.common.views.page_not_found"
handler500 = "jedel.common.views.server_error"

urlpatterns = [
    path("api/", api.urls),
    path("fhir/", include("jedel.capacity.fhir.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("jedel.accounts.urls")),
    path("facilities/", include("jedel.capacity.facility_urls")),
    path("notices/", include("jedel.notifications.urls")),
    path("incidents/", include("jedel.incidents.urls")),
    path("preparedness/", include("jedel.preparedness.urls")),
    path("security/", include("jedel.security.urls")),
    path("supplies/", include("jedel.supplies.urls")),
    path("transfers/", include("jedel.transfers.urls")),
    # Browsers and tools ask for /favicon.ico whatever the page says; the icon is the SVG in common/static.
    path("favicon.ico", RedirectView.as_view(url=static("common/favicon.svg"), permanent=True)),
    path("", include("jedel.capacity.board_urls")),
]

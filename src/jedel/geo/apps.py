from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "jedel.geo"
    label = "geo"
    verbose_name = _("Geography")

    def ready(self) -> None:
        # Declares the app's actions and target resolvers with the one policy.
        from jedel.geo import permissions  # noqa: F401

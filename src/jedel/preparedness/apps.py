from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparednessConfig(AppConfig):
    name = "jedel.preparedness"
    label = "preparedness"
    verbose_name = _("Preparedness")

    def ready(self) -> None:
        # Declares the app's actions and permission targets with the one policy.
        from jedel.preparedness import permissions  # noqa: F401

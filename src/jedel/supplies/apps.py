from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "jedel.supplies"
    label = "supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        # Declares the app's actions and permission targets with the one policy.
        from jedel.supplies import permissions  # noqa: F401

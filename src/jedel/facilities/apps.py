from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "jedel.facilities"
    label = "facilities"
    verbose_name = _("Facility registry")

    def ready(self) -> None:
        # Declares the app's actions and target resolvers with the one policy.
        from jedel.facilities import permissions  # noqa: F401

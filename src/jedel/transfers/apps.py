from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "jedel.transfers"
    label = "transfers"
    verbose_name = _("Transfers")

    def ready(self) -> None:
        # Declares the app's actions and permission targets with the one policy.
        from jedel.transfers import permissions  # noqa: F401

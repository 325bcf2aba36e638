from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "jedel.capacity"
    label = "capacity"
    verbose_name = _("Capacity reporting and the national board")

    def ready(self) -> None:
        # Declares the app's actions with the one policy, and its real-time stream.
        from jedel.capacity import permissions, realtime  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "jedel.notifications"
    label = "notifications"
    verbose_name = _("Notifications and duty rosters")

    def ready(self) -> None:
        # Declares the app's actions with the one policy.
        from jedel.notifications import permissions, realtime  # noqa: F401

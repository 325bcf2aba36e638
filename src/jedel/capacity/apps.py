from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "jedel.capacity"
    label = "capacity"
    verbose_name = _("Capacity reporting and the national board")

    def ready(self) -> None:
        # Declares the app's actions with the one policy, and its real-time stream.
        from jedel.capacity import permissions, realtime  # noqa: F401
        from jedel.capacity.overdue_notices import EVERY_S, overdue_notices_send
        from jedel.notifications import periodic

        # Overdue reports are reminded through the notification worker (it cannot import this app).
        periodic.register("capacity.overdue", overdue_notices_send, every_s=EVERY_S)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "jedel.incidents"
    label = "incidents"
    verbose_name = _("Mass-casualty incidents and casualty tracking")

    def ready(self) -> None:
        # Declares the app's actions and permission targets with the one policy, and its real-time stream.
        from jedel.incidents import permissions, realtime  # noqa: F401

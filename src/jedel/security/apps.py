from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "jedel.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        # Declares the app's actions and permission targets with the one policy.
        from jedel.security import permissions  # noqa: F401

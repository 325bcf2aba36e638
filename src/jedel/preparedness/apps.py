from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparednessConfig(AppConfig):
    name = "jedel.preparedness"
    label = "preparedness"
    verbose_name = _("Preparedness")

    def ready(self) -> None:
        # Declares the app's actions and permission targets with the one policy.
        from jedel.notifications import periodic
        from jedel.preparedness import permissions  # noqa: F401
        from jedel.preparedness.review_notices import EVERY_S, plan_review_notices_send

        # Overdue plan reviews are reminded through the notification worker (it cannot import this app).
        periodic.register("preparedness.plan_review", plan_review_notices_send, every_s=EVERY_S)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "jedel.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        # Declares the app's actions and permission targets with the one policy.
        from jedel.security import permissions  # noqa: F401
        # Alerts whose page a dying server never sent are paged by the notification worker's tick.
        from jedel.notifications import periodic
        from jedel.security.services.panic import pages_ensure

        periodic.register("security_pages_ensure", pages_ensure, every_s=2)
        # The compliance trend's daily figures (idempotent per day).
        from jedel.security.services.snapshots import compliance_snapshot_take

        periodic.register("security_compliance_snapshot", compliance_snapshot_take, every_s=3600)
        # A panic page acknowledged in someone's inbox acknowledges the alert on the console too.
        from jedel.notifications.models import NoticeKind
        from jedel.notifications.services.answers import on_acknowledged
        from jedel.security.services.panic import alert_taken_from_inbox

        on_acknowledged(NoticeKind.PANIC_ALERT.value, alert_taken_from_inbox)

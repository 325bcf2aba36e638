from datetime import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "jedel.transfers"
    label = "transfers"
    verbose_name = _("Transfers")

    def ready(self) -> None:
        # Declares the app's actions and permission targets with the one policy.
        from jedel.transfers import permissions  # noqa: F401
        # Requests still open past their urgency's deadline expire on the notification worker's tick, without a
        # person sweeping them (idempotent: an expired request is no longer open).
        from jedel.notifications import periodic

        periodic.register("transfers_expire", _expire_due, every_s=60)


def _expire_due(now: datetime) -> int:
    from jedel.accounts.services import SYSTEM
    from jedel.transfers.services.requests import transfers_expire

    transfers_expire(actor=SYSTEM, now=now)
    return 0  # expiring sends no notices of its own

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jedel.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self) -> None:
        # Declares the app's actions and target resolvers with the one policy.
        from jedel.accounts import permissions  # noqa: F401

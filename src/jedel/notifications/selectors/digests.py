"""Digest rules: the list for coordinators, and each person's preference for one notice kind."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.core.alerting import Preference, preference_for
from jedel.notifications.models import DigestRule
from jedel.notifications.permissions import VIEW_DIGEST_RULES


def digest_rules_list(viewer: Principal) -> list[DigestRule]:
    """Every rule: the role rules first, then the people's own, by kind."""
    require(viewer, VIEW_DIGEST_RULES)
    return list(DigestRule.objects.select_related("user").order_by(F("user_id").asc(nulls_first=True), "role", "kind",
                                                                   "pk"))


class Preferences:
    """The rules for one notice kind, read once per level: who wants it immediately, who in a digest."""

    def __init__(self, kind: str, user_ids: Iterable[int]) -> None:
        self.by_role: dict[str, Preference] = {}
        self.by_user: dict[int, Preference] = {}
        for rule in DigestRule.objects.filter(kind=kind).filter(user__isnull=True):
            self.by_role[rule.role] = Preference(rule.every_min)
        for rule in DigestRule.objects.filter(kind=kind, user_id__in=list(user_ids)):
            self.by_user[rule.user_id] = Preference(rule.every_min)

    def of(self, user_id: int, role: str) -> Preference:
        return preference_for(person=self.by_user.get(user_id), role=self.by_role.get(role))

"""Setting the digest rules (national coordinators), and finding the digest a held delivery joins."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import ngettext

from jedel.accounts.models import Role, User
from jedel.accounts.policy import NATIONAL, Principal
from jedel.accounts.services import audit_record, require
from jedel.common.errors import DomainError, NotFound
from jedel.core.alerting import MAX_EVERY_MIN, MIN_EVERY_MIN
from jedel.notifications.errors import NoticeError
from jedel.notifications.models import Delivery, Digest, DigestRule, NoticeKind
from jedel.notifications.permissions import MANAGE_DIGEST_RULES


def digest_rule_set(*, actor: Principal, kind: str, mode: str, every_min: int | None = None, role: str = "",
                    user_id: int | None = None) -> DigestRule:
    """Create or replace the rule for (`role` or person `user_id`, `kind`): `mode` "immediate", or "digest"
    every `every_min` minutes."""
    require(actor, MANAGE_DIGEST_RULES, NATIONAL, object_type="digest_rule")
    if mode not in ("immediate", "digest") or (mode == "digest" and every_min is None):
        raise DomainError(NoticeError.BAD_DIGEST_RULE, field="every_min")
    every_min = every_min if mode == "digest" else None
    if kind not in NoticeKind.values or bool(role) == (user_id is not None) \
            or (role and role not in Role.values) \
            or (every_min is not None and not MIN_EVERY_MIN <= every_min <= MAX_EVERY_MIN):
        raise DomainError(NoticeError.BAD_DIGEST_RULE, field="rule")
    if user_id is not None and not User.objects.filter(pk=user_id).exists():
        raise DomainError(NoticeError.BAD_DIGEST_RULE, field="user")
    with transaction.atomic():
        rule, _ = DigestRule.objects.update_or_create(kind=kind, role=role, user_id=user_id,
                                                      defaults={"every_min": every_min})
        audit_record(actor=actor, action=MANAGE_DIGEST_RULES.name, object_type="digest_rule", object_id=rule.pk,
                     changes={"kind": kind, "role": role, "user": user_id, "every_min": every_min})
    return rule


def digest_rule_delete(*, actor: Principal, rule_id: int) -> None:
    """Remove a rule: its role or person goes back to the role's rule, or to immediate."""
    require(actor, MANAGE_DIGEST_RULES, NATIONAL, object_type="digest_rule", object_id=rule_id)
    with transaction.atomic():
        rule = DigestRule.objects.select_for_update().filter(pk=rule_id).first()
        if rule is None:
            raise NotFound(NoticeError.NOT_FOUND)
        audit_record(actor=actor, action=MANAGE_DIGEST_RULES.name, object_type="digest_rule", object_id=rule_id,
                     changes={"deleted": True, "kind": rule.kind, "role": rule.role, "user": rule.user_id})
        rule.delete()


def digest_for(delivery: Delivery, *, due_at: datetime, every_min: int, exercise: bool) -> Digest:
    """The recipient's digest for this channel and period (made on first use; one per period)."""
    digest, _ = Digest.objects.get_or_create(
        recipient_id=delivery.recipient_id, channel=delivery.channel, exercise=exercise, due_at=due_at,
        defaults={"address": delivery.address, "every_min": every_min, "next_attempt_at": due_at})
    return digest



def digest_message(items: list[Delivery], *, exercise: bool) -> tuple[str, str]:
    """The subject and text of one digest: every held notice, oldest first, with its kind, time and title."""
    mark = "[EXERCISE] " if exercise else ""
    subject = ngettext("Jedel: %(count)d notice", "Jedel: %(count)d notices", len(items)) % {"count": len(items)}
    lines = []
    for number, item in enumerate(items, start=1):
        notice = item.notice
        line = f"{number}. {notice.created_at:%H:%M} UTC · {NoticeKind(notice.kind).label} · {notice.title}"
        lines.append(f"{line}\n{notice.body}" if notice.body else line)
    return f"{mark}{subject}", "\n\n".join(lines)

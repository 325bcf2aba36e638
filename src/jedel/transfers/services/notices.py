"""Notices of a transfer through the notifications app: the receiving facility (its admissions chain, which
escalates to the region and NCCEM) and the NCCEM duty officer. A notice nobody can receive is written on the
transfer's timeline instead of failing the request: the request itself is what matters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import DomainError
from jedel.facilities.models import Facility
from jedel.notifications.models import Desk, NoticeKind, Priority
from jedel.notifications.services.sending import facility_chain, notice_send
from jedel.transfers.models import Transfer, TransferEvent


def _levels_for(facility: Facility) -> list[list[dict[str, Any]]]:
    levels = facility_chain(facility.pk, facility.region_id)
    if not any("position" in spec for level in levels for spec in level):
        levels = [[{"role": Role.FACILITY_MANAGER.value, "facility": facility.pk}],
                  [{"role": Role.CLINICIAN.value, "facility": facility.pk}], *levels]
    return levels


def _nccem_levels() -> list[list[dict[str, Any]]]:
    desk = Desk.objects.filter(kind="nccem_duty").first()
    return [[{"desk": desk.pk}]] if desk else [[{"role": Role.NATIONAL_COORDINATOR.value}]]


def _summary(transfer: Transfer) -> str:
    return _("Transfer %(ref)s from %(origin)s: %(urgency)s; %(diagnosis)s") % {
        "ref": transfer.reference, "origin": transfer.origin.name, "urgency": transfer.get_urgency_display(),
        "diagnosis": transfer.diagnosis[:120]}


def _send(*, actor: Principal, transfer: Transfer, title: str, levels: list[list[dict[str, Any]]],
          facility_id: int | None, key: str, now: datetime) -> Any:
    sender = Principal(label=actor.label, role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL,
                       user_id=actor.user_id)  # sent on the transfer's authority, like incidents' notices
    body = "\n".join([_summary(transfer), reverse("transfers:detail", args=[transfer.pk])])
    try:
        with transaction.atomic():
            return notice_send(actor=sender, kind=NoticeKind.TRANSFER_REQUEST, title=title, body=body,
                               priority=Priority.EMERGENCY if transfer.urgency == "emergency" else Priority.URGENT,
                               levels=levels, facility_id=facility_id, exercise=transfer.exercise, dedupe_key=key,
                               data={"transfer": transfer.pk, "state": transfer.state}, now=now).notice
    except DomainError as exc:
        TransferEvent.objects.create(transfer=transfer, at=now, state=transfer.state, kind="not_notified",
                                     actor_id=actor.user_id, actor_label=actor.label[:200], facility_id=facility_id,
                                     data={"code": exc.code.value})
        return None


def receiving_notify(*, actor: Principal, transfer: Transfer, now: datetime) -> Any:
    """Ask the named receiving facility to accept or decline."""
    assert transfer.destination is not None
    title = _("Transfer request %(ref)s: please accept or decline") % {"ref": transfer.reference}
    return _send(actor=actor, transfer=transfer, title=title, levels=_levels_for(transfer.destination),
                 facility_id=transfer.destination_id, key=f"transfer:{transfer.pk}:{transfer.destination_id}",
                 now=now)


def nccem_notify(*, actor: Principal, transfer: Transfer, now: datetime, what: str) -> Any:
    """Tell the NCCEM duty officer (`what`: requested / rejected / accepted)."""
    titles = {"requested": _("New transfer request %(ref)s"), "rejected": _("Transfer %(ref)s declined"),
              "accepted": _("Transfer %(ref)s accepted: arrange transport")}
    return _send(actor=actor, transfer=transfer, title=titles[what] % {"ref": transfer.reference},
                 levels=_nccem_levels(), facility_id=None, key=f"transfer:{transfer.pk}:nccem:{what}", now=now)

"""Distributions to people: the event, the households served, and what each received (taken from stock).

Every write requires `distribute_supplies` on the distribution (its region, and its warehouse's region and
facility), runs in one transaction with its audit record, and locks the event row first, so a close and a
handout cannot interleave: a closed distribution refuses every further write. A handout takes its units from
the distribution's warehouse through the ledger (kind `distribution`, reference `distribution:<id>`); when too
little is on hand nothing is written. Households' names and phones never enter the audit trail.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db import IntegrityError, transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.geo.models import Region
from jedel.supplies import selectors
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import Category, EntryKind
from jedel.supplies.models_distribution import DistributionEvent, Handout, Household
from jedel.supplies.permissions import DISTRIBUTE
from jedel.supplies.services.ledger import item_get, take, warehouse_for

MAX_HOUSEHOLD_SIZE = 100  # larger "households" are a typing slip (or a whole shelter: record it as several)
MAX_HANDOUT_UNITS = 100_000
_GENERATED = re.compile(r"^H-(\d{1,15})$")


def clean_text(value: str, field: str, *, limit: int, required: bool = False) -> str:
    """Stripped text within `limit` characters; NUL is refused (PostgreSQL cannot store it)."""
    value = (value or "").strip()
    if "\x00" in value or len(value) > limit or (required and not value):
        raise DomainError(SupplyError.INVALID, field=field)
    return value


def distribution_for(actor: Principal | None, distribution_id: int, *, lock: bool = False) -> DistributionEvent:
    """The distribution (404 when none) once `actor` may distribute there (403 otherwise).

    With `lock`, the row is read again under a row lock (call inside a transaction) and must still be open.
    """
    event = DistributionEvent.objects.select_related("warehouse").filter(pk=distribution_id).first()
    if event is None:
        raise NotFound(SupplyError.DISTRIBUTION_NOT_FOUND, field="distribution")
    require(actor, DISTRIBUTE, event, object_type="distribution", object_id=event.pk)
    if lock:
        event = DistributionEvent.objects.select_for_update().select_related("warehouse").get(pk=event.pk)
        if event.closed_at is not None:
            raise Conflict(SupplyError.DISTRIBUTION_CLOSED, field="distribution")
    return event


def _audit(actor: Principal, action: str, event: DistributionEvent, changes: dict[str, object],
           now: datetime) -> None:
    audit_record(actor=actor, action=action, object_type="distribution", object_id=event.pk,
                 region_id=event.region_id, facility_id=event.warehouse.facility_id, now=now, changes=changes)


def _incident_exists(incident_id: int) -> bool:
    # Supplies sits beside incidents on the app ladder: the incident is looked up through the foreign key's
    # model, never by importing the incidents app.
    incident_model = DistributionEvent._meta.get_field("incident").related_model
    return incident_model.objects.filter(pk=incident_id).exists()  # type: ignore[union-attr]


def distribution_create(*, actor: Principal | None, warehouse_id: int, region_id: int, place: str, on: date,
                        partner: str = "", incident_id: int | None = None, lat: float | None = None,
                        lon: float | None = None, now: datetime | None = None) -> DistributionEvent:
    """Open a distribution at `place` on `on`, from a warehouse the actor may distribute from."""
    warehouse = warehouse_for(actor, warehouse_id, DISTRIBUTE)
    assert actor is not None
    place = clean_text(place, "place", limit=200, required=True)
    partner = clean_text(partner, "partner", limit=200)
    if not Region.objects.filter(pk=region_id).exists():
        raise DomainError(SupplyError.INVALID, field="region")
    if incident_id is not None and not _incident_exists(incident_id):
        raise DomainError(SupplyError.INCIDENT_NOT_FOUND, field="incident")
    if (lat is None) != (lon is None):
        raise DomainError(SupplyError.INVALID, field="lat" if lat is None else "lon")
    if lat is not None and lon is not None and not (40.0 <= lat <= 56.0 and 46.0 <= lon <= 88.0):
        raise DomainError(SupplyError.INVALID, field="lat")  # outside Kazakhstan's bounding box (NaN included)
    now = now or utcnow()
    with transaction.atomic():
        event = DistributionEvent.objects.create(warehouse=warehouse, region_id=region_id, place=place, lat=lat,
                                                 lon=lon, on=on, partner=partner, incident_id=incident_id,
                                                 created_by_label=actor.label[:200])
        _audit(actor, "distribution_create", event, {"warehouse": warehouse.code, "place": place,
                                                     "on": on.isoformat(), "partner": partner,
                                                     "incident": incident_id}, now)
    return event


def _next_reference(event: DistributionEvent) -> str:
    """H-0001, H-0002, …: one past the highest generated-style number here (typed references such as "A-17"
    do not count; a typed "H-0040" does, so the next one is H-0041 and never collides).

    The caller holds the event's row lock, so two volunteers adding households at once get different numbers.
    """
    numbers = [int(m.group(1)) for ref in event.households.values_list("reference", flat=True)
               if (m := _GENERATED.match(ref))]
    return f"H-{max(numbers, default=0) + 1:04d}"


def household_add(*, actor: Principal | None, distribution_id: int, size: int, head_name: str = "",
                  phone: str = "", reference: str | None = None, now: datetime | None = None) -> Household:
    """Record a household served; `reference` (the number on its card) is generated when not given."""
    distribution_for(actor, distribution_id)
    assert actor is not None
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise DomainError(SupplyError.NOT_POSITIVE, field="size")
    if size > MAX_HOUSEHOLD_SIZE:
        raise DomainError(SupplyError.INVALID, field="size")
    head_name = clean_text(head_name, "head_name", limit=200)
    phone = clean_text(phone, "phone", limit=30)
    if reference is not None:
        reference = clean_text(reference, "reference", limit=20, required=True)
    now = now or utcnow()
    try:
        with transaction.atomic():
            event = distribution_for(actor, distribution_id, lock=True)
            if reference is not None and event.households.filter(reference=reference).exists():
                raise Conflict(SupplyError.HOUSEHOLD_EXISTS, field="reference")
            household = Household.objects.create(distribution=event, size=size, head_name=head_name, phone=phone,
                                                 reference=reference or _next_reference(event))
            _audit(actor, "household_add", event, {"household": household.reference, "size": size,
                                                   "named": bool(head_name), "phone_given": bool(phone)}, now)
    except IntegrityError:  # the unique constraint, should a check above ever be bypassed
        raise Conflict(SupplyError.HOUSEHOLD_EXISTS, field="reference") from None
    return household


def handout_record(*, actor: Principal | None, distribution_id: int, household_id: int | None, item_id: int,
                   quantity: int, now: datetime | None = None) -> Handout:
    """Give `quantity` units of an item (to a household, or in bulk), taken from the distribution's warehouse.

    A kit handout records the kit's current version, so later feedback is read against what was given.
    """
    distribution_for(actor, distribution_id)
    assert actor is not None
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise DomainError(SupplyError.NOT_POSITIVE, field="quantity")
    if quantity > MAX_HANDOUT_UNITS:
        raise DomainError(SupplyError.INVALID, field="quantity")
    item = item_get(item_id)
    kit_version = None
    if item.category == Category.KIT:
        kit_version = selectors.kit_version_current(item.pk)
        if kit_version is None:
            raise DomainError(SupplyError.KIT_VERSION_NOT_FOUND, field="item")
    now = now or utcnow()
    with transaction.atomic():
        event = distribution_for(actor, distribution_id, lock=True)
        household = None
        if household_id is not None:
            household = event.households.filter(pk=household_id).first()
            if household is None:
                raise NotFound(SupplyError.HOUSEHOLD_NOT_FOUND, field="household")
        if not event.warehouse.active:
            raise Conflict(SupplyError.WAREHOUSE_INACTIVE, field="warehouse")
        # Raises INSUFFICIENT_STOCK (409) when too little is on hand; leaving the block rolls everything back.
        take(event.warehouse, item, quantity, EntryKind.DISTRIBUTION, actor_label=actor.label, now=now,
             reference=f"distribution:{event.pk}",
             note=f"household {household.reference}" if household else "bulk")
        handout = Handout.objects.create(distribution=event, household=household, item=item,
                                         kit_version=kit_version, quantity=quantity, at=now)
        _audit(actor, "handout_record", event, {"item": item.code, "quantity": quantity,
                                                "household": household.reference if household else None,
                                                "kit_version": kit_version.number if kit_version else None}, now)
    return handout


def distribution_close(*, actor: Principal | None, distribution_id: int,
                       now: datetime | None = None) -> DistributionEvent:
    """Close a distribution: no more households, handouts or feedback (409 distribution_closed when closed)."""
    distribution_for(actor, distribution_id)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        event = distribution_for(actor, distribution_id, lock=True)
        event.closed_at = now
        event.version += 1
        event.save(update_fields=["closed_at", "version", "updated_at"])
        _audit(actor, "distribution_close", event, {"households": event.households.count()}, now)
    return event

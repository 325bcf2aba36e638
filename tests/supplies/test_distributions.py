"""Distributions to people: handouts take exact stock through the ledger, refusals write nothing, household
references, closed distributions, permissions and need-to-know on households' names."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jedel.accounts.models import AuditEvent
from jedel.common.errors import DomainError
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import LedgerEntry
from jedel.supplies.models_distribution import FeedbackForm, Handout, Household
from jedel.supplies.selectors_distribution import distribution_get, distribution_list, household_list
from jedel.supplies.services.distributions import (
    distribution_close, distribution_create, handout_record, household_add,
)
from jedel.supplies.services.feedback import feedback_record
from jedel.supplies.services.ledger import on_hand, stock_receive
from tests.supplies.conftest import p

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 10, 6, 0, tzinfo=UTC)


def opened(depot, who="aktobe_log", warehouse="aktobe"):
    """A distribution in Aktobe region from the region's warehouse (Kandyagash school, 10 April 2026)."""
    return distribution_create(actor=p(depot["people"][who]), warehouse_id=depot[warehouse].pk,
                               region_id=depot["aktobe_region"].pk, place="School No. 3, Kandyagash",
                               on=date(2026, 4, 10), partner="Kazakh Red Crescent", lat=49.47, lon=57.42, now=T0)


def stocked(depot, code, quantity, *, lot="", expires_on=None, warehouse="aktobe"):
    stock_receive(actor=p(depot["people"]["aktobe_log"]), warehouse_id=depot[warehouse].pk,
                  item_id=depot["items"][code].pk, quantity=quantity, lot=lot, expires_on=expires_on, now=T0)


def code_of(call) -> tuple[str, int]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code.value, caught.value.status


def test_handouts_take_exact_stock_first_expiry_first_with_distribution_entries(depot):
    log, items = p(depot["people"]["aktobe_log"]), depot["items"]
    stocked(depot, "soap", 5, lot="S-A", expires_on=date(2027, 1, 31))
    stocked(depot, "soap", 10, lot="S-B", expires_on=date(2028, 6, 30))
    stocked(depot, "hygiene-kit", 10)
    event = opened(depot)
    family = household_add(actor=log, distribution_id=event.pk, size=5)
    soap = handout_record(actor=log, distribution_id=event.pk, household_id=family.pk, item_id=items["soap"].pk,
                          quantity=7, now=T0)
    kits = handout_record(actor=log, distribution_id=event.pk, household_id=None, item_id=items["hygiene-kit"].pk,
                          quantity=2, now=T0)
    # 15 - 7 = 8 bars of soap (the 5 of lot S-A, expiring first, then 2 of S-B); 10 - 2 = 8 kits.
    assert on_hand(depot["aktobe"].pk, items["soap"].pk) == 8
    assert on_hand(depot["aktobe"].pk, items["hygiene-kit"].pk) == 8
    entries = LedgerEntry.objects.filter(kind="distribution").order_by("pk")
    assert [(e.item.code, e.batch.lot, e.quantity, e.reference) for e in entries] == [
        ("soap", "S-A", -5, f"distribution:{event.pk}"), ("soap", "S-B", -2, f"distribution:{event.pk}"),
        ("hygiene-kit", "", -2, f"distribution:{event.pk}")]
    assert (soap.kit_version, soap.household, kits.kit_version, kits.household) == \
        (None, family, depot["kit_v1"], None)
    row = distribution_list(log)[0]
    assert (row.households, row.persons, row.items_given) == (1, 5, 9)
    view = distribution_get(p(depot["people"]["viewer"]), event.pk)
    assert [(g.item.code, g.kit_version.number if g.kit_version else None, g.quantity) for g in view.given] == [
        ("hygiene-kit", 1, 2), ("soap", None, 7)]
    assert view.kit_versions == [depot["kit_v1"]]


def test_a_handout_beyond_stock_is_refused_and_writes_nothing(depot):
    log = p(depot["people"]["aktobe_log"])
    stocked(depot, "soap", 3, lot="S-A", expires_on=date(2027, 1, 31))
    stocked(depot, "soap", 2, lot="S-B", expires_on=date(2028, 6, 30))
    event = opened(depot)
    before = (LedgerEntry.objects.count(), Handout.objects.count(), AuditEvent.objects.filter(outcome="ok").count())
    assert code_of(lambda: handout_record(actor=log, distribution_id=event.pk, household_id=None,
                                          item_id=depot["items"]["soap"].pk, quantity=6, now=T0)) == \
        ("insufficient_stock", 409)
    # The first lot's 3 units were taken before the second proved short; the rollback undid it.
    assert (LedgerEntry.objects.count(), Handout.objects.count(),
            AuditEvent.objects.filter(outcome="ok").count()) == before
    assert on_hand(depot["aktobe"].pk, depot["items"]["soap"].pk) == 5
    handout_record(actor=log, distribution_id=event.pk, household_id=None, item_id=depot["items"]["soap"].pk,
                   quantity=5, now=T0)
    assert on_hand(depot["aktobe"].pk, depot["items"]["soap"].pk) == 0


def test_household_references_are_generated_per_distribution_and_unique(depot):
    log = p(depot["people"]["aktobe_log"])
    first, second = opened(depot), opened(depot)
    refs = [household_add(actor=log, distribution_id=first.pk, size=3).reference for _ in range(2)]
    typed = household_add(actor=log, distribution_id=first.pk, size=2, reference=" A-17 ").reference
    after_typed = household_add(actor=log, distribution_id=first.pk, size=2).reference
    household_add(actor=log, distribution_id=first.pk, size=1, reference="H-0040")
    after_jump = household_add(actor=log, distribution_id=first.pk, size=1).reference
    assert (refs, typed, after_typed, after_jump) == (["H-0001", "H-0002"], "A-17", "H-0003", "H-0041")
    assert household_add(actor=log, distribution_id=second.pk, size=4).reference == "H-0001"
    assert code_of(lambda: household_add(actor=log, distribution_id=first.pk, size=2, reference="A-17")) == \
        ("household_exists", 409)
    assert code_of(lambda: household_add(actor=log, distribution_id=first.pk, size=0)) == ("not_positive", 422)
    assert code_of(lambda: household_add(actor=log, distribution_id=first.pk, size=101)) == ("invalid", 422)
    assert code_of(lambda: household_add(actor=log, distribution_id=first.pk, size=2, reference="x" * 21)) == \
        ("invalid", 422)
    assert Household.objects.filter(distribution=first).count() == 6


def test_a_closed_distribution_refuses_every_further_write(depot):
    log = p(depot["people"]["aktobe_log"])
    stocked(depot, "soap", 10)
    event = opened(depot)
    household = household_add(actor=log, distribution_id=event.pk, size=2)
    closed = distribution_close(actor=log, distribution_id=event.pk, now=T0)
    assert (closed.closed_at, closed.version) == (T0, 2)
    before = (Household.objects.count(), Handout.objects.count(), FeedbackForm.objects.count(),
              LedgerEntry.objects.count())
    soap = depot["items"]["soap"].pk
    calls = [lambda: household_add(actor=log, distribution_id=event.pk, size=2),
             lambda: handout_record(actor=log, distribution_id=event.pk, household_id=household.pk, item_id=soap,
                                    quantity=1, now=T0),
             lambda: feedback_record(actor=log, distribution_id=event.pk, kit_version_id=depot["kit_v1"].pk,
                                     language="ru", answers={soap: "useful"}, now=T0),
             lambda: distribution_close(actor=log, distribution_id=event.pk)]
    assert [code_of(c) for c in calls] == [("distribution_closed", 409)] * 4
    assert (Household.objects.count(), Handout.objects.count(), FeedbackForm.objects.count(),
            LedgerEntry.objects.count()) == before
    assert on_hand(depot["aktobe"].pk, soap) == 10


def test_who_may_distribute(depot):
    people, soap = depot["people"], depot["items"]["soap"].pk
    # Another region's logistician, a facility manager, a clinician, a viewer: refused at the warehouse.
    for who in ("almaty_log", "manager_h1", "clinician_h1", "viewer"):
        assert code_of(lambda: opened(depot, who)) == ("forbidden", 403), who
    assert code_of(lambda: opened(depot, "manager_h1", warehouse="store")) == ("forbidden", 403)
    event = opened(depot, "aktobe_coord")
    assert opened(depot, "national").warehouse == depot["aktobe"]
    for who in ("almaty_log", "viewer", "clinician_h1"):
        assert code_of(lambda: household_add(actor=p(people[who]), distribution_id=event.pk, size=2)) == \
            ("forbidden", 403), who
        assert code_of(lambda: handout_record(actor=p(people[who]), distribution_id=event.pk, household_id=None,
                                              item_id=soap, quantity=1)) == ("forbidden", 403), who
    denied = AuditEvent.objects.filter(outcome="denied", action="distribute_supplies").count()
    assert denied == 5 + 6


def test_bad_input_is_refused_with_its_code(depot):
    log = p(depot["people"]["aktobe_log"])
    base = {"actor": log, "warehouse_id": depot["aktobe"].pk, "region_id": depot["aktobe_region"].pk,
            "place": "Kandyagash", "on": date(2026, 4, 10), "now": T0}
    assert code_of(lambda: distribution_create(**{**base, "region_id": 999999})) == ("invalid", 422)
    assert code_of(lambda: distribution_create(**base, incident_id=999999)) == ("incident_not_found", 422)
    assert code_of(lambda: distribution_create(**base, lat=49.5)) == ("invalid", 422)
    assert code_of(lambda: distribution_create(**base, lat=10.0, lon=57.0)) == ("invalid", 422)
    assert code_of(lambda: distribution_create(**{**base, "place": "  "})) == ("invalid", 422)
    assert code_of(lambda: distribution_create(**{**base, "place": "a\x00b"})) == ("invalid", 422)
    assert code_of(lambda: distribution_create(**{**base, "warehouse_id": 999999})) == ("warehouse_not_found", 404)
    event = opened(depot)
    other = household_add(actor=log, distribution_id=opened(depot).pk, size=2)
    soap = depot["items"]["soap"].pk
    assert code_of(lambda: handout_record(actor=log, distribution_id=event.pk, household_id=other.pk, item_id=soap,
                                          quantity=1)) == ("household_not_found", 404)
    assert code_of(lambda: handout_record(actor=log, distribution_id=event.pk, household_id=None, item_id=soap,
                                          quantity=0)) == ("not_positive", 422)
    assert code_of(lambda: handout_record(actor=log, distribution_id=event.pk, household_id=None, item_id=999999,
                                          quantity=1)) == ("item_not_found", 404)
    assert code_of(lambda: household_add(actor=log, distribution_id=999999, size=1)) == \
        ("distribution_not_found", 404)


def test_names_and_phones_are_need_to_know(depot):
    people = depot["people"]
    event = opened(depot)
    household_add(actor=p(people["aktobe_log"]), distribution_id=event.pk, size=4, head_name="Aigul Nurlanovna",
                  phone="+7 701 000 0000")
    seen = {}
    for who in ("aktobe_log", "aktobe_coord", "national", "national_log", "viewer", "almaty_log", "manager_h1"):
        rows, personal = household_list(p(people[who]), event.pk)
        seen[who] = (personal, rows[0].head_name, rows[0].phone, rows[0].reference, rows[0].size)
    names = ("Aigul Nurlanovna", "+7 701 000 0000", "H-0001", 4)
    blank = ("", "", "H-0001", 4)
    assert seen == {"aktobe_log": (True, *names), "aktobe_coord": (True, *names),
                    "national": (False, *blank), "national_log": (False, *blank), "viewer": (False, *blank),
                    "almaty_log": (False, *blank), "manager_h1": (False, *blank)}
    # The audit trail knows a name was given, never the name.
    added = AuditEvent.objects.get(action="household_add")
    assert added.changes == {"household": "H-0001", "size": 4, "named": True, "phone_given": True}


def test_every_write_is_audited_under_the_distribution(depot):
    log = p(depot["people"]["aktobe_log"])
    stocked(depot, "towel", 4)
    event = opened(depot)
    household_add(actor=log, distribution_id=event.pk, size=3)
    handout_record(actor=log, distribution_id=event.pk, household_id=None, item_id=depot["items"]["towel"].pk,
                   quantity=4, now=T0)
    distribution_close(actor=log, distribution_id=event.pk, now=T0)
    rows = AuditEvent.objects.filter(object_type="distribution", object_id=str(event.pk)).order_by("pk")
    assert [(a.action, a.actor_label, a.region_id) for a in rows] == [
        (action, "log_aktobe", depot["aktobe_region"].pk)
        for action in ("distribution_create", "household_add", "handout_record", "distribution_close")]
    assert rows[2].changes == {"item": "towel", "quantity": 4, "household": None, "kit_version": None}

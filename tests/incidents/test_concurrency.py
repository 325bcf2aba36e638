"""Two coordinators writing one casualty at once: one wins, the other is told (409), nothing is overwritten; two
crews registering one tag at once: one casualty.

Meaningful on PostgreSQL only (run with DATABASE_URL / JEDEL_TEST_DATABASE_URL): pytest-django's SQLite test
database is an in-memory shared-cache database where a second writer fails with "table is locked" instead of
waiting.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jedel.common.errors import Conflict
from jedel.incidents.models import Casualty, CasualtyLocation, TimelineEntry
from jedel.incidents.services.casualties import casualty_move, casualty_register
from tests.incidents.conftest import declare

from tests.common.races import race, require_postgres

pytestmark = pytest.mark.postgres




@pytest.mark.django_db(transaction=True)
def test_two_writers_on_one_version_one_wins_one_gets_409(world, slow_location_write):
    require_postgres()
    incident = declare(world)
    casualty_register(actor=world["p"]["nc"], incident_id=incident.pk, tag="R-1")
    moves = [("awaiting_transport", "nc"), ("deceased", "rc75")]
    results = race([lambda s=s, w=w: casualty_move(actor=world["p"][w], incident_id=incident.pk, tag="R-1",
                                                    status=s, version=1) for s, w in moves])
    winners = [r for r in results if isinstance(r, Casualty)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert losers[0].code.value == "tracking_version_stale"
    stored = Casualty.objects.get(tag="R-1")
    assert (stored.status, stored.version) == (winners[0].status, 2)
    assert CasualtyLocation.objects.filter(casualty=stored).count() == 2
    assert TimelineEntry.objects.filter(kind="casualty_moved").count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_tag_registered_by_two_crews_at_once_is_one_casualty(world, slow_location_write):
    require_postgres()
    incident = declare(world)
    results = race([lambda n=n: casualty_register(actor=world["p"]["nc"], incident_id=incident.pk, tag="T-7",
                                                   name=n) for n in ("first", "second")])
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _, created in results) == [False, True]
    assert len({c.pk for c, _ in results}) == 1
    assert Casualty.objects.filter(tag="T-7").count() == 1
    assert TimelineEntry.objects.filter(kind="casualty_registered").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_casualty_being_written_does_not_hold_up_registrations_in_its_incident(world):
    """A writer holding one casualty's row lock (triage, move, assignment) locks that row only: registering another
    casualty of the incident (an insert that refers to the incident's row) goes through meanwhile. Locking the
    incident's row too (select_for_update over the join) made 50 concurrent clients deadlock within seconds with
    the stream head's lock (bench/mci_load.py); here the registration would wait and hit the lock timeout."""
    require_postgres()
    from django.db import transaction

    from jedel.incidents.services.records import casualty_locked

    incident = declare(world)
    held, _ = casualty_register(actor=world["p"]["nc"], incident_id=incident.pk, tag="HELD-1")
    locked, release = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                casualty_locked(held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            casualty, created = casualty_register(actor=world["p"]["nc"], incident_id=incident.pk, tag="NEW-2")
    finally:
        release.set()
        thread.join(timeout=30)
    assert (casualty.tag, created) == ("NEW-2", True)

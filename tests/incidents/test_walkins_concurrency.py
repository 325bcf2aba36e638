"""Walk-ins registered and converted at one hospital at the same moment, on PostgreSQL: every walk-in gets its own
tag, and counted walk-ins are turned into records once (the second converter is told, 409).

Meaningful on PostgreSQL only (DATABASE_URL / JEDEL_TEST_DATABASE_URL), like tests/incidents/test_concurrency.py.
"""

from __future__ import annotations

import pytest

from jedel.common.errors import Conflict
from jedel.incidents.models import Casualty, WalkIn, WalkInCount
from jedel.incidents.services.walkins import walkin_count_add, walkin_count_convert, walkin_register
from tests.incidents.conftest import declare
from tests.common.races import race, require_postgres

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_four_walk_ins_at_once_get_four_tags(world, slow_location_write):
    require_postgres()
    incident = declare(world)
    medic = world["p"]["medic_h1"]
    results = race([lambda: walkin_register(actor=medic, incident_id=incident.pk, category="minimal")] * 4)
    assert all(isinstance(r, Casualty) for r in results), results
    assert sorted(r.tag for r in results) == ["W-INC-H1-1", "W-INC-H1-2", "W-INC-H1-3", "W-INC-H1-4"]
    assert sorted(WalkIn.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_counted_walk_ins_are_converted_once(world, slow_location_write):
    require_postgres()
    incident = declare(world)
    medic = world["p"]["medic_h1"]
    walkin_count_add(actor=medic, incident_id=incident.pk, category="delayed", count=2)
    results = race([lambda: walkin_count_convert(actor=medic, incident_id=incident.pk, category="delayed",
                                                  count=2)] * 2)
    made = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert (len(made), len(refused)) == (1, 1), results
    assert refused[0].code.value == "walkin_not_enough_counted"
    assert sorted(c.tag for c in made[0]) == ["W-INC-H1-1", "W-INC-H1-2"]
    assert sorted(WalkInCount.objects.values_list("delta", flat=True)) == [-2, 2]
    assert Casualty.objects.filter(tag__startswith="W-").count() == 2

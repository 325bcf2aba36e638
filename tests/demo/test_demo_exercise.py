"""`jedel demo`'s closed exercise incident: eight tracked casualties with triage, moves to two demo hospitals and
dispositions, labelled as an exercise (never among real incidents), created once however often the demo runs."""

from __future__ import annotations

from datetime import UTC, datetime

from jedel.demo.incidents import DEMO_EXERCISE_TITLE, demo_exercise_create
from jedel.demo.network import demo_network_generate, demo_users_create
from jedel.incidents.models import Casualty, CasualtyLocation, Incident, TimelineEntry, TriageAssessment
from jedel.notifications.models import Notice

NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)

# tag → (category, final status, number of location entries), from CASUALTIES in demo/incidents.py.
EXPECTED = {
    "EX-0001": ("immediate", "admitted", 5),
    "EX-0002": ("delayed", "admitted", 4),
    "EX-0003": ("minimal", "treated_released", 4),
    "EX-0004": ("minimal", "treated_released", 2),
    "EX-0005": ("immediate", "transferred", 4),
    "EX-0006": ("dead", "deceased", 2),
    "EX-0007": ("delayed", "treated_released", 5),
    "EX-0008": ("minimal", "treated_released", 2),
}


def test_the_demo_exercise_is_closed_tracked_labelled_and_made_once(kz):
    demo_network_generate(seed=2026, now=NOW, regions=["KZ-75"])
    demo_users_create()
    first = demo_exercise_create(now=NOW)
    incident = Incident.objects.get(pk=first.incident_id)
    assert (first.created, first.casualties) == (True, 8)
    assert (incident.is_exercise, incident.status, incident.title) == (True, "closed", DEMO_EXERCISE_TITLE)
    rows = {c.tag: (c.category, c.status, c.locations.count()) for c in Casualty.objects.filter(incident=incident)}
    assert rows == EXPECTED
    hospitals = set(Casualty.objects.filter(incident=incident, destination__isnull=False)
                    .values_list("destination__code", flat=True))
    assert len(hospitals) == 2 and all(code.startswith("DEMO-") for code in hospitals)
    assert TriageAssessment.objects.filter(casualty__incident=incident).count() == 9  # EX-0008 re-triaged
    kinds = list(TimelineEntry.objects.filter(incident=incident).values_list("kind", flat=True))
    assert (kinds[0], kinds[-2], kinds[-1], kinds.count("casualty_moved")) == ("declared", "stood_down", "closed", 20)
    notice = Notice.objects.get(data__incident=incident.pk)
    assert (notice.exercise, notice.status) == (True, "acknowledged")  # nothing left to escalate
    assert not Incident.objects.filter(is_exercise=False).exists()  # never among real incidents

    counts = (Incident.objects.count(), Casualty.objects.count(), CasualtyLocation.objects.count(),
              Notice.objects.count())
    again = demo_exercise_create(now=NOW)
    assert (again.created, again.incident_id, again.casualties) == (False, incident.pk, 8)
    assert (Incident.objects.count(), Casualty.objects.count(), CasualtyLocation.objects.count(),
            Notice.objects.count()) == counts

"""`jedel demo`'s security data: postures, buttons, past alarms and registry entries, made once."""

from __future__ import annotations

from datetime import UTC, datetime

from jedel.demo.network import demo_network_generate, demo_users_create
from jedel.demo.security import PAST_ALARMS, demo_security_create
from jedel.security.models import PanicAlert, PanicButton, SecurityPosture
from jedel.security.models_registry import ViolenceIncident

NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def test_demo_security_is_made_once(kz, settings, tmp_path):
    demo_network_generate(seed=2026, now=NOW, regions=["KZ-75"])
    demo_users_create()
    first = demo_security_create(now=NOW)
    counts = (SecurityPosture.objects.count(), PanicButton.objects.count(), ViolenceIncident.objects.count(),
              PanicAlert.objects.count())
    assert counts[0] > 0 and counts[1] >= 3 and counts[2] == 37 and counts[3] == len(PAST_ALARMS) == 5
    assert first.startswith(f"Security: {counts[0]} postures, {counts[1]} panic buttons, 37 registry entries and "
                            "5 past alarms created")
    linked = PanicAlert.objects.get(outcome="incident_recorded")
    assert linked.incident.facility_id == linked.facility_id
    again = demo_security_create(now=NOW)
    assert again.startswith("Security: 0 postures, 0 panic buttons, 0 registry entries and 0 past alarms")
    assert (SecurityPosture.objects.count(), PanicButton.objects.count(), ViolenceIncident.objects.count(),
            PanicAlert.objects.count()) == counts

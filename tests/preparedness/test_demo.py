"""The preparedness demo: assessments and plans of varying quality for the demo network, training, reserve and
coordinators — labelled, through the services, and idempotent."""

from __future__ import annotations

from datetime import UTC, datetime

from jedel.demo.network import demo_network_generate
from jedel.demo.preparedness import PER_REGION, demo_preparedness_create
from jedel.preparedness.models import (
    Certificate, EmergencyPlan, HsiAssessment, PlanVersion, RegionCoordinator, RemediationTask, ReserveMember,
    TrainingSession,
)

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


def test_demo_preparedness_is_varied_labelled_and_idempotent(kz):
    demo_network_generate(now=NOW, regions=["KZ-62", "KZ-71"], history=1)
    line = demo_preparedness_create()
    hospitals = 2 * PER_REGION
    assessments = HsiAssessment.objects.all()
    assert assessments.count() == hospitals
    assert all(a.notes == "DEMO (synthetic data)" and a.rated_count == a.item_count == 68 for a in assessments)
    # Profiles good / fair / poor in turn: more than one category appears, and poor ones leave remediation tasks.
    assert len({a.category for a in assessments}) >= 2
    assert RemediationTask.objects.exists()
    plans = EmergencyPlan.objects.all()
    assert 1 <= plans.count() <= hospitals
    spread = [p.completeness for p in plans]
    assert max(spread) - min(spread) >= 0.3   # good and poor plans side by side
    assert TrainingSession.objects.count() == hospitals and Certificate.objects.exists()
    assert ReserveMember.objects.count() == 2 * len(range(0, hospitals, 2))
    assert RegionCoordinator.objects.filter(position=0).count() == 20
    assert line.startswith(f"Preparedness: {hospitals} HSI assessments and {plans.count()} response plans")
    counts = [m.objects.count() for m in (HsiAssessment, EmergencyPlan, PlanVersion, TrainingSession, Certificate,
                                          ReserveMember, RegionCoordinator, RemediationTask)]
    again = demo_preparedness_create()
    assert [m.objects.count() for m in (HsiAssessment, EmergencyPlan, PlanVersion, TrainingSession, Certificate,
                                        ReserveMember, RegionCoordinator, RemediationTask)] == counts
    assert again.startswith("Preparedness: 0 HSI assessments and 0 response plans")

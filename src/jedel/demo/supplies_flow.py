"""The demo's flood story, made through the supplies services so its ledger, notices and audit are what real use
leaves: Aktobe region asks Almaty region's warehouse for hygiene kits after a spring flood; the request is approved,
one shipment arrives (two kits damaged in transit), a second is on the way; kits are given to 40 households at an
evacuation centre with UNICEF and the Kazakh Red Crescent; 24 people fill in the feedback form (in Kazakh or
Russian), and the feedback proposes the kit's next version, waiting for a national logistician's decision. A second
request (water purification tablets and oral rehydration salts from the national reserve) waits for approval.

Synthetic, seeded and labelled "(demo)"; made once (the distribution's place identifies it).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.geo.models import Region
from jedel.supplies.models import Item, KitVersion, Warehouse
from jedel.supplies.models_distribution import DistributionEvent
from jedel.supplies.services import distributions, feedback, requests, shipments
from jedel.supplies.services.ledger import batch_for, put

DEMO = Principal(label="demo", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)
PLACE = "Evacuation centre, school No. 12, Aktobe (demo)"
HOUSEHOLDS = 40
# 24 forms: (verdict per component, items reported missing). Designed so that, at the engine's documented
# thresholds, mosquito repellent is dropped (not useful for most) and sanitary pads and baby diapers are added.
FORMS = 24


def _answers(rng: random.Random, kit: dict[str, int], items: dict[str, Item], n: int) -> dict[int, str]:
    answers = {}
    for code in kit:
        if code == "mosquito-repellent":
            verdict = "not_useful" if n % 4 else "useful"  # 18 of 24 not useful
        elif code == "towel":
            verdict = "useful" if rng.random() < 0.8 else "not_useful"
        else:
            verdict = "useful" if rng.random() < 0.92 else "not_useful"
        answers[items[code].pk] = verdict
    if n % 5 in (0, 2, 3):  # 15 of 24 ask for sanitary pads
        answers[items["sanitary-pads"].pk] = "missing"
    if n % 3 == 0:  # 8 of 24 ask for baby diapers
        answers[items["diapers-baby"].pk] = "missing"
    return answers


def demo_flood_flow(items: dict[str, Item], wh: dict[str, Warehouse], now: datetime) -> str:
    """Runs the story once; returns a short summary for the demo command."""
    if DistributionEvent.objects.filter(place=PLACE).exists():
        return "flood demo kept"
    rng = random.Random(2024)
    aktobe = Region.objects.get(iso_code="KZ-15")
    kit = items["family-hygiene-kit"]
    # Almaty region receives 200 more kits before the flood: after shipping 200, its 400 stay in reserve.
    put(wh["KZ-19"], kit, batch_for(kit, "DEMO-KIT-2025", None), 200, "receipt", actor_label="demo",
        now=now - timedelta(days=25), reference="DEMO-SUP-receipt")
    started = now - timedelta(days=18)
    request = requests.request_create(
        actor=DEMO, region_id=aktobe.pk, facility_id=None, source_warehouse_id=wh["KZ-19"].pk,
        destination_warehouse_id=wh["KZ-15"].pk, lines=[(kit.pk, 200)], needed_by=timezone.localdate(started) + timedelta(days=5),
        reason="Spring flood (demo): 1,200 people evacuated in Aktobe region.", now=started)
    line = request.lines.get()
    request = requests.request_decide(actor=DEMO, request_id=request.pk, version=request.version,
                                      approved={line.pk: 200}, note="Approved (demo).", now=started + timedelta(hours=3))
    first = shipments.shipment_prepare(actor=DEMO, request_id=request.pk, lines={line.pk: 120},
                                       carrier="Truck 045 AKT (demo)", now=started + timedelta(hours=5))
    first = shipments.shipment_dispatch(actor=DEMO, shipment_id=first.pk, version=first.version,
                                        now=started + timedelta(hours=6))
    sent = first.lines.get()
    shipments.shipment_receive(actor=DEMO, shipment_id=first.pk, received={sent.pk: 118},
                               notes={sent.pk: "2 kits wet and torn (demo)"}, now=started + timedelta(days=2))
    second = shipments.shipment_prepare(actor=DEMO, request_id=request.pk, lines={line.pk: 80},
                                        carrier="Truck 112 ALM (demo)", now=now - timedelta(hours=20))
    shipments.shipment_dispatch(actor=DEMO, shipment_id=second.pk, version=second.version,
                                now=now - timedelta(hours=18))
    on = timezone.localdate(started) + timedelta(days=3)
    event = distributions.distribution_create(
        actor=DEMO, warehouse_id=wh["KZ-15"].pk, region_id=aktobe.pk, place=PLACE, on=on,
        partner="UNICEF, Kazakh Red Crescent (demo)", lat=50.30, lon=57.15, now=started + timedelta(days=3))
    for n in range(HOUSEHOLDS):
        household = distributions.household_add(actor=DEMO, distribution_id=event.pk, size=rng.randint(1, 8),
                                                now=started + timedelta(days=3))
        distributions.handout_record(actor=DEMO, distribution_id=event.pk, household_id=household.pk,
                                     item_id=kit.pk, quantity=1, now=started + timedelta(days=3, minutes=n))
    version = KitVersion.objects.filter(kit=kit).order_by("number").first()
    assert version is not None
    composition = {c.item.code: c.quantity for c in version.components.select_related("item")}
    comments = ("Сабын мен сүлгі өте керек болды.", "Масаға қарсы құрал керек емес, көктемде маса жоқ.",
                "Нужны прокладки и подгузники для детей.", "Спасибо, всё пригодилось, кроме средства от комаров.")
    for n in range(FORMS):
        feedback.feedback_record(actor=DEMO, distribution_id=event.pk, kit_version_id=version.pk,
                                 language="kk" if n % 2 else "ru", answers=_answers(rng, composition, items, n),
                                 comment=comments[n % 4] if n % 3 == 0 else "",
                                 now=started + timedelta(days=4, hours=n))
    proposal = feedback.proposal_create(actor=DEMO, kit_version_id=version.pk, now=started + timedelta(days=6))
    national = wh["national"]
    requests.request_create(
        actor=DEMO, region_id=aktobe.pk, facility_id=None, source_warehouse_id=national.pk,
        destination_warehouse_id=wh["KZ-15"].pk,
        lines=[(items["water-purif-tabs"].pk, 2000), (items["ors-sachet"].pk, 1000)],
        reason="Spring flood (demo): drinking water in evacuation centres.", now=now - timedelta(hours=6))
    return (f"flood request with 2 shipments, a distribution to {HOUSEHOLDS} households, {FORMS} feedback forms and "
            f"a proposed kit change ({len(proposal.changes)} changes)")

"""`jedel demo`'s supplies: the catalogue, warehouses, the 400 kits in Almaty region, the flood story and the kit
change its feedback proposes — made once."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Sum

from jedel.demo.network import demo_network_generate, demo_users_create
from jedel.demo.supplies import demo_supplies_create
from jedel.supplies.models import Item, LedgerEntry, StockBalance, Warehouse
from jedel.supplies.models_distribution import DistributionEvent, FeedbackForm, Handout, KitProposal
from jedel.supplies.models_requests import Shipment, SupplyRequest

NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def _on_hand(warehouse_code: str, item_code: str) -> int:
    return StockBalance.objects.filter(warehouse__code=warehouse_code, item__code=item_code).aggregate(
        s=Sum("on_hand"))["s"] or 0


def test_demo_supplies_tell_the_flood_story_once(kz):
    demo_network_generate(seed=2026, now=NOW, regions=["KZ-75"], history=1)
    demo_users_create()
    first = demo_supplies_create(now=NOW)
    assert first.startswith("Supplies: 20 catalogue items, 24 demo warehouses")
    # 20 regional warehouses, the national reserve, two partners and the demo hospital's store.
    assert Warehouse.objects.filter(kind="regional").count() == 20 and Warehouse.objects.count() == 24
    # Almaty region: 400 + 200 kits received, 120 + 80 shipped to Aktobe: the 400 stored kits remain.
    assert _on_hand("demo-kz-19", "family-hygiene-kit") == 400
    # Aktobe region: 120 of its own + 118 of the 120 sent arrived (2 damaged) − 40 given to households.
    assert _on_hand("demo-kz-15", "family-hygiene-kit") == 120 + 118 - 40
    flood = SupplyRequest.objects.get(reason__startswith="Spring flood (demo): 1,200")
    assert flood.status == "partly_fulfilled"  # 120 of 200 arrived (118 whole), 80 on the way
    assert sorted(Shipment.objects.filter(request=flood).values_list("status", flat=True)) == ["dispatched",
                                                                                                 "received"]
    assert SupplyRequest.objects.get(reason__startswith="Spring flood (demo): drinking").status == "submitted"
    event = DistributionEvent.objects.get()
    assert (event.households.count(), Handout.objects.filter(distribution=event).aggregate(s=Sum("quantity"))["s"],
            FeedbackForm.objects.count()) == (40, 40, 24)
    proposal = KitProposal.objects.get()
    # 18 of 24 found the repellent not useful (0.75 ≥ 0.5 with ≥ 10 ratings): dropped; 15 of 24 forms asked for
    # sanitary pads (0.625 ≥ 0.25) and 8 of 24 for baby diapers (0.333 ≥ 0.25): both added, one per kit.
    assert (proposal.status, proposal.base.number) == ("proposed", 1)
    assert proposal.composition == {"laundry-soap": 2, "soap": 4, "toothbrush": 4, "toothpaste": 2, "towel": 2,
                                    "water-container": 1, "sanitary-pads": 1, "diapers-baby": 1}
    # The ledger and the balances agree everywhere.
    sums = {(e["warehouse_id"], e["item_id"], e["batch_id"]): e["s"] for e in
            LedgerEntry.objects.values("warehouse_id", "item_id", "batch_id").annotate(s=Sum("quantity"))}
    assert sums == {(b.warehouse_id, b.item_id, b.batch_id): b.on_hand for b in StockBalance.objects.all()}
    counts = (Item.objects.count(), LedgerEntry.objects.count(), SupplyRequest.objects.count(),
              FeedbackForm.objects.count())
    again = demo_supplies_create(now=NOW)
    assert again.endswith("flood demo kept (Supplies).")
    assert (Item.objects.count(), LedgerEntry.objects.count(), SupplyRequest.objects.count(),
            FeedbackForm.objects.count()) == counts

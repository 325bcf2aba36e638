"""Demo data of the supplies app: a catalogue (PPE, medicines, devices, hygiene items, a family hygiene kit v1),
the national reserve, one warehouse per region, partner warehouses and the demo hospital's store, lots with
expiry dates, two weeks of PPE use, minimum stock, the 400 hygiene kits stored in Almaty region, and the 2024
flood story (demo_supplies_flow.py): Aktobe region's request, its shipments, the distribution with UNICEF and
the Kazakh Red Crescent, the households' feedback and the kit change it suggests.

Everything is synthetic and labelled: warehouse codes start with demo-, lots with DEMO-, references with
DEMO-SUP. Re-running `jedel demo` finds them and adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from jedel.accounts.services import SYSTEM
from jedel.common.clock import utcnow
from jedel.demo.network import demo_hospital
from jedel.geo.models import Region
from jedel.supplies.models import Item, KitComponent, KitVersion, LedgerEntry, MinimumStock, Warehouse
from jedel.supplies.services.ledger import batch_for, put, take

SEED = 2026
KIT = "family-hygiene-kit"
# code, category, unit, pack, shelf life (days), use per patient-day, en, ru, kk
ITEMS = (
    ("respirator-ffp2", "ppe", "piece", 20, 1825, 4.0, "Respirator FFP2/N95", "Респиратор FFP2/N95", "FFP2/N95 респираторы"),
    ("mask-surgical", "ppe", "piece", 50, 1825, 6.0, "Surgical mask", "Медицинская маска", "Медициналық маска"),
    ("gloves-exam", "ppe", "pair", 50, 1825, 20.0, "Examination gloves", "Смотровые перчатки", "Тексеру қолғаптары"),
    ("gown-isolation", "ppe", "piece", 10, 1825, 3.0, "Isolation gown", "Изоляционный халат", "Оқшаулау халаты"),
    ("face-shield", "ppe", "piece", 10, None, 0.5, "Face shield", "Защитный щиток", "Қорғаныш қалқаны"),
    ("ors-sachet", "medicine", "pack", 50, 1095, None, "Oral rehydration salts", "Оральные регидратационные соли", "Ауыз арқылы регидратациялық тұздар"),
    ("water-purif-tabs", "medicine", "pack", 20, 1825, None, "Water purification tablets", "Таблетки для обеззараживания воды", "Суды зарарсыздандыру таблеткалары"),
    ("paracetamol-500", "medicine", "pack", 20, 1095, None, "Paracetamol 500 mg", "Парацетамол 500 мг", "Парацетамол 500 мг"),
    ("ventilator", "device", "piece", 1, None, None, "Ventilator", "Аппарат ИВЛ", "ӨЖЖ аппараты"),
    ("oxygen-concentrator", "device", "piece", 1, None, None, "Oxygen concentrator", "Кислородный концентратор", "Оттегі концентраторы"),
    ("soap", "hygiene", "piece", 1, 1095, None, "Soap bar", "Мыло", "Сабын"),
    ("toothpaste", "hygiene", "piece", 1, 730, None, "Toothpaste", "Зубная паста", "Тіс пастасы"),
    ("toothbrush", "hygiene", "piece", 1, None, None, "Toothbrush", "Зубная щётка", "Тіс щеткасы"),
    ("towel", "hygiene", "piece", 1, None, None, "Towel", "Полотенце", "Сүлгі"),
    ("sanitary-pads", "hygiene", "pack", 1, 1825, None, "Sanitary pads", "Гигиенические прокладки", "Гигиеналық төсемдер"),
    ("laundry-soap", "hygiene", "piece", 1, 1095, None, "Laundry soap", "Хозяйственное мыло", "Кір сабын"),
    ("water-container", "hygiene", "piece", 1, None, None, "Water container, 10 L", "Канистра для воды, 10 л", "Су сауыты, 10 л"),
    ("diapers-baby", "hygiene", "pack", 1, None, None, "Baby diapers", "Детские подгузники", "Балалар жөргектері"),
    ("mosquito-repellent", "hygiene", "bottle", 1, 730, None, "Mosquito repellent", "Средство от комаров", "Масаға қарсы құрал"),
    (KIT, "kit", "kit", 1, None, None, "Family hygiene kit", "Семейный гигиенический набор", "Отбасылық гигиеналық жиынтық"),
)
KIT_V1 = {"soap": 4, "toothpaste": 2, "toothbrush": 4, "towel": 2, "laundry-soap": 2, "water-container": 1,
          "mosquito-repellent": 1}
PARTNERS = (("demo-unicef-almaty", "KZ-75", "UNICEF (demo)", "UNICEF warehouse, Almaty (demo)",
             "Склад ЮНИСЕФ, Алматы (демо)", "ЮНИСЕФ қоймасы, Алматы (демо)"),
            ("demo-redcrescent-aktobe", "KZ-15", "Kazakh Red Crescent (demo)", "Red Crescent warehouse, Aktobe (demo)",
             "Склад Красного Полумесяца, Актобе (демо)", "Қызыл Жарты Ай қоймасы, Ақтөбе (демо)"))


def _catalogue() -> dict[str, Item]:
    items = {}
    for code, cat, unit, pack, life, rate, en, ru, kk in ITEMS:
        items[code], _ = Item.objects.get_or_create(code=code, defaults={
            "category": cat, "unit": unit, "pack_size": pack, "shelf_life_days": life, "units_per_patient_day": rate,
            "name_en": en, "name_ru": ru, "name_kk": kk})
    if not KitVersion.objects.filter(kit=items[KIT]).exists():
        v1 = KitVersion.objects.create(kit=items[KIT], number=1, approved_at=utcnow() - timedelta(days=400),
                                       approved_by_label="demo", note="Composition used in the 2024 floods (demo).")
        KitComponent.objects.bulk_create([KitComponent(version=v1, item=items[c], quantity=q)
                                          for c, q in sorted(KIT_V1.items())])
    return items


def _warehouses() -> dict[str, Warehouse]:
    out = {}
    out["national"], _ = Warehouse.objects.get_or_create(code="demo-national-reserve", defaults={
        "kind": "national", "name_en": "National medical reserve, Astana (demo)",
        "name_ru": "Национальный медицинский резерв, Астана (демо)",
        "name_kk": "Ұлттық медициналық резерв, Астана (демо)", "lat": 51.09, "lon": 71.48})
    for r in Region.objects.order_by("iso_code"):
        out[r.iso_code], _ = Warehouse.objects.get_or_create(code=f"demo-{r.iso_code.lower()}", defaults={
            "kind": "regional", "region": r, "lat": r.admin_center_lat, "lon": r.admin_center_lon,
            "name_en": f"{r.name_en} health department warehouse (demo)",
            "name_ru": f"Склад управления здравоохранения: {r.name_ru or r.name_en} (демо)",
            "name_kk": f"Денсаулық сақтау басқармасының қоймасы: {r.name_kk or r.name_en} (демо)"})
    for code, iso, partner, en, ru, kk in PARTNERS:
        r = Region.objects.get(iso_code=iso)
        out[code], _ = Warehouse.objects.get_or_create(code=code, defaults={
            "kind": "partner", "region": r, "partner": partner, "lat": r.admin_center_lat + 0.02,
            "lon": r.admin_center_lon + 0.03, "name_en": en, "name_ru": ru, "name_kk": kk})
    hospital = demo_hospital()
    out["store"], _ = Warehouse.objects.get_or_create(code="demo-hospital-store", defaults={
        "kind": "hospital", "region_id": hospital.region_id, "facility": hospital, "lat": hospital.lat,
        "lon": hospital.lon, "name_en": f"{hospital.name_en}: store", "name_ru": f"{hospital.name_ru or hospital.name_en}: склад",
        "name_kk": f"{hospital.name_kk or hospital.name_en}: қойма"})
    return out


def _stock(items: dict[str, Item], wh: dict[str, Warehouse], now: datetime, rng: random.Random) -> None:
    """Receipts 30 days ago, then two weeks of daily PPE issues at the hospital store and two regions."""
    today = timezone.localdate(now)
    start = now - timedelta(days=30)

    def receive(w: Warehouse, code: str, units: int, lot: str, expires_in_days: int | None) -> None:
        expires = today + timedelta(days=expires_in_days) if expires_in_days is not None else None
        item = items[code]
        put(w, item, batch_for(item, lot, expires), units, "receipt", actor_label="demo", now=start,
            reference="DEMO-SUP-receipt")

    for code, units in (("respirator-ffp2", 60000), ("mask-surgical", 200000), ("gloves-exam", 150000),
                        ("gown-isolation", 20000), ("ventilator", 120), ("oxygen-concentrator", 300),
                        ("ors-sachet", 40000), ("water-purif-tabs", 30000)):
        receive(wh["national"], code, units, f"DEMO-N-{code[:6].upper()}", 900 if items[code].shelf_life_days else None)
    receive(wh["national"], "respirator-ffp2", 2000, "DEMO-N-OLD", -20)  # expired, waiting to be written off
    receive(wh["KZ-19"], KIT, 400, "DEMO-KIT-2025", None)  # the 400 kits stored in Almaty region
    for code, units in (("soap", 2000), ("toothpaste", 900), ("toothbrush", 1800), ("towel", 800),
                        ("laundry-soap", 900), ("water-container", 450), ("mosquito-repellent", 500),
                        ("sanitary-pads", 600), ("diapers-baby", 300)):
        receive(wh["demo-unicef-almaty"], code, units, f"DEMO-U-{code[:6].upper()}", 700 if code != "towel" else None)
    receive(wh["KZ-15"], KIT, 120, "DEMO-KIT-AKT", None)
    for w, scale in ((wh["store"], 1), (wh["KZ-75"], 4), (wh["KZ-15"], 3)):
        for code, units, life in (("respirator-ffp2", 1400, 500), ("mask-surgical", 5000, 600),
                                  ("gloves-exam", 6000, 400), ("gown-isolation", 600, 800)):
            receive(w, code, units * scale, f"DEMO-{w.code[5:].upper()}-{code[:4].upper()}", life)
    for day in range(14, 0, -1):  # daily use over the last two weeks
        at = now - timedelta(days=day, hours=-8)
        for w, scale in ((wh["store"], 1), (wh["KZ-75"], 3), (wh["KZ-15"], 2)):
            for code, mean in (("respirator-ffp2", 90), ("mask-surgical", 260), ("gloves-exam", 380),
                               ("gown-isolation", 25)):
                take(w, items[code], max(1, int(rng.gauss(mean * scale, mean * scale * 0.15))), "issue",
                     actor_label="demo", now=at, reference="DEMO-SUP-use", note="wards (demo)")
    for w, code, units in ((wh["store"], "respirator-ffp2", 800), (wh["store"], "gloves-exam", 3000),
                           (wh["KZ-75"], "respirator-ffp2", 2000), (wh["KZ-19"], KIT, 300),
                           (wh["national"], "ventilator", 100)):
        MinimumStock.objects.get_or_create(warehouse=w, item=items[code], defaults={"min_units": units})


def demo_supplies_create(now: datetime | None = None) -> str:
    """Creates the labelled demo data once (idempotent) and returns one line for the demo command's summary."""
    now = now or utcnow()
    with transaction.atomic():
        items = _catalogue()
        wh = _warehouses()
        if not LedgerEntry.objects.filter(reference__startswith="DEMO-SUP").exists():
            _stock(items, wh, now, random.Random(SEED))
    from jedel.demo.supplies_flow import demo_flood_flow

    flow = demo_flood_flow(items, wh, now)
    return (f"Supplies: {Item.objects.count()} catalogue items, {Warehouse.objects.filter(code__startswith='demo-').count()}"
            f" demo warehouses, {LedgerEntry.objects.count():,} ledger entries; {flow} (Supplies).")

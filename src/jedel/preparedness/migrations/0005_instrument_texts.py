"""The instrument's title translations and each item's not-applicable condition (English and translated).

Instruments loaded before this migration get the condition back from the shipped file they were loaded from
(same code, version and SHA-256), so assessments made on them show it too; anything else stays as it was.
"""

import hashlib
import json
from pathlib import Path

from django.db import migrations, models

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "instruments"


def _fill_from_shipped_files(apps, schema_editor):
    instrument_model = apps.get_model("preparedness", "Instrument")
    item_model = apps.get_model("preparedness", "InstrumentItem")
    for path in sorted(SHIPPED.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text)
        instrument = instrument_model.objects.filter(code=doc.get("code"), version=doc.get("version"),
                                                     sha256=hashlib.sha256(text.encode()).hexdigest()).first()
        if instrument is None:
            continue
        sections = doc.get("modules") or doc.get("components") or []
        items = [i for s in sections for g in (s.get("submodules") or [s]) for i in g.get("items", [])]
        for item in items:
            i18n = item.get("not_applicable_when_i18n") or {}
            texts = {lang: {"not_applicable_when": t} for lang, t in i18n.items()}
            if not item.get("not_applicable_when") and not texts:
                continue
            row = item_model.objects.get(instrument=instrument, code=item["code"])
            row.not_applicable_when = item.get("not_applicable_when") or ""
            for lang, more in texts.items():
                row.translations.setdefault(lang, {}).update(more)
            row.save(update_fields=["not_applicable_when", "translations"])
        titles = doc.get("title_i18n") or {}
        if titles:
            instrument.translations = {lang: {"title": t} for lang, t in titles.items()}
            instrument.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("preparedness", "0004_instrument_translations")]

    operations = [
        migrations.AddField(model_name="instrument", name="translations",
                            field=models.JSONField(blank=True, default=dict)),
        migrations.AddField(model_name="instrumentitem", name="not_applicable_when",
                            field=models.TextField(blank=True)),
        migrations.RunPython(_fill_from_shipped_files, migrations.RunPython.noop),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("preparedness", "0003_hsi_photos")]

    operations = [
        migrations.AddField(model_name="instrumentsection", name="translations",
                            field=models.JSONField(blank=True, default=dict)),
        migrations.AddField(model_name="instrumentitem", name="translations",
                            field=models.JSONField(blank=True, default=dict)),
    ]

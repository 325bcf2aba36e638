"""Rename the moved tables from facilities_* to capacity_* (indexes and constraints keep their names)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('capacity', '0001_initial'),
        ('facilities', '0002_capacity_moved'),
    ]

    operations = [
        migrations.AlterModelTable(name='capacityreport', table=None),
        migrations.AlterModelTable(name='bedcapacity', table=None),
        migrations.AlterModelTable(name='facilitystatus', table=None),
    ]

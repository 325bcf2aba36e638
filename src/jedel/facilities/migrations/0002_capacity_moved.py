"""Capacity reports moved to the capacity app: the models leave this app's state, the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('facilities', '0001_initial'),
        ('capacity', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.RemoveField(
                model_name='capacityreport',
                name='facility',
            ),
            migrations.RemoveField(
                model_name='facilitystatus',
                name='report',
            ),
            migrations.RemoveField(
                model_name='facilitystatus',
                name='facility',
            ),
            migrations.DeleteModel(
                name='BedCapacity',
            ),
            migrations.DeleteModel(
                name='CapacityReport',
            ),
            migrations.DeleteModel(
                name='FacilityStatus',
            ),
            ],
        ),
    ]

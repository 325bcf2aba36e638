"""The capacity models, moved from the facilities app (release 0.1) without touching the database.

State only: the tables were created by facilities.0001 as facilities_*; 0002 renames them.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('facilities', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='CapacityReport',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reported_at', models.DateTimeField(help_text='when the figures were true (UTC)')),
                    ('received_at', models.DateTimeField()),
                    ('source', models.CharField(choices=[('web', 'Web form'), ('api', 'API'), ('edxl', 'EDXL-HAVE import'), ('demo', 'Synthetic demo')], max_length=8)),
                    ('reporter', models.CharField(max_length=200)),
                    ('ventilators_total', models.PositiveIntegerField(blank=True, null=True)),
                    ('ventilators_in_use', models.PositiveIntegerField(blank=True, null=True)),
                    ('oxygen_status', models.CharField(choices=[('adequate', 'Adequate'), ('limited', 'Limited'), ('critical', 'Critical'), ('unknown', 'Unknown')], default='unknown', max_length=10)),
                    ('ct_operational', models.BooleanField(blank=True, null=True)),
                    ('xray_operational', models.BooleanField(blank=True, null=True)),
                    ('lab_tests_capacity_per_day', models.PositiveIntegerField(blank=True, null=True)),
                    ('lab_tests_performed_per_day', models.PositiveIntegerField(blank=True, null=True)),
                    ('ed_status', models.CharField(choices=[('open', 'Open'), ('diversion', 'On diversion'), ('closed', 'Closed')], default='open', max_length=10)),
                    ('ed_status_reason', models.CharField(blank=True, max_length=300)),
                    ('mci_immediate_per_hour', models.PositiveIntegerField(blank=True, null=True)),
                    ('mci_delayed_per_hour', models.PositiveIntegerField(blank=True, null=True)),
                    ('mci_minimal_per_hour', models.PositiveIntegerField(blank=True, null=True)),
                    ('note', models.TextField(blank=True)),
                    ('facility', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='facilities.facility')),
                ],
                options={'db_table': 'facilities_capacityreport'},
            ),
            migrations.CreateModel(
                name='BedCapacity',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('bed_type', models.CharField(choices=[('AdultICU', 'Adult ICU'), ('PediatricICU', 'Paediatric ICU'), ('NeonatalICU', 'Neonatal ICU'), ('MedicalSurgical', 'Medical/surgical'), ('Pediatrics', 'Paediatric'), ('Burn', 'Burn'), ('AdultPsychiatric', 'Psychiatric'), ('NegativeFlowIsolation', 'Negative-pressure isolation'), ('OperatingRooms', 'Operating rooms')], max_length=32)),
                    ('staffed', models.PositiveIntegerField(blank=True, null=True)),
                    ('occupied', models.PositiveIntegerField(blank=True, null=True)),
                    ('available', models.PositiveIntegerField()),
                    ('surge_24h', models.PositiveIntegerField(blank=True, help_text='additional beds that can be staffed within 24 hours', null=True)),
                    ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='beds', to='capacity.capacityreport')),
                ],
                options={'db_table': 'facilities_bedcapacity'},
            ),
            migrations.CreateModel(
                name='FacilityStatus',
                fields=[
                    ('facility', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='status', serialize=False, to='facilities.facility')),
                    ('reported_at', models.DateTimeField()),
                    ('report', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='capacity.capacityreport')),
                ],
                options={'db_table': 'facilities_facilitystatus'},
            ),
            migrations.AddIndex(
                model_name='capacityreport',
                index=models.Index(fields=['facility', '-reported_at'], name='report_facility_latest'),
            ),
            migrations.AddConstraint(
                model_name='capacityreport',
                constraint=models.CheckConstraint(condition=models.Q(('ventilators_in_use__isnull', True), ('ventilators_total__isnull', True), ('ventilators_in_use__lte', models.F('ventilators_total')), _connector='OR'), name='report_vent_in_use_le_total'),
            ),
            migrations.AddConstraint(
                model_name='capacityreport',
                constraint=models.CheckConstraint(condition=models.Q(('lab_tests_performed_per_day__isnull', True), ('lab_tests_capacity_per_day__isnull', True), ('lab_tests_performed_per_day__lte', models.F('lab_tests_capacity_per_day')), _connector='OR'), name='report_lab_performed_le_capacity'),
            ),
            migrations.AddConstraint(
                model_name='bedcapacity',
                constraint=models.UniqueConstraint(fields=('report', 'bed_type'), name='bed_unique_per_report'),
            ),
            migrations.AddConstraint(
                model_name='bedcapacity',
                constraint=models.CheckConstraint(condition=models.Q(('occupied__isnull', True), ('staffed__isnull', True), ('occupied__lte', models.F('staffed')), _connector='OR'), name='bed_occupied_le_staffed'),
            ),
            ],
        ),
    ]

# The front desk's day: check-in and into-the-room moments of an appointment.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0005_appointment_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="arrived_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="checked in at"),
        ),
        migrations.AddField(
            model_name="appointment",
            name="in_room_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="in the room since"),
        ),
    ]
